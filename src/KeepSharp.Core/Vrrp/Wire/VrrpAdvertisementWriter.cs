using System.Buffers.Binary;

namespace KeepSharp.Vrrp.Wire;

/// <summary>Writes VRRP advertisements into caller-provided buffers, checksum included. No allocation.</summary>
public static class VrrpAdvertisementWriter
{
    /// <summary>The size of an advertisement carrying <paramref name="addressCount"/> addresses.</summary>
    /// <remarks>VRRPv2 over IPv6 (keepalived's extension, outside strict mode) carries no authentication data.</remarks>
    public static int GetLength(int version, int addressCount, bool ipv6 = false) =>
        VrrpWire.HeaderLength + addressCount * (ipv6 ? 16 : 4)
        + (version == 2 && !ipv6 ? VrrpWire.AuthenticationDataLength : 0);

    /// <summary>
    /// Writes a VRRPv2 advertisement (RFC 3768 §5). <paramref name="authenticationData"/> is at most
    /// 8 bytes and zero-padded (the PASS password). Returns the number of bytes written.
    /// </summary>
    public static int WriteVersion2(
        Span<byte> destination,
        byte virtualRouterId,
        byte priority,
        byte advertisementIntervalSeconds,
        VrrpAuthenticationType authenticationType,
        ReadOnlySpan<byte> authenticationData,
        ReadOnlySpan<VrrpAddress> addresses)
    {
        if (addresses.Length > VrrpWire.MaxAddresses)
            throw new ArgumentOutOfRangeException(nameof(addresses), "a VRRP advertisement carries at most 255 addresses");
        bool ipv6 = addresses.Length > 0 && addresses[0].IsIPv6;
        int length = GetLength(2, addresses.Length, ipv6);
        Span<byte> p = destination[..length];
        p[0] = (2 << 4) | VrrpWire.TypeAdvertisement;
        p[1] = virtualRouterId;
        p[2] = priority;
        p[3] = (byte)addresses.Length;
        p[4] = (byte)authenticationType;
        p[5] = advertisementIntervalSeconds;
        BinaryPrimitives.WriteUInt16BigEndian(p[6..], 0);
        int offset = WriteAddresses(p, addresses);
        if (!ipv6)
        {
            Span<byte> auth = p.Slice(offset, VrrpWire.AuthenticationDataLength);
            auth.Clear();
            authenticationData[..Math.Min(authenticationData.Length, auth.Length)].CopyTo(auth);
        }
        // Over IPv6 the checksum covers the pseudo-header too (the caller patches it in, as for VRRPv3).
        BinaryPrimitives.WriteUInt16BigEndian(p[6..], InternetChecksum.Compute(p));
        return length;
    }

    /// <summary>
    /// Writes a VRRPv3 advertisement (RFC 9568 §5) whose checksum covers the pseudo-header of
    /// <paramref name="source"/> → <paramref name="target"/>. Returns the number of bytes written.
    /// </summary>
    public static int WriteVersion3(
        Span<byte> destination,
        byte virtualRouterId,
        byte priority,
        ushort maxAdvertisementIntervalCentiseconds,
        ReadOnlySpan<VrrpAddress> addresses,
        VrrpAddress source,
        VrrpAddress target)
    {
        if (addresses.Length > VrrpWire.MaxAddresses)
            throw new ArgumentOutOfRangeException(nameof(addresses), "a VRRP advertisement carries at most 255 addresses");
        if (maxAdvertisementIntervalCentiseconds > 0x0FFF)
            throw new ArgumentOutOfRangeException(nameof(maxAdvertisementIntervalCentiseconds), "the interval has 12 bits");
        int length = GetLength(3, addresses.Length, source.IsIPv6);
        Span<byte> p = destination[..length];
        p[0] = (3 << 4) | VrrpWire.TypeAdvertisement;
        p[1] = virtualRouterId;
        p[2] = priority;
        p[3] = (byte)addresses.Length;
        BinaryPrimitives.WriteUInt16BigEndian(p[4..], maxAdvertisementIntervalCentiseconds);
        BinaryPrimitives.WriteUInt16BigEndian(p[6..], 0);
        WriteAddresses(p, addresses);
        uint sum = VrrpAdvertisement.PseudoHeaderSum(source, target, length);
        BinaryPrimitives.WriteUInt16BigEndian(p[6..], InternetChecksum.Finish(InternetChecksum.Accumulate(sum, p)));
        return length;
    }

    private static int WriteAddresses(Span<byte> packet, ReadOnlySpan<VrrpAddress> addresses)
    {
        int offset = VrrpWire.HeaderLength;
        foreach (VrrpAddress address in addresses)
        {
            address.WriteTo(packet[offset..]);
            offset += address.ByteLength;
        }
        return offset;
    }
}
