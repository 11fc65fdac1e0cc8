using System.Net;

namespace KeepSharp.Vrrp.Wire;

/// <summary>Constants of the VRRP wire protocol (RFC 3768 §5, RFC 9568 §5).</summary>
public static class VrrpWire
{
    /// <summary>The IP protocol number assigned to VRRP.</summary>
    public const byte IpProtocol = 112;

    /// <summary>VRRP packets are sent, and must be received, with this TTL / hop limit.</summary>
    public const byte RequiredTtl = 255;

    /// <summary>The only packet type: ADVERTISEMENT.</summary>
    public const byte TypeAdvertisement = 1;

    /// <summary>The fixed part of a VRRP packet: version/type, VRID, priority, count, two bytes, checksum.</summary>
    public const int HeaderLength = 8;

    /// <summary>VRRPv2 carries 8 bytes of authentication data after the addresses.</summary>
    public const int AuthenticationDataLength = 8;

    /// <summary>Priority 0: the current master stops participating (RFC 3768 §5.3.4).</summary>
    public const byte PriorityStop = 0;

    /// <summary>Priority 255: the router owns the virtual addresses.</summary>
    public const byte PriorityOwner = 255;

    /// <summary>IP precedence "internetwork control", as keepalived sets it on adverts.</summary>
    public const byte TypeOfService = 0xC0;

    /// <summary>The largest count of addresses one advert can carry.</summary>
    public const int MaxAddresses = 255;

    public static readonly IPAddress MulticastGroupIPv4 = IPAddress.Parse("224.0.0.18");
    public static readonly IPAddress MulticastGroupIPv6 = IPAddress.Parse("ff02::12");
}
