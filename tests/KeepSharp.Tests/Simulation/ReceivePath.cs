using KeepSharp.Vrrp;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Tests.Simulation;

/// <summary>
/// The IP-level checks of RFC 3768 §7.1 that the core leaves to its caller (there is no receive-path
/// function in KeepSharp.Core that applies them), then <see cref="VrrpAdvertisement.TryRead"/>.
/// The simulated LAN receives through this, so it mirrors what the Linux edge has to do.
/// </summary>
public static class ReceivePath
{
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
