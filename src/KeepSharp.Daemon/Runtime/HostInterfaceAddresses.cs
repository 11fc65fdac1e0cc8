using System.Net;
using KeepSharp.Linux;

namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// The addresses of a host interface, for the configuration loader (a unicast peer that is our own address, an
/// interface with no address to send adverts from: errors under <c>-t</c> as at startup). Null when the interface does
/// not exist or netlink cannot tell (the checks are then skipped; startup reports a missing interface itself).
/// </summary>
internal static class HostInterfaceAddresses
{
    public static IReadOnlyList<IPAddress>? Lookup(string interfaceName)
    {
        if (string.IsNullOrEmpty(interfaceName))
            return null;
        try
        {
            using RtNetlink netlink = RtNetlink.Open();
            return netlink.GetLink(interfaceName) is { } link
                ? [.. netlink.GetAddresses(link.InterfaceIndex).Select(a => a.Address)]
                : null;
        }
        catch (LinuxNetworkException)
        {
            return null;
        }
    }
}
