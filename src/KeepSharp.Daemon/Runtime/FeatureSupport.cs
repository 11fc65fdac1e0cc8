using System.Net.Sockets;
using KeepSharp.Config;

namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// What the configuration asks for that this version parses but does not do yet. Features whose absence
/// changes what goes on the wire in a way peers would notice (unicast, IPv6 VRRP) stop the daemon with a
/// clear error; features that only add behaviour are warned about, once each.
/// </summary>
internal static class FeatureSupport
{
    public static IEnumerable<string> Errors(KeepalivedConfig config)
    {
        foreach (VrrpInstance i in config.VrrpInstances)
        {
            if (i.AddressFamily == AddressFamily.InterNetworkV6)
                yield return $"{Where(i)}: ({i.Name}) VRRP over IPv6 is not supported yet";
        }
    }

    public static IEnumerable<string> Warnings(KeepalivedConfig config)
    {
        GlobalDefs global = config.GlobalDefs;
        if (global.VrrpMcastGroup6Location is { } group6)
            yield return $"{group6}: vrrp_mcast_group6 {global.VrrpMcastGroup6} is not supported yet (nor is VRRP over IPv6)";
        foreach (VrrpInstance i in config.VrrpInstances)
        {
            if (i.UseVmac)
                yield return $"{Where(i)}: ({i.Name}) use_vmac is not supported yet; the interface's own MAC is used";
            foreach (VirtualIpAddress v in i.VirtualIpAddresses.Where(v => v.Address.AddressFamily != AddressFamily.InterNetwork))
                yield return $"{v.Location.File}:{v.Location.Line}: ({i.Name}) {v.Address}: IPv6 virtual addresses in a VRRPv2 instance are ignored";
        }
    }

    private static string Where(VrrpInstance i) => $"{i.Location.File}:{i.Location.Line}";
}
