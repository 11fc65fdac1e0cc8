using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using KeepSharp.Config;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Vrrp;

/// <summary>Turns a configured <c>vrrp_instance</c> into how its adverts travel (<see cref="VrrpTransportSettings"/>).</summary>
public static class TransportSettingsFactory
{
    public static VrrpTransportSettings Create(VrrpInstance instance, GlobalDefs global) => new()
    {
        MulticastGroup = VrrpAddress.FromIPAddress(MulticastGroup(global, instance.AddressFamily)),
        UnicastPeers = [.. instance.UnicastPeers.Select(p => new VrrpUnicastPeer(VrrpAddress.FromIPAddress(p.Address),
            (byte)(p.MinTtl ?? UnicastPeer.MinTtlValue), (byte)(p.MaxTtl ?? UnicastPeer.MaxTtlValue)))],
        Ttl = (byte)instance.UnicastTtl,
        CheckUnicastSource = instance.CheckUnicastSource,
        ChecksumMode = instance.V3ChecksumAsV2 ? VrrpChecksumMode.MessageOnly
            : instance.OldUnicastChecksum && instance.UnicastPeers.Count > 0 ? VrrpChecksumMode.MulticastPseudoHeader
            : VrrpChecksumMode.PseudoHeader,
        RequireLinkLocalFirstAddress = instance.StrictMode,
    };

    public static bool IsUnicast(VrrpInstance instance) => instance.UnicastPeers.Count > 0;

    /// <summary>The configured source of adverts: <c>unicast_src_ip</c> for a unicast instance, else <c>mcast_src_ip</c> (keepalived uses whichever is set).</summary>
    public static IPAddress? SourceAddress(VrrpInstance instance) => instance.UnicastSourceAddress ?? instance.McastSourceAddress;

    /// <summary><c>vrrp_mcast_group4</c> or <c>vrrp_mcast_group6</c> (224.0.0.18 / ff02::12 unless configured).</summary>
    public static IPAddress MulticastGroup(GlobalDefs global, AddressFamily family) =>
        family == AddressFamily.InterNetworkV6 ? global.VrrpMcastGroup6 : global.VrrpMcastGroup4;
}
