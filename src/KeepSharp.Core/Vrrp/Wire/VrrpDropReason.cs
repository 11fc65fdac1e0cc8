namespace KeepSharp.Vrrp.Wire;

/// <summary>Why a received datagram was not handed to a virtual router. Each reason has its own counter.</summary>
public enum VrrpDropReason : byte
{
    None = 0,
    /// <summary>Shorter than an IPv4 header, or the header's own fields are inconsistent.</summary>
    MalformedIpHeader,
    /// <summary>The IP protocol is not 112.</summary>
    NotVrrp,
    /// <summary>TTL / hop limit not 255 (RFC 3768 §7.1): the packet crossed a router.</summary>
    TtlNot255,
    /// <summary>Shorter than the VRRP fixed header.</summary>
    TooShort,
    /// <summary>Version field neither 2 nor 3.</summary>
    UnsupportedVersion,
    /// <summary>Version valid, but not the one this virtual router runs.</summary>
    VersionMismatch,
    /// <summary>Type field not ADVERTISEMENT.</summary>
    UnknownType,
    /// <summary>Length does not match the address count (and, in v2, the authentication data).</summary>
    LengthMismatch,
    /// <summary>The VRRP checksum is wrong.</summary>
    BadChecksum,
    /// <summary>No virtual router on this interface has the packet's VRID.</summary>
    UnknownVirtualRouterId,
    /// <summary>Auth Type differs from the configured one.</summary>
    AuthenticationTypeMismatch,
    /// <summary>Authentication data differs from the configured password.</summary>
    AuthenticationFailure,
    /// <summary>Advertisement interval differs from the configured one (VRRPv2, RFC 3768 §7.1).</summary>
    AdvertisementIntervalMismatch,
    /// <summary>The addresses differ from the configured virtual addresses and the sender is not the owner.</summary>
    AddressListMismatch,
    /// <summary>The packet came from one of this host's own addresses.</summary>
    OwnPacket,
    /// <summary>A unicast router heard a multicast advert (keepalived: "Expected unicast packet but received multicast packet").</summary>
    UnexpectedMulticast,
    /// <summary>A multicast router heard a unicast advert.</summary>
    UnexpectedUnicast,
    /// <summary>With <c>check_unicast_src</c>: the source is not one of the <c>unicast_peer</c> addresses.</summary>
    NotAUnicastPeer,
    /// <summary>With <c>check_unicast_src</c>: the TTL / hop limit is outside the peer's <c>min_ttl</c>..<c>max_ttl</c>.</summary>
    TtlOutOfRange,
    /// <summary>An IPv6 advert whose first address is not link-local (RFC 9568 §5.2.9), where strict mode requires it.</summary>
    FirstAddressNotLinkLocal,
    /// <summary>VRRPv3 Max Adver Int of 0 (RFC 9568 §5.2.7: the interval is at least 1 centisecond); counted by the router.</summary>
    AdvertisementIntervalZero,
    /// <summary>Count IPvX Addr of 0 (RFC 9568 §5.2.5, §7.1 as corrected by erratum EID 8299: MUST be ignored); counted by the router.</summary>
    NoVirtualAddresses,
}
