using System.Text;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Tests.Vrrp;

/// <summary>
/// Known-good advertisements as whole IPv4 datagrams: our reader must decode every field, our writer
/// (with <see cref="IPv4Header.Write"/>) must reproduce the bytes exactly, and tshark must agree.
/// </summary>
public class VrrpGoldenBytesTests
{
    public sealed record Golden(
        string Datagram,
        int Version,
        byte VirtualRouterId,
        byte Priority,
        VrrpAuthenticationType AuthenticationType,
        string Password,
        int IntervalCentiseconds,
        ushort Checksum,
        ushort Identification,
        string Source,
        string[] Addresses);

    private static readonly Dictionary<string, Golden> Vectors = new()
    {
        // Captured from the real keepalived 2.2.7 (/usr/sbin/keepalived): a network namespace
        // kssim-<random> with a veth pair ksa(10.99.0.1/24)/ksb, `keepalived -n -l -D -P -f conf -p pid
        // -r vrrppid` with vrrp_instance { interface ksa; virtual_router_id 51; priority 100; advert_int 1;
        // authentication { auth_type PASS; auth_pass 1111 }; virtual_ipaddress { 10.99.0.100 } } and
        // `tcpdump -i ksb -w cap.pcap proto 112`; the IPv4 datagram is the frame minus its 14-byte
        // Ethernet header (`tcpdump -r cap.pcap -x`). This is its first advert after MASTER (IP id 1).
        ["keepalived-v2-prio100"] = new(
            "45c000280001 0000ff70d02e 0a630001 e0000012" + "21336401 01010ca1 0a630064 3131313100000000",
            2, 51, 100, VrrpAuthenticationType.SimpleTextPassword, "1111", 100, 0x0ca1, 1, "10.99.0.1", ["10.99.0.100"]),
        // Same capture: the priority-0 advert keepalived sends when it gets SIGTERM ("sent 0 priority").
        ["keepalived-v2-prio0"] = new(
            "45c000280005 0000ff70d02a 0a630001 e0000012" + "21330001 010170a1 0a630064 3131313100000000",
            2, 51, 0, VrrpAuthenticationType.SimpleTextPassword, "1111", 100, 0x70a1, 5, "10.99.0.1", ["10.99.0.100"]),
        // The same instance with `version 3` and no authentication block, captured the same way.
        // Checksum by hand (RFC 9568 §5.2.8, IPv4 pseudo-header src, dst, 0, 112, VRRP length 12):
        //   pseudo 0a63+0001+e000+0012+0070+000c = eaf2
        //   VRRP   3133+6401+0064+0000+0a63+0064 = a05f
        //   eaf2+a05f = 18b51 → fold 8b52 → complement 74ad.
        ["keepalived-v3-prio100"] = new(
            "45c000200001 0000ff70d036 0a630001 e0000012" + "31336401 006474ad 0a630064",
            3, 51, 100, VrrpAuthenticationType.None, "", 100, 0x74ad, 1, "10.99.0.1", ["10.99.0.100"]),
        ["keepalived-v3-prio0"] = new(
            "45c000200003 0000ff70d034 0a630001 e0000012" + "31330001 0064d8ad 0a630064",
            3, 51, 0, VrrpAuthenticationType.None, "", 100, 0xd8ad, 3, "10.99.0.1", ["10.99.0.100"]),
        // Built by hand: the address owner, two addresses, no authentication. VRRP checksum:
        //   2101+ff02+0001+0000+c0a8+0001+c0a8+0002+0+0+0+0 = 2a157 → fold a159 → complement 5ea6.
        ["owner-v2-two-addresses"] = new(
            "45c0002c1234 0000ff7007b2 c0a80001 e0000012" + "2101ff02 00015ea6 c0a80001 c0a80002 0000000000000000",
            2, 1, 255, VrrpAuthenticationType.None, "", 100, 0x5ea6, 0x1234, "192.168.0.1", ["192.168.0.1", "192.168.0.2"]),
        // Built by hand: no addresses at all, VRID 255, priority 1, interval 255 s:
        //   21ff+0100+00ff+0000 = 23fe → complement dc01.
        ["v2-no-addresses"] = new(
            "45c000240000 0000ff70297e ac100509 e0000012" + "21ff0100 00ffdc01 0000000000000000",
            2, 255, 1, VrrpAuthenticationType.None, "", 25500, 0xdc01, 0, "172.16.5.9", []),
        // Built by hand, VRRPv3, interval 50 cs, two addresses:
        //   pseudo c000+0202+e000+0012+0070+0010 = 1a294
        //   VRRP   3107+c802+0032+0000+c000+020a+c000+020b = 27d50
        //   1a294+27d50 = 41fe4 → fold 1fe8 → complement e017.
        ["v3-two-addresses-50cs"] = new(
            "45c00024beef 0000ff7059a5 c0000202 e0000012" + "3107c802 0032e017 c000020a c000020b",
            3, 7, 200, VrrpAuthenticationType.None, "", 50, 0xe017, 0xbeef, "192.0.2.2", ["192.0.2.10", "192.0.2.11"]),
    };

