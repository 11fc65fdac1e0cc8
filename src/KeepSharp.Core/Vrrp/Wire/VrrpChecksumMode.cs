namespace KeepSharp.Vrrp.Wire;

/// <summary>
/// What the VRRPv3 checksum over IPv4 covers (RFC 9568 §5.2.8 and the implementations that read it otherwise).
/// VRRPv2 always covers the VRRP message alone; VRRPv3 over IPv6 always covers the IPv6 pseudo-header.
/// </summary>
public enum VrrpChecksumMode : byte
{
    /// <summary>RFC 9568: the IPv4 pseudo-header (source, destination, protocol, length) and the message. keepalived's default.</summary>
    PseudoHeader,

    /// <summary>
    /// The pseudo-header with the multicast group as destination even for unicast adverts: keepalived before
    /// 1.3.6 (its <c>old_unicast_checksum</c>, which keepalived also detects from a peer's adverts).
    /// </summary>
    MulticastPseudoHeader,

    /// <summary>The message alone, as in VRRPv2 (keepalived's <c>v3_checksum_as_v2</c>; some routers' VRRPv3 over IPv4).</summary>
    MessageOnly,
}
