using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Vrrp;

/// <summary>
/// The receive path of one interface: takes a raw IPv4 datagram as a raw socket delivers it, applies the
/// checks of RFC 3768 §7.1 that need no configuration (IP header, protocol, TTL, version, type, length,
/// checksum), dispatches by VRID to the virtual router, which applies its own. Every drop is counted by
/// reason; nothing here allocates or throws on bad input.
/// </summary>
public sealed class VrrpReceiver
{
    private readonly VrrpRouter?[] _routers = new VrrpRouter?[256];
    private readonly long[] _drops = new long[Enum.GetValues<VrrpDropReason>().Length];

    public long Received { get; private set; }

    /// <summary>Datagrams dropped here, before reaching a router, by reason.</summary>
    public long Dropped(VrrpDropReason reason) => _drops[(int)reason];

    public void Add(VrrpRouter router)
    {
        byte vrid = router.Settings.VirtualRouterId;
        if (_routers[vrid] is { } existing)
            throw new InvalidOperationException(
                $"{router.Name} and {existing.Name} both use virtual_router_id {vrid} on the same interface");
        _routers[vrid] = router;
    }

    public VrrpRouter? Find(byte virtualRouterId) => _routers[virtualRouterId];

    /// <summary>
    /// Processes one datagram. Returns <see cref="VrrpDropReason.None"/> when a router accepted it,
    /// otherwise why it was dropped (here or by the router).
    /// </summary>
    public VrrpDropReason Receive(ReadOnlySpan<byte> datagram)
    {
        Received++;
        VrrpDropReason reason = Dispatch(datagram, out VrrpRouter? router, out VrrpAdvertisement advertisement);
        if (reason != VrrpDropReason.None)
        {
            _drops[(int)reason]++;
            return reason;
        }
        return router!.ReceiveAdvertisement(advertisement);
    }

    private VrrpDropReason Dispatch(ReadOnlySpan<byte> datagram, out VrrpRouter? router, out VrrpAdvertisement advertisement)
    {
        router = null;
        VrrpDropReason reason = Read(datagram, out advertisement);
        if (reason != VrrpDropReason.None)
            return reason;
        router = _routers[advertisement.VirtualRouterId];
        return router is null ? VrrpDropReason.UnknownVirtualRouterId : VrrpDropReason.None;
    }

    /// <summary>
    /// The checks of RFC 3768 §7.1 that need no configuration: a well-formed IPv4 header, protocol 112,
    /// TTL 255, then <see cref="VrrpAdvertisement.TryRead"/> (version, type, length, checksum).
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
