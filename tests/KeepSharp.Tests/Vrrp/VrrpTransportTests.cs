using System.Buffers.Binary;
using KeepSharp.Tests.Simulation;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Tests.Vrrp;

/// <summary>
/// How adverts travel: the one datagram writer (multicast, unicast per peer, IPv6, the three checksum forms of VRRPv3
/// over IPv4) and the receive path's transport rules (TTL / hop limit, multicast vs unicast, unicast peers, checksum
/// form, strict mode's link-local first address), keepalived's vrrp_check_packet.
/// </summary>
public class VrrpTransportTests
{
    private static readonly VrrpAddress Group4 = VrrpAddress.Parse("224.0.0.18");
    private static readonly VrrpAddress Group6 = VrrpAddress.Parse("ff02::12");
    private static readonly VrrpAddress PeerA = VrrpAddress.Parse("10.0.0.3");
    private static readonly VrrpAddress PeerB = VrrpAddress.Parse("10.0.0.4");
    private static readonly VrrpAddress Stranger = VrrpAddress.Parse("10.0.0.9");
    private static readonly VrrpAddress LinkLocalSelf = VrrpAddress.Parse("fe80::2");
    private static readonly VrrpAddress LinkLocalPeer = VrrpAddress.Parse("fe80::3");
    private static readonly VrrpAddress Vip6LinkLocal = VrrpAddress.Parse("fe80::1:1");
    private static readonly VrrpAddress Vip6Global = VrrpAddress.Parse("2001:db8::1");

    private static VrrpRouterSettings Settings(VrrpAddress source, int version = 3, byte priority = 200, params VrrpAddress[] vips) => new()
    {
        Name = "peer",
        VirtualRouterId = 51,
        Priority = priority,
        Version = version,
        AdvertisementInterval = TimeSpan.FromSeconds(1),
        PrimaryAddress = source,
        VirtualAddresses = vips.Length > 0 ? vips : [RouterHarness.Vip1, RouterHarness.Vip2],
        AuthenticationType = version == 2 ? VrrpAuthenticationType.SimpleTextPassword : VrrpAuthenticationType.None,
        AuthenticationData = VrrpGoldenBytesTests.PaddedPassword(version == 2 ? RouterHarness.Password : ""),
    };

    /// <summary>A started backup with <paramref name="transport"/> on a receive path of its own.</summary>
    private static (VrrpRouter Router, VrrpReceiver Receiver) Backup(VrrpTransportSettings transport, VrrpRouterSettings settings)
    {
        var router = new VrrpRouter(settings, new VirtualTimeProvider(RouterHarness.T0), new RecordingActions(new VirtualTimeProvider(RouterHarness.T0)));
        var receiver = new VrrpReceiver();
        receiver.Add(router, transport);
        router.Start();
        return (router, receiver);
    }

