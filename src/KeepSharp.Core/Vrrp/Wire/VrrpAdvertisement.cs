using System.Buffers.Binary;

namespace KeepSharp.Vrrp.Wire;

/// <summary>
/// A VRRP advertisement (RFC 3768 §5.1 for version 2, RFC 9568 §5.1 for version 3) read in place from
/// the bytes after the IP header. Obtain one with <see cref="TryRead"/>, which validates everything that
/// can be checked without the receiving virtual router's configuration.
/// </summary>
public readonly ref struct VrrpAdvertisement
{
    private readonly ReadOnlySpan<byte> _packet;

    private VrrpAdvertisement(ReadOnlySpan<byte> packet, VrrpAddress source)
    {
        _packet = packet;
        Source = source;
    }

    /// <summary>The sender's address from the IP header: its primary address.</summary>
    public VrrpAddress Source { get; }

    public int Version => _packet[0] >> 4;
    public int Type => _packet[0] & 0x0F;
    public byte VirtualRouterId => _packet[1];
    public byte Priority => _packet[2];
    public int AddressCount => _packet[3];

    /// <summary>VRRPv2 only: the Auth Type field.</summary>
    public VrrpAuthenticationType AuthenticationType => Version == 2 ? (VrrpAuthenticationType)_packet[4] : VrrpAuthenticationType.None;

    /// <summary>
    /// The advertisement interval in centiseconds: v2 carries whole seconds in one byte,
    /// v3 carries centiseconds in twelve bits.
    /// </summary>
    public int AdvertisementIntervalCentiseconds => Version == 2
        ? _packet[5] * 100
        : BinaryPrimitives.ReadUInt16BigEndian(_packet[4..]) & 0x0FFF;

    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_packet[6..]);

    public int AddressLength => Source.IsIPv6 ? 16 : 4;

    /// <summary>The virtual addresses, <see cref="AddressLength"/> bytes each, in network order.</summary>
    public ReadOnlySpan<byte> Addresses => _packet.Slice(VrrpWire.HeaderLength, AddressCount * AddressLength);

    public VrrpAddress GetAddress(int index)
    {
        ReadOnlySpan<byte> bytes = Addresses.Slice(index * AddressLength, AddressLength);
        return Source.IsIPv6 ? VrrpAddress.FromIPv6(bytes) : VrrpAddress.FromIPv4(bytes);
    }

    /// <summary>VRRPv2 only: the 8 bytes of authentication data.</summary>
    public ReadOnlySpan<byte> AuthenticationData => Version == 2 && !Source.IsIPv6
        ? _packet.Slice(VrrpWire.HeaderLength + AddressCount * AddressLength, VrrpWire.AuthenticationDataLength)
        : ReadOnlySpan<byte>.Empty;

    /// <summary>
    /// Validates version, type, length and checksum of <paramref name="packet"/> (the IP payload) and
    /// reads it. The pseudo-header fields (<paramref name="source"/>, <paramref name="destination"/>) are
    /// needed for the version 3 checksum (RFC 9568's form).
    /// </summary>
    public static VrrpDropReason TryRead(
        ReadOnlySpan<byte> packet,
        VrrpAddress source,
        VrrpAddress destination,
        out VrrpAdvertisement advertisement)
    {
        VrrpDropReason reason = TryReadMessage(packet, source, out advertisement);
        if (reason == VrrpDropReason.None && !advertisement.HasValidChecksum(destination, VrrpChecksumMode.PseudoHeader, default))
        {
            advertisement = default;
            return VrrpDropReason.BadChecksum;
        }
        return reason;
    }

    /// <summary>
    /// Validates version, type and length of <paramref name="packet"/> (the IP payload) and reads it; the checksum is
    /// left to <see cref="HasValidChecksum"/>, since what it covers depends on the receiving router's configuration.
    /// </summary>
    public static VrrpDropReason TryReadMessage(ReadOnlySpan<byte> packet, VrrpAddress source, out VrrpAdvertisement advertisement)
    {
        advertisement = default;
        if (packet.Length < VrrpWire.HeaderLength)
            return VrrpDropReason.TooShort;

        int version = packet[0] >> 4;
        if (version is not (2 or 3))
            return VrrpDropReason.UnsupportedVersion;
        if ((packet[0] & 0x0F) != VrrpWire.TypeAdvertisement)
            return VrrpDropReason.UnknownType;
        // VRRPv2 over IPv6 is keepalived's extension (no authentication data; checksum with the pseudo-header).
        int addressLength = source.IsIPv6 ? 16 : 4;
        int expected = VrrpWire.HeaderLength + packet[3] * addressLength
            + (version == 2 && !source.IsIPv6 ? VrrpWire.AuthenticationDataLength : 0);
        // RFC 3768 §7.1: the length must be large enough for the address count; trailing bytes beyond
        // it (link-layer padding the kernel did not strip) are tolerated, as keepalived does.
        if (packet.Length < expected)
            return VrrpDropReason.LengthMismatch;

        advertisement = new VrrpAdvertisement(packet[..expected], source);
        return VrrpDropReason.None;
    }

    /// <summary>
    /// Whether the checksum is right: VRRPv2 over the message; VRRPv3 over IPv6 with the pseudo-header of
    /// source → <paramref name="destination"/>; VRRPv3 over IPv4 as <paramref name="mode"/> says
    /// (<paramref name="multicastGroup"/> stands in for the destination in <see cref="VrrpChecksumMode.MulticastPseudoHeader"/>).
    /// </summary>
    public bool HasValidChecksum(VrrpAddress destination, VrrpChecksumMode mode, VrrpAddress multicastGroup)
    {
        uint sum = 0;
        if (Version == 3 || Source.IsIPv6)
        {
            if (Source.IsIPv6 || mode == VrrpChecksumMode.PseudoHeader)
                sum = PseudoHeaderSum(Source, destination, _packet.Length);
            else if (mode == VrrpChecksumMode.MulticastPseudoHeader)
                sum = PseudoHeaderSum(Source, multicastGroup, _packet.Length);
        }
        return InternetChecksum.Finish(InternetChecksum.Accumulate(sum, _packet)) == 0;
    }

    /// <summary>The sum of the IPv4 or IPv6 pseudo-header that the VRRPv3 checksum covers (RFC 9568 §5.2.8).</summary>
    internal static uint PseudoHeaderSum(VrrpAddress source, VrrpAddress destination, int length)
    {
        Span<byte> addresses = stackalloc byte[32];
        int n = source.ByteLength;
        source.WriteTo(addresses);
        destination.WriteTo(addresses[n..]);
        uint sum = InternetChecksum.Accumulate(0, addresses[..(2 * n)]);
        return sum + VrrpWire.IpProtocol + (uint)length;
    }
}
