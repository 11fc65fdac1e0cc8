using KeepSharp.Linux;

namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// The MTU of a host interface, for the configuration loader (keepalived sizes an advert's address list by
/// it, also under <c>-t</c>). Null when the interface does not exist or netlink cannot tell.
/// </summary>
internal static class HostInterfaceMtu
{
    public static int? Lookup(string interfaceName)
    {
        if (string.IsNullOrEmpty(interfaceName))
            return null;
        try
        {
            using RtNetlink netlink = RtNetlink.Open();
            return netlink.GetLink(interfaceName) is { Mtu: > 0 } link ? link.Mtu : null;
        }
        catch (LinuxNetworkException)
        {
            return null;
        }
    }
}
