using System.Text;
using KeepSharp.Tests.Simulation;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Tests.Vrrp;

/// <summary>Every way a datagram can be wrong, each with its exact drop reason; plus bit flips and fuzz.</summary>
public class VrrpMalformedPacketTests
{
    private static readonly VrrpAddress Source = VrrpAddress.Parse("10.99.0.1");
    private static readonly VrrpAddress Group = VrrpAddress.Parse("224.0.0.18");
    private static readonly VrrpAddress Vip = VrrpAddress.Parse("10.99.0.100");

    /// <summary>keepalived 2.2.7's advert (see <see cref="VrrpGoldenBytesTests"/>).</summary>
    private static byte[] ValidV2() => Convert.FromHexString(
        "45c0002800010000ff70d02e0a630001e0000012" + "213364010101" + "0ca1" + "0a630064" + "3131313100000000");

    private static byte[] ValidV3() => Convert.FromHexString(
        "45c0002000010000ff70d0360a630001e0000012" + "31336401006474ad0a630064");

    /// <summary>Rewrites the VRRP checksum (v2: no pseudo-header) so only the intended defect remains.</summary>
    private static byte[] FixV2Checksum(byte[] payload)
    {
        payload[6] = payload[7] = 0;
        ushort sum = InternetChecksum.Compute(payload);
        payload[6] = (byte)(sum >> 8);
        payload[7] = (byte)sum;
        return payload;
    }

    private static VrrpDropReason ReadPayload(byte[] payload, VrrpAddress? source = null) =>
        VrrpAdvertisement.TryRead(payload, source ?? Source, Group, out _);