    public static TheoryData<string> Names => new(Vectors.Keys);

    private static byte[] Bytes(Golden golden) => Convert.FromHexString(golden.Datagram.Replace(" ", ""));

    [Theory]
    [MemberData(nameof(Names))]
    public void Reader_decodes_every_field(string name)
    {
        Golden g = Vectors[name];
        byte[] datagram = Bytes(g);

        Assert.True(IPv4Header.TryRead(datagram, out IPv4Header ip));
        Assert.Equal(20, ip.HeaderLength);
        Assert.Equal(VrrpWire.RequiredTtl, ip.Ttl);
        Assert.Equal(VrrpWire.IpProtocol, ip.Protocol);
        Assert.Equal(VrrpAddress.Parse(g.Source), ip.Source);
        Assert.Equal(VrrpAddress.Parse("224.0.0.18"), ip.Destination);
        Assert.Equal(datagram.Length - 20, ip.Payload.Length);

        Assert.Equal(VrrpDropReason.None, VrrpAdvertisement.TryRead(ip.Payload, ip.Source, ip.Destination, out VrrpAdvertisement advert));
        Assert.Equal(g.Version, advert.Version);
        Assert.Equal(VrrpWire.TypeAdvertisement, advert.Type);
        Assert.Equal(g.VirtualRouterId, advert.VirtualRouterId);
        Assert.Equal(g.Priority, advert.Priority);
        Assert.Equal(g.Addresses.Length, advert.AddressCount);
        Assert.Equal(g.AuthenticationType, advert.AuthenticationType);
        Assert.Equal(g.IntervalCentiseconds, advert.AdvertisementIntervalCentiseconds);
        Assert.Equal(g.Checksum, advert.Checksum);
        Assert.Equal(VrrpAddress.Parse(g.Source), advert.Source);
        Assert.Equal(4, advert.AddressLength);
        for (int i = 0; i < g.Addresses.Length; i++)
            Assert.Equal(VrrpAddress.Parse(g.Addresses[i]), advert.GetAddress(i));
        if (g.Version == 2)
            Assert.Equal(PaddedPassword(g.Password), advert.AuthenticationData.ToArray());
        else
            Assert.True(advert.AuthenticationData.IsEmpty);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Writer_reproduces_the_datagram_byte_for_byte(string name)
    {
        Golden g = Vectors[name];
        byte[] expected = Bytes(g);
        byte[] written = Write(g);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(written));
    }

