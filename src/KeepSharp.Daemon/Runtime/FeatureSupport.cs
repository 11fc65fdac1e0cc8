using System.Net.Sockets;
using KeepSharp.Config;

namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// What the configuration asks for that this version parses but does not do yet. Features whose absence
/// changes what goes on the wire in a way peers would notice (unicast, IPv6 VRRP) stop the daemon with a
/// clear error; features that only add behaviour (scripts, tracking, notify) are warned about, once each.
/// </summary>
internal static class FeatureSupport
{
    public static IEnumerable<string> Errors(KeepalivedConfig config)
    {
        foreach (VrrpInstance i in config.VrrpInstances)
        {
            if (i.UnicastPeers.Count > 0)
                yield return $"{Where(i)}: ({i.Name}) unicast_peer is not supported yet; this instance would advertise by multicast";
            if (i.AddressFamily == AddressFamily.InterNetworkV6)
                yield return $"{Where(i)}: ({i.Name}) VRRP over IPv6 is not supported yet";
        }
    }

    public static IEnumerable<string> Warnings(KeepalivedConfig config)
    {
        GlobalDefs global = config.GlobalDefs;
        if (global.VrrpMcastGroup4Location is { } group4)
            yield return $"{group4}: vrrp_mcast_group4 {global.VrrpMcastGroup4} is not supported yet; adverts go to {GlobalDefs.DefaultMcastGroup4}";
        if (global.VrrpMcastGroup6Location is { } group6)
            yield return $"{group6}: vrrp_mcast_group6 {global.VrrpMcastGroup6} is not supported yet (nor is VRRP over IPv6)";
        foreach (VrrpSyncGroup group in config.VrrpSyncGroups)
        {
            if (group.Notify is not null || group.NotifyMaster is not null || group.NotifyBackup is not null || group.NotifyFault is not null || group.NotifyStop is not null)
                yield return $"{group.Location.File}:{group.Location.Line}: vrrp_sync_group {group.Name}: notify scripts are not run yet";
        }
        foreach (VrrpInstance i in config.VrrpInstances)
        {
            if (i.UseVmac)
                yield return $"{Where(i)}: ({i.Name}) use_vmac is not supported yet; the interface's own MAC is used";
            if (i.Notify is not null || i.NotifyMaster is not null || i.NotifyBackup is not null || i.NotifyFault is not null || i.NotifyStop is not null)
                yield return $"{Where(i)}: ({i.Name}) notify scripts are not run yet";
            if (i.PreemptDelay > TimeSpan.Zero)
                yield return $"{Where(i)}: ({i.Name}) preempt_delay is not supported yet; preemption is immediate";
            foreach (VirtualIpAddress v in i.VirtualIpAddresses.Where(v => v.Address.AddressFamily != AddressFamily.InterNetwork))
                yield return $"{v.Location.File}:{v.Location.Line}: ({i.Name}) {v.Address}: IPv6 virtual addresses in a VRRPv2 instance are ignored";
        }
    }

    private static string Where(VrrpInstance i) => $"{i.Location.File}:{i.Location.Line}";
}
