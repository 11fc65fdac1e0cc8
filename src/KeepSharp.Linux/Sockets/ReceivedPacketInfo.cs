using System.Buffers.Binary;
using System.Net;

namespace KeepSharp.Linux;

/// <summary>
/// Receive metadata of one VRRP datagram, filled without allocation by
/// <see cref="VrrpSocket6.Receive(Span{byte}, out ReceivedPacketInfo)"/> and
/// <see cref="VrrpSocket.Receive(Span{byte}, out ReceivedPacketInfo)"/>.
/// Addresses are numeric big-endian values: the first wire byte is the most significant, so
/// ff02::12 is <c>0xff02_0000_..._0012</c>; an IPv4 address occupies the low 32 bits (224.0.0.18 is 0xE0000012).
/// </summary>
public struct ReceivedPacketInfo
{
    /// <summary>True for a datagram received on a <see cref="VrrpSocket6"/>.</summary>
    public bool IsIPv6 { readonly get; internal set; }

    /// <summary>Source address of the datagram (IPv6: from recvmsg's msg_name; IPv4: from the IP header).</summary>
    public UInt128 Source { readonly get; internal set; }

    /// <summary>Destination address in the IP header (IPV6_PKTINFO ipi6_addr / IP_PKTINFO ipi_addr); 0 when not reported.</summary>
    public UInt128 Destination { readonly get; internal set; }

    /// <summary>IPv6 hop limit (IPV6_HOPLIMIT) or IPv4 TTL (from the header); -1 when not reported.</summary>
    public int HopLimit { readonly get; internal set; }

    /// <summary>Index of the interface the datagram arrived on (from the pktinfo); 0 when not reported.</summary>
    public int InterfaceIndex { readonly get; internal set; }

    /// <summary>The datagram was longer than the receive buffer (MSG_TRUNC); the return value is the real length.</summary>
    public bool Truncated { readonly get; internal set; }

    /// <summary>The destination is a multicast address (ff00::/8 or 224.0.0.0/4).</summary>
    public readonly bool IsMulticastDestination => IsIPv6
        ? (byte)(Destination >> 120) == 0xFF
        : ((uint)Destination & 0xF000_0000u) == 0xE000_0000u;

    /// <summary>Writes the source address in wire order (16 or 4 bytes); returns the byte count.</summary>
    public readonly int WriteSource(Span<byte> destination) => Write(Source, destination);

    /// <summary>Writes the destination address in wire order (16 or 4 bytes); returns the byte count.</summary>
    public readonly int WriteDestination(Span<byte> destination) => Write(Destination, destination);

    /// <summary>The source as an <see cref="IPAddress"/> (allocates: for logging and tests). IPv6 scope id = interface index.</summary>
    public readonly IPAddress GetSourceAddress() => ToAddress(Source);

    /// <summary>The destination as an <see cref="IPAddress"/> (allocates: for logging and tests).</summary>
    public readonly IPAddress GetDestinationAddress() => ToAddress(Destination);

    /// <summary>Numeric big-endian value of an address's wire bytes (4 or 16 bytes).</summary>
    public static UInt128 ToValue(ReadOnlySpan<byte> address) => address.Length switch
    {
        16 => BinaryPrimitives.ReadUInt128BigEndian(address),
        4 => BinaryPrimitives.ReadUInt32BigEndian(address),
        _ => throw new ArgumentException("A 4- or 16-byte address is required.", nameof(address)),
    };

    /// <summary>Numeric big-endian value of an address.</summary>
    public static UInt128 ToValue(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out int written);
        return ToValue(b[..written]);
    }

    private readonly int Write(UInt128 value, Span<byte> destination)
    {
        if (IsIPv6)
        {
            BinaryPrimitives.WriteUInt128BigEndian(destination, value);
            return 16;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)value);
        return 4;
    }

    private readonly IPAddress ToAddress(UInt128 value)
    {
        Span<byte> b = stackalloc byte[16];
        int n = Write(value, b);
        if (!IsIPv6)
        {
            return new IPAddress(b[..n]);
        }

        // Scope only for link-local unicast and link-local-scope multicast (fe80::/10, ff02::/16).
        bool linkScope = (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) || (b[0] == 0xFF && (b[1] & 0x0F) == 0x02);
        return new IPAddress(b, linkScope ? InterfaceIndex : 0);
    }
}
