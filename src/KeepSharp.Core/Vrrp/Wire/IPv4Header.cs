using System.Buffers.Binary;

namespace KeepSharp.Vrrp.Wire;

/// <summary>
/// The IPv4 header of a datagram received on (or sent through) a raw socket: read from and written
/// to spans, no allocation. Options are skipped on read and never written.
/// </summary>
public readonly ref struct IPv4Header
{
    public const int MinimumLength = 20;

    private IPv4Header(ReadOnlySpan<byte> datagram, int headerLength, int totalLength)
    {
        HeaderLength = headerLength;
        Ttl = datagram[8];
        Protocol = datagram[9];
        Source = VrrpAddress.FromIPv4(datagram[12..16]);
        Destination = VrrpAddress.FromIPv4(datagram[16..20]);
        Payload = datagram[headerLength..totalLength];
    }

    public int HeaderLength { get; }
    public byte Ttl { get; }
    public byte Protocol { get; }
    public VrrpAddress Source { get; }
    public VrrpAddress Destination { get; }
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>Reads the header of <paramref name="datagram"/>; false when it is not a well-formed IPv4 header.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out IPv4Header header)
    {
        header = default;
        if (datagram.Length < MinimumLength || datagram[0] >> 4 != 4)
            return false;
        int headerLength = (datagram[0] & 0x0F) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        // Raw sockets hand over the datagram as it was; some stacks report total length 0 for
        // offloaded packets, so accept the received length then.
        if (totalLength == 0)
            totalLength = datagram.Length;
        if (headerLength < MinimumLength || totalLength < headerLength || totalLength > datagram.Length)
            return false;
        header = new IPv4Header(datagram, headerLength, totalLength);
        return true;
    }

    /// <summary>
    /// Writes a 20-byte header for a payload of <paramref name="payloadLength"/> bytes, checksum included.
    /// </summary>
    public static void Write(
        Span<byte> destination,
        VrrpAddress source,
        VrrpAddress target,
        byte protocol,
        byte ttl,
        byte typeOfService,
        ushort identification,
        int payloadLength)
    {
        Span<byte> h = destination[..MinimumLength];
        h[0] = 0x45;
        h[1] = typeOfService;
        BinaryPrimitives.WriteUInt16BigEndian(h[2..], (ushort)(MinimumLength + payloadLength));
        BinaryPrimitives.WriteUInt16BigEndian(h[4..], identification);
        BinaryPrimitives.WriteUInt16BigEndian(h[6..], 0); // no flags, no fragment offset
        h[8] = ttl;
        h[9] = protocol;
        BinaryPrimitives.WriteUInt16BigEndian(h[10..], 0);
        source.WriteTo(h[12..]);
        target.WriteTo(h[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(h[10..], InternetChecksum.Compute(h));
    }
}