    [Fact]
    public void Tshark_dissects_what_the_writer_produces()
    {
        string[] names = Vectors.Keys.ToArray();
        IReadOnlyList<string> frames = Tshark.DissectVrrp(names.Select(n => Write(Vectors[n])).ToArray());
        Assert.Equal(names.Length, frames.Count);
        for (int i = 0; i < names.Length; i++)
        {
            Golden g = Vectors[names[i]];
            string frame = frames[i];
            Assert.Contains("[Header checksum status: Good]", frame);
            Assert.Contains($"Source Address: {g.Source}", frame);
            Assert.Contains("Time to Live: 255", frame);
            Assert.Contains("Protocol: VRRP (112)", frame);
            Assert.Contains($"VRRP protocol version: {g.Version}", frame);
            Assert.Contains("VRRP packet type: Advertisement (1)", frame);
            Assert.Contains($"Virtual Rtr ID: {g.VirtualRouterId}", frame);
            Assert.Contains($"Priority: {g.Priority} (", frame);
            Assert.Contains($"Addr Count: {g.Addresses.Length}", frame);
            Assert.Contains($"Checksum: 0x{g.Checksum:x4} [correct]", frame);
            Assert.Contains("[Checksum Status: Good]", frame);
            if (g.Version == 2)
            {
                Assert.Contains($"Adver Int: {g.IntervalCentiseconds / 100}\n", frame);
                Assert.Contains($"Auth Type: ", frame);
                Assert.Contains($"({(int)g.AuthenticationType})", frame);
                if (g.AuthenticationType == VrrpAuthenticationType.SimpleTextPassword)
                    Assert.Contains($"Authentication String: {g.Password}", frame);
            }
            else
            {
                Assert.Contains($"Adver Int: {g.IntervalCentiseconds}\n", frame);
            }
            foreach (string address in g.Addresses)
                Assert.Contains($"IP Address: {address}", frame);
        }
    }

    [Fact]
    public void Tshark_flags_a_corrupted_checksum()
    {
        // The oracle must be able to say no: flip one bit of the VRRP checksum.
        byte[] datagram = Write(Vectors["keepalived-v2-prio100"]);
        datagram[20 + 7] ^= 0x01;
        string frame = Assert.Single(Tshark.DissectVrrp([datagram]));
        Assert.DoesNotContain("[Checksum Status: Good]", frame);
        Assert.Contains("[Checksum Status: Bad]", frame);
    }

    [Fact]
    public void Version3_checksum_covers_the_pseudo_header()
    {
        // The same VRRP bytes from another source address must fail: the pseudo-header differs.
        byte[] datagram = Bytes(Vectors["keepalived-v3-prio100"]);
        Assert.True(IPv4Header.TryRead(datagram, out IPv4Header ip));
        Assert.Equal(VrrpDropReason.BadChecksum,
            VrrpAdvertisement.TryRead(ip.Payload, VrrpAddress.Parse("10.99.0.2"), ip.Destination, out _));
        Assert.Equal(VrrpDropReason.BadChecksum,
            VrrpAdvertisement.TryRead(ip.Payload, ip.Source, VrrpAddress.Parse("224.0.0.19"), out _));
        // Version 2 has no pseudo-header: any source verifies.
        byte[] v2 = Bytes(Vectors["keepalived-v2-prio100"]);
        Assert.Equal(VrrpDropReason.None,
            VrrpAdvertisement.TryRead(v2.AsSpan(20), VrrpAddress.Parse("10.99.0.2"), VrrpAddress.Parse("10.0.0.1"), out _));
    }

    [Fact]
    public void Trailing_link_layer_padding_is_tolerated()
    {
        byte[] datagram = Bytes(Vectors["keepalived-v3-prio100"]);
        Assert.True(IPv4Header.TryRead(datagram, out IPv4Header ip));
        byte[] padded = [.. ip.Payload, 0, 0, 0, 0, 0, 0];
        Assert.Equal(VrrpDropReason.None, VrrpAdvertisement.TryRead(padded, ip.Source, ip.Destination, out VrrpAdvertisement advert));
        Assert.Equal(1, advert.AddressCount);
        Assert.Equal(VrrpAddress.Parse("10.99.0.100"), advert.GetAddress(0));
    }

