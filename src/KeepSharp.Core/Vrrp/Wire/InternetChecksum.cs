using System.Buffers.Binary;

namespace KeepSharp.Vrrp.Wire;

/// <summary>The 16-bit one's complement Internet checksum (RFC 1071), used by IPv4 headers and VRRP.</summary>
public static class InternetChecksum
{
    /// <summary>Adds <paramref name="data"/> to a running 32-bit sum (carries folded at the end).</summary>
    public static uint Accumulate(uint sum, ReadOnlySpan<byte> data)
    {
        int i = 0;
        for (; i + 1 < data.Length; i += 2)
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if (i < data.Length)
            sum += (uint)(data[i] << 8);
        return sum;
    }

    /// <summary>Folds the carries and complements: the value to store in a checksum field.</summary>
    public static ushort Finish(uint sum)
    {
        while ((sum >> 16) != 0)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    public static ushort Compute(ReadOnlySpan<byte> data) => Finish(Accumulate(0, data));
}
