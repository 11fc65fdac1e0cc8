using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Vrrp;

/// <summary>
/// The receive path of one interface and address family: takes a received packet (<see cref="VrrpPacket"/>), applies
/// the checks of RFC 3768 §7.1 and RFC 9568 §7.1 that come before the virtual router's own (protocol, version, type,
/// length), dispatches by VRID, applies that router's transport rules (TTL / hop limit, multicast or unicast, the
/// checksum form, the unicast peers) and hands the advert to the router, which applies its configuration's.
/// Every drop is counted by reason; nothing here allocates or throws on bad input.
/// </summary>
public sealed class VrrpReceiver
{
    private readonly Entry?[] _routers = new Entry?[256];
    private readonly long[] _drops = new long[Enum.GetValues<VrrpDropReason>().Length];
    private readonly long[] _unknownVirtualRouterIds = new long[256];

    private sealed record Entry(VrrpRouter Router, VrrpTransportSettings Transport);

    public long Received { get; private set; }

    /// <summary>The VRID of the last packet that got as far as having one (for logging a drop).</summary>
    public byte LastVirtualRouterId { get; private set; }

    /// <summary>The source of the last packet received (for logging a drop).</summary>
    public VrrpAddress LastSource { get; private set; }

    /// <summary>Datagrams dropped here, before reaching a router, by reason.</summary>
    public long Dropped(VrrpDropReason reason) => _drops[(int)reason];

    /// <summary>How many adverts arrived for <paramref name="virtualRouterId"/> with no router of ours on it.</summary>
    public long UnknownVirtualRouterIdCount(byte virtualRouterId) => _unknownVirtualRouterIds[virtualRouterId];

    /// <summary>Sets the packet and drop counters back to zero (the per-VRID counts of unknown VRIDs stay: they decide what is reported once).</summary>
    public void ClearStatistics()
    {
        Received = 0;
        Array.Clear(_drops);
    }

    /// <summary>Adds a router; <paramref name="transport"/> defaults to multicast to its family's standard group.</summary>
    public void Add(VrrpRouter router, VrrpTransportSettings? transport = null)
    {
        byte vrid = router.Settings.VirtualRouterId;
        if (_routers[vrid] is { } existing)
            throw new InvalidOperationException(
                $"{router.Name} and {existing.Router.Name} both use virtual_router_id {vrid} on the same interface");
        transport ??= VrrpTransportSettings.Multicast(VrrpAddress.FromIPAddress(router.Settings.PrimaryAddress.IsIPv6
            ? VrrpWire.MulticastGroupIPv6 : VrrpWire.MulticastGroupIPv4));
        _routers[vrid] = new Entry(router, transport);
    }

    /// <summary>Reload: <paramref name="router"/> no longer receives here (its VRID becomes unknown until another is added).</summary>
    public bool Remove(VrrpRouter router)
    {
        byte vrid = router.Settings.VirtualRouterId;
        if (_routers[vrid]?.Router != router)
            return false;
        _routers[vrid] = null;
        return true;
    }

    public VrrpRouter? Find(byte virtualRouterId) => _routers[virtualRouterId]?.Router;

    /// <summary>Processes one IPv4 datagram as a raw socket delivers it (IP header included).</summary>
    public VrrpDropReason Receive(ReadOnlySpan<byte> ipv4Datagram)
    {
        if (VrrpPacket.TryReadIPv4(ipv4Datagram, out VrrpPacket packet))
            return Receive(packet);
        Received++;
        return Count(VrrpDropReason.MalformedIpHeader);
    }

    /// <summary>
    /// Processes one packet. Returns <see cref="VrrpDropReason.None"/> when a router accepted it,
    /// otherwise why it was dropped (here or by the router).
    /// </summary>
    public VrrpDropReason Receive(in VrrpPacket packet)
    {
        Received++;
        LastSource = packet.Source;
        if (packet.Protocol != VrrpWire.IpProtocol)
            return Count(VrrpDropReason.NotVrrp);
        VrrpDropReason reason = VrrpAdvertisement.TryReadMessage(packet.Message, packet.Source, out VrrpAdvertisement advertisement);
        if (reason != VrrpDropReason.None)
            return Count(reason);
        LastVirtualRouterId = advertisement.VirtualRouterId;
        if (_routers[advertisement.VirtualRouterId] is not { } entry)
        {
            _unknownVirtualRouterIds[advertisement.VirtualRouterId]++;
            return Count(VrrpDropReason.UnknownVirtualRouterId);
        }
        reason = CheckTransport(packet, advertisement, entry.Transport);
        if (reason != VrrpDropReason.None)
            entry.Router.Statistics.CountDrop(reason); // the router's own count: it concerns that router's configuration
        else
            reason = entry.Router.ReceiveAdvertisement(advertisement);
        entry.Router.HeardRouters.Record(advertisement, reason); // who is on the wire for this VRID (keepsharp status)
        return reason;
    }

    /// <summary>keepalived's vrrp_check_packet, the parts that depend on how the router's adverts travel.</summary>
    private static VrrpDropReason CheckTransport(in VrrpPacket packet, in VrrpAdvertisement advertisement, VrrpTransportSettings transport)
    {
        if (transport.IsUnicast)
        {
            if (packet.IsMulticast)
                return VrrpDropReason.UnexpectedMulticast;
        }
        else
        {
            if (packet.HopLimit >= 0 && packet.HopLimit != VrrpWire.RequiredTtl)
                return VrrpDropReason.TtlNot255;
            if (!packet.IsMulticast)
                return VrrpDropReason.UnexpectedUnicast;
        }
        if (!advertisement.HasValidChecksum(packet.Destination, transport.ChecksumMode, transport.MulticastGroup))
            return VrrpDropReason.BadChecksum;
        if (transport.RequireLinkLocalFirstAddress && packet.IsIPv6 && advertisement.AddressCount > 0
            && !advertisement.GetAddress(0).IsIPv6LinkLocal)
            return VrrpDropReason.FirstAddressNotLinkLocal;
        if (transport.IsUnicast && transport.CheckUnicastSource)
        {
            if (!transport.TryFindPeer(packet.Source, out VrrpUnicastPeer peer))
                return VrrpDropReason.NotAUnicastPeer;
            if (packet.HopLimit >= 0 && (packet.HopLimit < peer.MinTtl || packet.HopLimit > peer.MaxTtl))
                return VrrpDropReason.TtlOutOfRange;
        }
        return VrrpDropReason.None;
    }

    private VrrpDropReason Count(VrrpDropReason reason)
    {
        _drops[(int)reason]++;
        return reason;
    }

    /// <summary>
    /// The checks of RFC 3768 §7.1 that need no configuration, for a multicast IPv4 datagram: a well-formed IPv4
    /// header, protocol 112, TTL 255, then <see cref="VrrpAdvertisement.TryRead"/> (version, type, length, checksum).
    /// </summary>
    public static VrrpDropReason Read(ReadOnlySpan<byte> datagram, out VrrpAdvertisement advertisement)
    {
        advertisement = default;
        if (!IPv4Header.TryRead(datagram, out IPv4Header ip))
            return VrrpDropReason.MalformedIpHeader;
        if (ip.Protocol != VrrpWire.IpProtocol)
            return VrrpDropReason.NotVrrp;
        if (ip.Ttl != VrrpWire.RequiredTtl)
            return VrrpDropReason.TtlNot255;
        return VrrpAdvertisement.TryRead(ip.Payload, ip.Source, ip.Destination, out advertisement);
    }
}