    private static byte[] Datagram(VrrpRouterSettings sender, VrrpTransportSettings transport, int destination = 0, byte? ttl = null)
    {
        var writer = new VrrpDatagramWriter(sender, transport);
        writer.WriteMessage(sender.Priority);
        byte[] datagram = writer.Datagram(destination, 7).ToArray();
        if (ttl is { } t)
        {
            datagram[8] = t;
            BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(10), 0);
            BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(10), InternetChecksum.Compute(datagram.AsSpan(0, 20)));
        }
        return datagram;
    }

    private static VrrpTransportSettings Unicast(bool check = false, params VrrpUnicastPeer[] peers) =>
        new() { MulticastGroup = Group4, UnicastPeers = [.. peers], Ttl = 64, CheckUnicastSource = check };

    [Fact]
    public void A_unicast_advert_goes_to_every_peer_with_its_own_header_and_VRRPv3_checksum()
    {
        VrrpRouterSettings self = Settings(RouterHarness.Self);
        var transport = Unicast(false, new VrrpUnicastPeer(PeerA), new VrrpUnicastPeer(PeerB));
        var writer = new VrrpDatagramWriter(self, transport);
        writer.WriteMessage(200);

        Assert.Equal([PeerA, PeerB], writer.Destinations.ToArray());
        for (int i = 0; i < 2; i++)
        {
            byte[] datagram = writer.Datagram(i, 1).ToArray();
            Assert.True(IPv4Header.TryRead(datagram, out IPv4Header ip));
            Assert.Equal(writer.Destinations[i], ip.Destination);
            Assert.Equal(64, ip.Ttl); // unicast_ttl
            Assert.Equal(VrrpDropReason.None, VrrpAdvertisement.TryRead(ip.Payload, ip.Source, ip.Destination, out VrrpAdvertisement advert));
            Assert.Equal(200, advert.Priority);
        }
        // The pseudo-header differs by destination, so the checksums do.
        Assert.NotEqual(BinaryPrimitives.ReadUInt16BigEndian(writer.Datagram(0, 1)[26..]), BinaryPrimitives.ReadUInt16BigEndian(writer.Datagram(1, 1)[26..]));
    }

    [Fact]
    public void The_three_VRRPv3_checksum_forms_over_IPv4_cover_what_their_name_says()
    {
        VrrpRouterSettings self = Settings(RouterHarness.Self);
        byte[] rfc = Datagram(self, Unicast(false, new VrrpUnicastPeer(PeerA)) with { ChecksumMode = VrrpChecksumMode.PseudoHeader });
        byte[] old = Datagram(self, Unicast(false, new VrrpUnicastPeer(PeerA)) with { ChecksumMode = VrrpChecksumMode.MulticastPseudoHeader });
        byte[] v2 = Datagram(self, Unicast(false, new VrrpUnicastPeer(PeerA)) with { ChecksumMode = VrrpChecksumMode.MessageOnly });

        Assert.True(Read(rfc).HasValidChecksum(PeerA, VrrpChecksumMode.PseudoHeader, Group4));
        Assert.False(Read(rfc).HasValidChecksum(PeerA, VrrpChecksumMode.MessageOnly, Group4));
        // keepalived before 1.3.6: the group stands in for the peer in the pseudo-header.
        Assert.True(Read(old).HasValidChecksum(PeerA, VrrpChecksumMode.MulticastPseudoHeader, Group4));
        Assert.False(Read(old).HasValidChecksum(PeerA, VrrpChecksumMode.PseudoHeader, Group4));
        // v3_checksum_as_v2: the message alone sums to zero with its checksum.
        Assert.Equal(0, InternetChecksum.Compute(v2.AsSpan(20)));
        Assert.False(Read(v2).HasValidChecksum(PeerA, VrrpChecksumMode.PseudoHeader, Group4));
    }

    private static VrrpAdvertisement Read(byte[] datagram)
    {
        Assert.True(VrrpPacket.TryReadIPv4(datagram, out VrrpPacket packet));
        Assert.Equal(VrrpDropReason.None, VrrpAdvertisement.TryReadMessage(packet.Message, packet.Source, out VrrpAdvertisement advert));
        return advert;
    }

    [Fact]
    public void A_receiver_expecting_one_checksum_form_drops_another_as_a_bad_checksum()
    {
        var (router, receiver) = Backup(VrrpTransportSettings.Multicast(Group4), Settings(RouterHarness.Self, priority: 100));
        byte[] messageOnly = Datagram(Settings(PeerA), VrrpTransportSettings.Multicast(Group4) with { ChecksumMode = VrrpChecksumMode.MessageOnly });
        Assert.Equal(VrrpDropReason.BadChecksum, receiver.Receive(messageOnly));
        Assert.Equal(1, router.Statistics.Dropped(VrrpDropReason.BadChecksum));

        var (asV2, asV2Receiver) = Backup(VrrpTransportSettings.Multicast(Group4) with { ChecksumMode = VrrpChecksumMode.MessageOnly },
            Settings(RouterHarness.Self, priority: 100));
        Assert.Equal(VrrpDropReason.None, asV2Receiver.Receive(messageOnly));
        Assert.Equal(1, asV2.Statistics.AdvertisementsReceived);
    }

    [Fact]
    public void A_unicast_router_drops_multicast_adverts_and_a_multicast_router_unicast_ones()
    {
        var (unicast, unicastReceiver) = Backup(Unicast(false, new VrrpUnicastPeer(PeerA)), Settings(RouterHarness.Self, priority: 100));
        Assert.Equal(VrrpDropReason.UnexpectedMulticast, unicastReceiver.Receive(Datagram(Settings(PeerA), VrrpTransportSettings.Multicast(Group4))));
        Assert.Equal(1, unicast.Statistics.Dropped(VrrpDropReason.UnexpectedMulticast));

        var (multicast, multicastReceiver) = Backup(VrrpTransportSettings.Multicast(Group4), Settings(RouterHarness.Self, priority: 100));
        byte[] toUs = Datagram(Settings(PeerA), Unicast(false, new VrrpUnicastPeer(RouterHarness.Self)), ttl: 255);
        Assert.Equal(VrrpDropReason.UnexpectedUnicast, multicastReceiver.Receive(toUs));
        Assert.Equal(1, multicast.Statistics.Dropped(VrrpDropReason.UnexpectedUnicast));
    }

    [Fact]
    public void Unicast_adverts_need_no_TTL_255_and_any_source_is_heard_unless_check_unicast_src()
    {
        var (router, receiver) = Backup(Unicast(false, new VrrpUnicastPeer(PeerA)), Settings(RouterHarness.Self, priority: 100));
        byte[] fromStranger = Datagram(Settings(Stranger), Unicast(false, new VrrpUnicastPeer(RouterHarness.Self)));
        Assert.Equal(VrrpDropReason.None, receiver.Receive(fromStranger)); // TTL 64, not a peer: keepalived accepts both
        Assert.Equal(1, router.Statistics.AdvertisementsReceived);
    }

    [Fact]
    public void With_check_unicast_src_only_peers_within_their_TTL_range_are_heard()
    {
        var transport = Unicast(true, new VrrpUnicastPeer(PeerA, MinTtl: 60, MaxTtl: 64), new VrrpUnicastPeer(PeerB));
        var (router, receiver) = Backup(transport, Settings(RouterHarness.Self, priority: 100));
        var toUs = Unicast(false, new VrrpUnicastPeer(RouterHarness.Self));

        Assert.Equal(VrrpDropReason.NotAUnicastPeer, receiver.Receive(Datagram(Settings(Stranger), toUs)));
        Assert.Equal(VrrpDropReason.TtlOutOfRange, receiver.Receive(Datagram(Settings(PeerA), toUs, ttl: 255)));
        Assert.Equal(VrrpDropReason.TtlOutOfRange, receiver.Receive(Datagram(Settings(PeerA), toUs, ttl: 59)));
        Assert.Equal(VrrpDropReason.None, receiver.Receive(Datagram(Settings(PeerA), toUs, ttl: 60)));
        Assert.Equal(VrrpDropReason.None, receiver.Receive(Datagram(Settings(PeerB), toUs, ttl: 1)));

        Assert.Equal(1, router.Statistics.Dropped(VrrpDropReason.NotAUnicastPeer));
        Assert.Equal(2, router.Statistics.Dropped(VrrpDropReason.TtlOutOfRange));
        Assert.Equal(2, router.Statistics.AdvertisementsReceived);
    }

    [Fact]
    public void A_multicast_advert_with_a_TTL_below_255_is_dropped_by_the_router_it_was_for()
    {
        var (router, receiver) = Backup(VrrpTransportSettings.Multicast(Group4), Settings(RouterHarness.Self, priority: 100));
        Assert.Equal(VrrpDropReason.TtlNot255, receiver.Receive(Datagram(Settings(PeerA), VrrpTransportSettings.Multicast(Group4), ttl: 254)));
        Assert.Equal(1, router.Statistics.Dropped(VrrpDropReason.TtlNot255));
    }

    [Fact]
    public void An_IPv6_advert_is_the_message_alone_and_its_checksum_covers_the_IPv6_pseudo_header()
    {
        VrrpRouterSettings peer = Settings(LinkLocalPeer, vips: [Vip6LinkLocal, Vip6Global]);
        var writer = new VrrpDatagramWriter(peer, VrrpTransportSettings.Multicast(Group6));
        writer.WriteMessage(200);
        byte[] message = writer.Datagram(0, 0).ToArray();

        Assert.Equal(8 + 2 * 16, message.Length);
        Assert.Equal(VrrpDropReason.None, VrrpAdvertisement.TryRead(message, LinkLocalPeer, Group6, out VrrpAdvertisement advert));
        Assert.Equal(Vip6LinkLocal, advert.GetAddress(0));
        Assert.Equal(VrrpDropReason.BadChecksum, VrrpAdvertisement.TryRead(message, LinkLocalPeer, VrrpAddress.Parse("ff02::1"), out _));

        var (router, receiver) = Backup(VrrpTransportSettings.Multicast(Group6), Settings(LinkLocalSelf, priority: 100, vips: [Vip6LinkLocal, Vip6Global]));
        Assert.Equal(VrrpDropReason.None, receiver.Receive(new VrrpPacket(LinkLocalPeer, Group6, 255, VrrpWire.IpProtocol, message)));
        Assert.Equal(VrrpDropReason.TtlNot255, receiver.Receive(new VrrpPacket(LinkLocalPeer, Group6, 254, VrrpWire.IpProtocol, message)));
        Assert.Equal(1, router.Statistics.AdvertisementsReceived);
        Assert.Equal(LinkLocalPeer, router.MasterAddress);
    }

    [Fact]
    public void Strict_mode_drops_IPv6_adverts_whose_first_address_is_not_link_local()
    {
        VrrpRouterSettings peer = Settings(LinkLocalPeer, vips: [Vip6Global]);
        var writer = new VrrpDatagramWriter(peer, VrrpTransportSettings.Multicast(Group6));
        writer.WriteMessage(200);
        byte[] message = writer.Datagram(0, 0).ToArray();
        VrrpRouterSettings self = Settings(LinkLocalSelf, priority: 100, vips: [Vip6Global]);

        var (strict, strictReceiver) = Backup(VrrpTransportSettings.Multicast(Group6) with { RequireLinkLocalFirstAddress = true }, self);
        Assert.Equal(VrrpDropReason.FirstAddressNotLinkLocal, strictReceiver.Receive(new VrrpPacket(LinkLocalPeer, Group6, 255, VrrpWire.IpProtocol, message)));
        Assert.Equal(1, strict.Statistics.Dropped(VrrpDropReason.FirstAddressNotLinkLocal));

        var (lenient, lenientReceiver) = Backup(VrrpTransportSettings.Multicast(Group6), self);
        Assert.Equal(VrrpDropReason.None, lenientReceiver.Receive(new VrrpPacket(LinkLocalPeer, Group6, 255, VrrpWire.IpProtocol, message)));
        Assert.Equal(1, lenient.Statistics.AdvertisementsReceived);
    }

    [Fact]
    public void VRRPv2_over_IPv6_is_keepalived_s_form_and_packets_of_other_protocols_are_dropped_before_dispatch()
    {
        // keepalived sends VRRPv2 over IPv6 outside strict mode: no authentication data, pseudo-header checksum.
        VrrpRouterSettings v2Peer = Settings(LinkLocalPeer, version: 2, vips: [Vip6LinkLocal]) with { AuthenticationType = VrrpAuthenticationType.None, AuthenticationData = new byte[8] };
        var writer = new VrrpDatagramWriter(v2Peer, VrrpTransportSettings.Multicast(Group6));
        writer.WriteMessage(200);
        byte[] v2 = writer.Datagram(0, 0).ToArray();
        Assert.Equal(8 + 16, v2.Length);
        Assert.Equal(VrrpDropReason.None, VrrpAdvertisement.TryRead(v2, LinkLocalPeer, Group6, out VrrpAdvertisement advert));
        Assert.True(advert.AuthenticationData.IsEmpty);

        var (v2Router, v2Receiver) = Backup(VrrpTransportSettings.Multicast(Group6),
            Settings(LinkLocalSelf, version: 2, priority: 100, vips: [Vip6LinkLocal]) with { AuthenticationType = VrrpAuthenticationType.None, AuthenticationData = new byte[8] });
        Assert.Equal(VrrpDropReason.None, v2Receiver.Receive(new VrrpPacket(LinkLocalPeer, Group6, 255, VrrpWire.IpProtocol, v2)));
        Assert.Equal(1, v2Router.Statistics.AdvertisementsReceived);

        var (v3Router, v3Receiver) = Backup(VrrpTransportSettings.Multicast(Group6), Settings(LinkLocalSelf, priority: 100, vips: [Vip6LinkLocal]));
        Assert.Equal(VrrpDropReason.VersionMismatch, v3Receiver.Receive(new VrrpPacket(LinkLocalPeer, Group6, 255, VrrpWire.IpProtocol, v2)));
        Assert.Equal(VrrpDropReason.NotVrrp, v3Receiver.Receive(new VrrpPacket(LinkLocalPeer, Group6, 255, 58, v2)));
        Assert.Equal(1, v3Router.Statistics.Dropped(VrrpDropReason.VersionMismatch));
        Assert.Equal(1, v3Receiver.Dropped(VrrpDropReason.NotVrrp));
    }

    [Fact]
    public void Writing_per_peer_and_receiving_IPv6_do_not_allocate()
    {
        VrrpRouterSettings self = Settings(RouterHarness.Self);
        var writer = new VrrpDatagramWriter(self, Unicast(false, new VrrpUnicastPeer(PeerA), new VrrpUnicastPeer(PeerB)));
        VrrpRouterSettings peer = Settings(LinkLocalPeer, vips: [Vip6LinkLocal]);
        var writer6 = new VrrpDatagramWriter(peer, VrrpTransportSettings.Multicast(Group6));
        writer6.WriteMessage(200);
        byte[] message = writer6.Datagram(0, 0).ToArray();
        var (router, receiver) = Backup(VrrpTransportSettings.Multicast(Group6), Settings(LinkLocalSelf, priority: 100, vips: [Vip6LinkLocal]));
        // Warm up past tiered compilation (its one-time costs land on this thread now and then: 3,008 bytes seen once);
        // a per-packet allocation would show as at least 10,000 bytes in the measured rounds.
        Round(2_000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Round(10_000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(12_000, router.Statistics.AdvertisementsReceived);

        void Round(int count)
        {
            for (int i = 0; i < count; i++)
            {
                writer.WriteMessage(200);
                _ = writer.Datagram(0, (ushort)i);
                _ = writer.Datagram(1, (ushort)i);
                receiver.Receive(new VrrpPacket(LinkLocalPeer, Group6, 255, VrrpWire.IpProtocol, message));
            }
        }
    }

    /// <summary>
    /// The fuzz corpus of the whole receive path: mutated v2/v3 adverts of both families, with random sources,
    /// destinations and hop limits, at multicast and unicast routers (with check_unicast_src and peer TTL ranges) on
    /// IPv4 and IPv6 receive paths. Nothing throws, and every drop reason of the transport and the router is reached.
    /// </summary>
    [Fact]
    public void Fuzzing_the_receive_path_of_both_families_reaches_every_transport_drop_and_never_throws()
    {
        var random = new Random(20261126);
        VrrpAddress[] sources4 = [PeerA, PeerB, Stranger, RouterHarness.Self];
        VrrpAddress[] destinations4 = [Group4, RouterHarness.Self, VrrpAddress.Parse("224.0.0.19")];
        VrrpAddress[] sources6 = [LinkLocalPeer, VrrpAddress.Parse("fe80::9"), LinkLocalSelf];
        VrrpAddress[] destinations6 = [Group6, LinkLocalSelf];
        int[] hopLimits = [255, 254, 64, 1, -1];

        var multicast4 = Backup(VrrpTransportSettings.Multicast(Group4), Settings(RouterHarness.Self, priority: 100));
        var unicast4 = Backup(Unicast(true, new VrrpUnicastPeer(PeerA, 250, 255), new VrrpUnicastPeer(PeerB)),
            Settings(RouterHarness.Self, priority: 100) with { VirtualRouterId = 52 });
        var receiver4 = new VrrpReceiver();
        receiver4.Add(multicast4.Router, VrrpTransportSettings.Multicast(Group4));
        receiver4.Add(unicast4.Router, Unicast(true, new VrrpUnicastPeer(PeerA, 250, 255), new VrrpUnicastPeer(PeerB)));
        var multicast6 = Backup(VrrpTransportSettings.Multicast(Group6) with { RequireLinkLocalFirstAddress = true },
            Settings(LinkLocalSelf, priority: 100, vips: [Vip6LinkLocal]));
        var receiver6 = new VrrpReceiver();
        receiver6.Add(multicast6.Router, VrrpTransportSettings.Multicast(Group6) with { RequireLinkLocalFirstAddress = true });

        byte[][] seeds4 =
        [
            Datagram(Settings(PeerA, priority: 50), VrrpTransportSettings.Multicast(Group4)).AsSpan(20).ToArray(),
            Datagram(Settings(PeerA, version: 2, priority: 50), VrrpTransportSettings.Multicast(Group4)).AsSpan(20).ToArray(),
            Datagram(Settings(PeerA, priority: 50) with { VirtualRouterId = 52 }, Unicast(false, new VrrpUnicastPeer(RouterHarness.Self))).AsSpan(20).ToArray(),
        ];
        var writer6 = new VrrpDatagramWriter(Settings(LinkLocalPeer, priority: 50, vips: [Vip6LinkLocal]), VrrpTransportSettings.Multicast(Group6));
        writer6.WriteMessage(50);
        var writerGlobal = new VrrpDatagramWriter(Settings(LinkLocalPeer, priority: 50, vips: [Vip6Global]), VrrpTransportSettings.Multicast(Group6));
        writerGlobal.WriteMessage(50);
        byte[][] seeds6 = [writer6.Datagram(0, 0).ToArray(), writerGlobal.Datagram(0, 0).ToArray()];

        var reached = new HashSet<VrrpDropReason>();
        byte[] buffer = new byte[128];
        for (int i = 0; i < 60_000; i++)
        {
            bool ipv6 = i % 3 == 0;
            byte[] seed = ipv6 ? seeds6[random.Next(seeds6.Length)] : seeds4[random.Next(seeds4.Length)];
            int length = Math.Clamp(seed.Length + (random.Next(4) == 0 ? random.Next(-seed.Length, 7) : 0), 0, buffer.Length);
            Span<byte> message = buffer.AsSpan(0, length);
            random.NextBytes(message);
            seed.AsSpan(0, Math.Min(seed.Length, length)).CopyTo(message);
            int mutations = random.Next(4);
            for (int k = 0; k < mutations && length > 0; k++)
            {
                int at = random.Next(Math.Min(length, 8)); // mostly the header: count, interval, VRID, priority, checksum
                message[at] = (byte)random.Next(256);
            }
            if (length >= 8 && random.Next(8) == 0)
            {
                // The fields RFC 9568's errata name: a zero address count, a zero Max Adver Int.
                if (random.Next(2) == 0)
                    message[3] = 0;
                else
                    message[4] = message[5] = 0;
                mutations++;
            }
            if (mutations > 0 && random.Next(2) == 0 && length >= 8)
                FixChecksum(message, ipv6);
            VrrpAddress source = ipv6 ? sources6[random.Next(sources6.Length)] : sources4[random.Next(sources4.Length)];
            VrrpAddress destination = ipv6 ? destinations6[random.Next(destinations6.Length)] : destinations4[random.Next(destinations4.Length)];
            var packet = new VrrpPacket(source, destination, hopLimits[random.Next(hopLimits.Length)], VrrpWire.IpProtocol, message);
            reached.Add(ipv6 ? receiver6.Receive(packet) : receiver4.Receive(packet));

            // The checksum fixed for the packet's own addresses, so mutations get past it to the later checks.
            void FixChecksum(Span<byte> m, bool six)
            {
                m[6] = 0;
                m[7] = 0;
                VrrpAddress s = six ? sources6[0] : sources4[0];
                int count = m[3];
                int needed = 8 + count * (six ? 16 : 4) + ((m[0] >> 4) == 2 && !six ? 8 : 0);
                if (needed > m.Length)
                    return;
                uint sum = (m[0] >> 4) == 3 || six ? VrrpAdvertisement.PseudoHeaderSum(s, six ? Group6 : Group4, needed) : 0;
                BinaryPrimitives.WriteUInt16BigEndian(m[6..], InternetChecksum.Finish(InternetChecksum.Accumulate(sum, m[..needed])));
            }
        }

        foreach (VrrpDropReason expected in new[] { VrrpDropReason.None, VrrpDropReason.TooShort, VrrpDropReason.UnknownType,
            VrrpDropReason.UnsupportedVersion, VrrpDropReason.LengthMismatch, VrrpDropReason.BadChecksum,
            VrrpDropReason.UnknownVirtualRouterId, VrrpDropReason.TtlNot255, VrrpDropReason.UnexpectedMulticast,
            VrrpDropReason.UnexpectedUnicast, VrrpDropReason.NotAUnicastPeer, VrrpDropReason.TtlOutOfRange,
            VrrpDropReason.FirstAddressNotLinkLocal, VrrpDropReason.AdvertisementIntervalZero, VrrpDropReason.NoVirtualAddresses,
            VrrpDropReason.VersionMismatch, VrrpDropReason.OwnPacket })
            Assert.True(reached.Contains(expected), $"no fuzz input ended with {expected}; reached: {string.Join(", ", reached)}");
    }
}
