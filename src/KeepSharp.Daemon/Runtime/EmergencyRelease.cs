using KeepSharp.Daemon.Logging;
using KeepSharp.Linux;

namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// Removes every virtual address of every instance after a failure, whatever state the routers are in,
/// through a netlink socket of its own (the daemon's may be the thing that failed). Best effort: each
/// step is guarded, so one failure does not stop the rest. Reads only the instances' immutable address
/// bindings, so any thread may call it.
/// </summary>
internal static class EmergencyRelease
{
    public static void RemoveEveryAddress(IReadOnlyList<VrrpInstanceRuntime> instances, Log log)
    {
        RtNetlink netlink;
        try
        {
            netlink = RtNetlink.Open();
        }
        catch (Exception e)
        {
            log.Fatal($"cannot open a netlink socket to remove the virtual addresses: {e.Message}");
            return;
        }
        using (netlink)
        {
            foreach (VrrpInstanceRuntime instance in instances)
            {
                try
                {
                    instance.RemoveAllAddresses(netlink);
                }
                catch (Exception e)
                {
                    log.Fatal($"({instance.Name}) cannot remove its virtual addresses: {e.Message}");
                }
            }
        }
    }
}
