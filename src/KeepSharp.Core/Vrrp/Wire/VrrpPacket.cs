namespace KeepSharp.Vrrp.Wire;

/// <summary>
/// One received VRRP packet of either address family, as the edge delivers it: the IP-level facts the checks of
/// RFC 3768 §7.1 and RFC 9568 §7.1 need (source, destination, TTL or hop limit, protocol) and the VRRP message.
/// An IPv4 raw socket hands over the IP header, read by <see cref="TryReadIPv4"/>; an IPv6 raw socket hands over
/// the message alone, with the addresses and hop limit from <c>recvmsg</c>'s control messages.
/// </summary>
public readonly ref struct VrrpPacket
{
    public VrrpPacket(VrrpAddress source, VrrpAddress destination, int hopLimit, byte protocol, ReadOnlySpan<byte> message)
    {
        Source = source;
        Destination = destination;
        HopLimit = hopLimit;
        Protocol = protocol;
        Message = message;
    }

    /// <summary>The sender's address: its primary IPv4 address, or its IPv6 link-local address.</summary>
    public VrrpAddress Source { get; }

    /// <summary>The multicast group or, for unicast, our own address.</summary>
    public VrrpAddress Destination { get; }

    /// <summary>IPv4 TTL or IPv6 hop limit; -1 when the edge could not learn it.</summary>
    public int HopLimit { get; }

    public byte Protocol { get; }

    /// <summary>The VRRP message: everything after the IP header.</summary>
    public ReadOnlySpan<byte> Message { get; }

    public bool IsIPv6 => Source.IsIPv6;

    /// <summary>Whether the packet was sent to a multicast group (IPv4 224/4, IPv6 ff00::/8).</summary>
    public bool IsMulticast => Destination.IsMulticast;

    /// <summary>Reads a datagram as an IPv4 raw socket delivers it (header included); false when the header is malformed.</summary>
    public static bool TryReadIPv4(ReadOnlySpan<byte> datagram, out VrrpPacket packet)
    {
        if (!IPv4Header.TryRead(datagram, out IPv4Header ip))
        {
            packet = default;
            return false;
        }
        packet = new VrrpPacket(ip.Source, ip.Destination, ip.Ttl, ip.Protocol, ip.Payload);
        return true;
    }
}