    // ---- IPv4 level -------------------------------------------------------------------------

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(19)]
    public void Shorter_than_an_IPv4_header_is_malformed(int length)
    {
        Assert.False(IPv4Header.TryRead(ValidV2().AsSpan(0, length), out _));
        Assert.Equal(VrrpDropReason.MalformedIpHeader, VrrpReceiver.Read(ValidV2().AsSpan(0, length), out _));
    }

    [Theory]
    [InlineData(0x65)] // version 6
    [InlineData(0x05)] // version 0
    [InlineData(0xF5)] // version 15
    [InlineData(0x44)] // IHL 4: 16 bytes, shorter than the fixed header
    [InlineData(0x40)] // IHL 0
    [InlineData(0x4F)] // IHL 15: 60 bytes, beyond the 40-byte total length
    public void Bad_version_or_header_length_is_malformed(byte versionAndIhl)
    {
        byte[] datagram = ValidV2();
        datagram[0] = versionAndIhl;
        Assert.False(IPv4Header.TryRead(datagram, out _));
        Assert.Equal(VrrpDropReason.MalformedIpHeader, VrrpReceiver.Read(datagram, out _));
    }

    [Theory]
    [InlineData(41)]     // one byte beyond the buffer
    [InlineData(0xFFFF)]
    [InlineData(19)]     // shorter than the header
    public void Total_length_inconsistent_with_buffer_is_malformed(int totalLength)
    {
        byte[] datagram = ValidV2();
        datagram[2] = (byte)(totalLength >> 8);
        datagram[3] = (byte)totalLength;
        Assert.False(IPv4Header.TryRead(datagram, out _));
        Assert.Equal(VrrpDropReason.MalformedIpHeader, VrrpReceiver.Read(datagram, out _));
    }

    [Fact]
    public void Total_length_shorter_than_buffer_cuts_the_payload()
    {
        byte[] datagram = [.. ValidV2(), 0xAA, 0xBB]; // link-layer padding after the datagram
        Assert.True(IPv4Header.TryRead(datagram, out IPv4Header ip));
        Assert.Equal(20, ip.Payload.Length);
        Assert.Equal(VrrpDropReason.None, VrrpReceiver.Read(datagram, out _));
    }

    [Fact]
    public void Total_length_zero_means_the_received_length()
    {
        byte[] datagram = ValidV2();
        datagram[2] = datagram[3] = 0;
        Assert.True(IPv4Header.TryRead(datagram, out IPv4Header ip));
        Assert.Equal(20, ip.Payload.Length);
    }

    [Fact]
    public void Header_options_are_skipped()
    {
        byte[] valid = ValidV2();
        // IHL 6: one 4-byte option (NOP NOP NOP EOL) between the fixed header and the payload.
        byte[] datagram = [.. valid[..20], 1, 1, 1, 0, .. valid[20..]];
        datagram[0] = 0x46;
        datagram[3] = (byte)datagram.Length;
        Assert.True(IPv4Header.TryRead(datagram, out IPv4Header ip));
        Assert.Equal(24, ip.HeaderLength);
        Assert.Equal(VrrpDropReason.None, VrrpReceiver.Read(datagram, out VrrpAdvertisement advert));
        Assert.Equal(51, advert.VirtualRouterId);
    }

    [Theory]
    [InlineData(17)]  // UDP
    [InlineData(51)]  // AH
    [InlineData(0)]
    public void Wrong_protocol_is_not_vrrp(byte protocol)
    {
        byte[] datagram = ValidV2();
        datagram[9] = protocol;
        Assert.True(IPv4Header.TryRead(datagram, out IPv4Header ip));
        Assert.Equal(protocol, ip.Protocol);
        Assert.Equal(VrrpDropReason.NotVrrp, VrrpReceiver.Read(datagram, out _));
    }

    [Theory]
    [InlineData(254)]
    [InlineData(64)]
    [InlineData(1)]
    [InlineData(0)]
    public void Ttl_other_than_255_is_exposed_and_dropped_by_the_receive_path(byte ttl)
    {
        // The core's IPv4Header only exposes Ttl; the check of RFC 3768 §7.1 is the caller's
        // (VrrpReceiver.Read). VrrpAdvertisement.TryRead alone accepts the payload.
        byte[] datagram = ValidV2();
        datagram[8] = ttl;
        Assert.True(IPv4Header.TryRead(datagram, out IPv4Header ip));
        Assert.Equal(ttl, ip.Ttl);
        Assert.Equal(VrrpDropReason.None, VrrpAdvertisement.TryRead(ip.Payload, ip.Source, ip.Destination, out _));
        Assert.Equal(VrrpDropReason.TtlNot255, VrrpReceiver.Read(datagram, out _));
    }

    // ---- VRRP level -------------------------------------------------------------------------

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void Shorter_than_the_vrrp_header_is_too_short(int length) =>
        Assert.Equal(VrrpDropReason.TooShort, ReadPayload(ValidV2()[20..][..length]));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(15)]
    public void Version_other_than_2_or_3_is_unsupported(int version)
    {
        byte[] payload = ValidV2()[20..];
        payload[0] = (byte)((version << 4) | 1);
        Assert.Equal(VrrpDropReason.UnsupportedVersion, ReadPayload(FixV2Checksum(payload)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(15)]
    public void Type_other_than_advertisement_is_unknown(int type)
    {
        byte[] payload = ValidV2()[20..];
        payload[0] = (byte)(0x20 | type);
        Assert.Equal(VrrpDropReason.UnknownType, ReadPayload(FixV2Checksum(payload)));
        byte[] v3 = ValidV3()[20..];
        v3[0] = (byte)(0x30 | type);
        Assert.Equal(VrrpDropReason.UnknownType, ReadPayload(v3));
    }

    [Fact]
    public void Version2_from_an_IPv6_source_is_read_as_keepalived_writes_it_without_authentication_data()
    {
        // keepalived's VRRPv2 over IPv6 (not in RFC 3768): 16-byte addresses, no authentication data, the checksum over
        // the IPv6 pseudo-header. An IPv4-style payload (4-byte address + 8 bytes of auth) is then too short for its count.
        byte[] payload = ValidV2()[20..];
        Assert.Equal(VrrpDropReason.LengthMismatch, ReadPayload(payload, VrrpAddress.Parse("fe80::1")));
    }

    [Theory]
    [InlineData(2)]   // claims 2 addresses, carries 1
    [InlineData(255)]
    public void Count_larger_than_the_packet_is_a_length_mismatch(byte count)
    {
        byte[] payload = ValidV2()[20..];
        payload[3] = count;
        Assert.Equal(VrrpDropReason.LengthMismatch, ReadPayload(FixV2Checksum(payload)));
        byte[] v3 = ValidV3()[20..];
        v3[3] = count;
        Assert.Equal(VrrpDropReason.LengthMismatch, ReadPayload(v3));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(12)]  // the address but no authentication data
    [InlineData(19)]
    public void Version2_without_its_authentication_data_is_a_length_mismatch(int length) =>
        Assert.Equal(VrrpDropReason.LengthMismatch, ReadPayload(ValidV2()[20..][..length]));

    [Fact]
    public void Version3_with_an_IPv6_source_needs_16_bytes_per_address()
    {
        // 12 bytes hold one IPv4 address but not one IPv6 address.
        Assert.Equal(VrrpDropReason.LengthMismatch, ReadPayload(ValidV3()[20..], VrrpAddress.Parse("fe80::1")));
    }

    [Fact]
    public void Wrong_checksum_is_bad()
    {
        byte[] payload = ValidV2()[20..];
        payload[7] ^= 0x80;
        Assert.Equal(VrrpDropReason.BadChecksum, ReadPayload(payload));
        // The checksum covers the authentication data.
        payload = ValidV2()[20..];
        payload[^1] = (byte)'x';
        Assert.Equal(VrrpDropReason.BadChecksum, ReadPayload(payload));
    }

    [Fact]
    public void Checks_run_in_order_version_type_length_checksum()
    {
        // Everything wrong at once: the first check wins.
        byte[] payload = [0x52, 1, 100, 9, 0, 1, 0xde, 0xad];
        Assert.Equal(VrrpDropReason.UnsupportedVersion, ReadPayload(payload));
        payload[0] = 0x22;
        Assert.Equal(VrrpDropReason.UnknownType, ReadPayload(payload));
        payload[0] = 0x21;
        Assert.Equal(VrrpDropReason.LengthMismatch, ReadPayload(payload));
        payload[3] = 0;
        Assert.Equal(VrrpDropReason.LengthMismatch, ReadPayload(payload)); // v2 needs 8 bytes of auth data
        payload = [.. payload, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal(VrrpDropReason.BadChecksum, ReadPayload(payload));
        Assert.Equal(VrrpDropReason.None, ReadPayload(FixV2Checksum(payload)));
    }

    // ---- bit flips and fuzz -----------------------------------------------------------------

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_single_bit_flip_is_rejected_or_decodes_differently(int version)
    {
        byte[] original = version == 2 ? ValidV2() : ValidV3();
        Assert.Equal(VrrpDropReason.None, VrrpReceiver.Read(original, out VrrpAdvertisement advert));
        string reference = Describe(advert);
        for (int bit = 0; bit < original.Length * 8; bit++)
        {
            byte[] flipped = (byte[])original.Clone();
            flipped[bit / 8] ^= (byte)(0x80 >> (bit % 8));
            // Whole datagram through the IP checks: never throws. IP header bits the receive path does
            // not look at (TOS, id, flags, header checksum: the kernel verifies that) may pass unchanged.
            VrrpDropReason reason = VrrpReceiver.Read(flipped, out VrrpAdvertisement decoded);
            if (reason == VrrpDropReason.None)
                _ = Describe(decoded);
            if (bit < 20 * 8)
                continue;
            // A flip in the VRRP bytes: rejected, or (count field) a different valid packet.
            Assert.True(reason != VrrpDropReason.None || Describe(decoded) != reference,
                $"bit {bit}: flipped datagram decodes as the original");
            reason = VrrpAdvertisement.TryRead(flipped.AsSpan(20), Source, Group, out decoded);
            Assert.True(reason != VrrpDropReason.None || Describe(decoded) != reference,
                $"bit {bit}: flipped packet decodes as the original");
        }
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(20261125);
        var router = FuzzRouter();
        byte[] buffer = new byte[96];
        byte[][] seeds = [ValidV2(), ValidV3()];
        var counts = new int[Enum.GetValues<VrrpDropReason>().Length];
        for (int i = 0; i < 100_000; i++)
        {
            int length = random.Next(buffer.Length + 1);
            Span<byte> input = buffer.AsSpan(0, length);
            if (i % 2 == 0)
            {
                random.NextBytes(input);
                // Mostly plausible IPv4 so the VRRP reader gets exercised too.
                if (length > 20 && random.Next(4) != 0)
                {
                    input[0] = 0x45;
                    input[2] = 0;
                    input[3] = (byte)length;
                    input[8] = 255;
                    input[9] = VrrpWire.IpProtocol;
                    if (random.Next(2) == 0)
                        input[20] = (byte)((random.Next(2, 4) << 4) | 1);
                }
            }
            else
            {
                // Mutations of valid adverts: a few random bytes changed, maybe truncated or extended.
                byte[] seed = seeds[random.Next(seeds.Length)];
                length = Math.Min(buffer.Length, seed.Length + random.Next(-8, 9));
                input = buffer.AsSpan(0, length);
                random.NextBytes(input);
                seed.AsSpan(0, Math.Min(seed.Length, length)).CopyTo(input);
                for (int k = random.Next(1, 4); k > 0; k--)
                    input[random.Next(length)] = (byte)random.Next(256);
            }

            VrrpDropReason reason = VrrpReceiver.Read(input, out VrrpAdvertisement advert);
            counts[(int)reason]++;
            if (reason == VrrpDropReason.None)
            {
                _ = Describe(advert);
                router.ReceiveAdvertisement(advert);
            }
        }
        // The mutations reached every stage of the reader.
        foreach (VrrpDropReason expected in new[] { VrrpDropReason.MalformedIpHeader, VrrpDropReason.NotVrrp,
            VrrpDropReason.TtlNot255, VrrpDropReason.TooShort, VrrpDropReason.UnsupportedVersion, VrrpDropReason.UnknownType,
            VrrpDropReason.LengthMismatch, VrrpDropReason.BadChecksum, VrrpDropReason.None })
            Assert.True(counts[(int)expected] > 0, $"no fuzz input ended with {expected}");
    }

    private static VrrpRouter FuzzRouter()
    {
        var router = new VrrpRouter(new VrrpRouterSettings
        {
            Name = "fuzz",
            VirtualRouterId = 51,
            Priority = 100,
            PrimaryAddress = VrrpAddress.Parse("10.99.0.2"),
            VirtualAddresses = [Vip],
            AuthenticationType = VrrpAuthenticationType.SimpleTextPassword,
            AuthenticationData = VrrpGoldenBytesTests.PaddedPassword("1111"),
        }, new VirtualTimeProvider(), new RecordingActions(new VirtualTimeProvider()));
        router.Start();
        return router;
    }

    /// <summary>Every decoded field, to compare two decodings.</summary>
    internal static string Describe(in VrrpAdvertisement a)
    {
        var text = new StringBuilder();
        text.Append($"v{a.Version} t{a.Type} vrid{a.VirtualRouterId} p{a.Priority} n{a.AddressCount} ")
            .Append($"auth{(int)a.AuthenticationType} int{a.AdvertisementIntervalCentiseconds} ck{a.Checksum:x4} src{a.Source}");
        for (int i = 0; i < a.AddressCount; i++)
            text.Append(' ').Append(a.GetAddress(i));
        text.Append(' ').Append(Convert.ToHexString(a.AuthenticationData)).Append(' ').Append(Convert.ToHexString(a.Addresses));
        return text.ToString();
    }
}