    [Fact]
    public void Writer_length_matches_GetLength()
    {
        Assert.Equal(20, VrrpAdvertisementWriter.GetLength(2, 1));
        Assert.Equal(12, VrrpAdvertisementWriter.GetLength(3, 1));
        Assert.Equal(8 + 2 * 16, VrrpAdvertisementWriter.GetLength(3, 2, ipv6: true));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            VrrpAdvertisementWriter.WriteVersion3(new byte[64], 1, 100, 0x1000, [], VrrpAddress.Parse("10.0.0.1"), VrrpAddress.Parse("224.0.0.18")));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            VrrpAdvertisementWriter.WriteVersion2(new byte[4096], 1, 100, 1, VrrpAuthenticationType.None, [], new VrrpAddress[256]));
    }

    [Fact]
    public void Version3_over_IPv6_round_trips_and_tshark_agrees()
    {
        VrrpAddress source = VrrpAddress.Parse("fe80::1");
        VrrpAddress target = VrrpAddress.FromIPAddress(VrrpWire.MulticastGroupIPv6);
        VrrpAddress[] addresses = [VrrpAddress.Parse("2001:db8::1"), VrrpAddress.Parse("fe80::100")];
        int length = VrrpAdvertisementWriter.GetLength(3, addresses.Length, ipv6: true);
        Assert.Equal(8 + 32, length);
        byte[] datagram = new byte[40 + length];
        Assert.Equal(length, VrrpAdvertisementWriter.WriteVersion3(datagram.AsSpan(40), 9, 120, 100, addresses, source, target));

        Assert.Equal(VrrpDropReason.None, VrrpAdvertisement.TryRead(datagram.AsSpan(40), source, target, out VrrpAdvertisement advert));
        Assert.Equal(16, advert.AddressLength);
        Assert.Equal(2, advert.AddressCount);
        Assert.Equal(addresses[0], advert.GetAddress(0));
        Assert.Equal(addresses[1], advert.GetAddress(1));
        Assert.Equal(100, advert.AdvertisementIntervalCentiseconds);
        // The IPv6 pseudo-header counts: another link-local source fails.
        Assert.Equal(VrrpDropReason.BadChecksum, VrrpAdvertisement.TryRead(datagram.AsSpan(40), VrrpAddress.Parse("fe80::2"), target, out _));

        // IPv6 header (RFC 8200) by hand: version 6, payload length, next header 112, hop limit 255.
        datagram[0] = 0x60;
        datagram[4] = 0;
        datagram[5] = (byte)length;
        datagram[6] = VrrpWire.IpProtocol;
        datagram[7] = VrrpWire.RequiredTtl;
        source.WriteTo(datagram.AsSpan(8));
        target.WriteTo(datagram.AsSpan(24));
        string frame = Assert.Single(Tshark.DissectVrrp([datagram]));
        Assert.Contains("VRRP protocol version: 3", frame);
        Assert.Contains("Virtual Rtr ID: 9", frame);
        Assert.Contains("Priority: 120", frame);
        Assert.Contains("Addr Count: 2", frame);
        Assert.Contains($"Checksum: 0x{advert.Checksum:x4} [correct]", frame);
        Assert.Contains("[Checksum Status: Good]", frame);
        Assert.Contains("2001:db8::1", frame);
        Assert.Contains("fe80::100", frame);
    }

    internal static byte[] PaddedPassword(string password)
    {
        byte[] data = new byte[VrrpWire.AuthenticationDataLength];
        Encoding.ASCII.GetBytes(password).CopyTo(data, 0);
        return data;
    }

    /// <summary>The golden advert as the daemon's own writer builds it from the settings it describes.</summary>
    private static byte[] Write(Golden g)
    {
        var settings = new VrrpRouterSettings
        {
            Name = "golden",
            VirtualRouterId = g.VirtualRouterId,
            Priority = g.Priority,
            Version = g.Version,
            AdvertisementInterval = TimeSpan.FromMilliseconds(g.IntervalCentiseconds * 10),
            PrimaryAddress = VrrpAddress.Parse(g.Source),
            VirtualAddresses = g.Addresses.Select(VrrpAddress.Parse).ToArray(),
            AuthenticationType = g.AuthenticationType,
            AuthenticationData = PaddedPassword(g.Password),
        };
        var writer = new VrrpDatagramWriter(settings, VrrpTransportSettings.Multicast(VrrpAddress.FromIPAddress(VrrpWire.MulticastGroupIPv4)));
        writer.WriteMessage(g.Priority);
        return writer.Datagram(0, g.Identification).ToArray();
    }
}
