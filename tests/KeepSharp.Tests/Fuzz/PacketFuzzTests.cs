using System.Buffers.Binary;
using System.Globalization;
using CsCheck;
using KeepSharp.Tests.Simulation;
using KeepSharp.Tests.Vrrp;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Wire;
using Xunit.Abstractions;

namespace KeepSharp.Tests.Fuzz;

/// <summary>
/// The packet codec and the receive path under random and mutated input: IPv4 datagrams (mutations of valid adverts
/// that <see cref="VrrpDatagramWriter"/> builds, IP header included: IHL, total length, protocol, TTL, options, lengths,
/// with and without fixed-up checksums, and plain random bytes) through <see cref="VrrpPacket.TryReadIPv4"/> and
/// <see cref="VrrpReceiver.Receive(ReadOnlySpan{byte})"/>, and IPv6 messages with random sources, destinations and hop
/// limits, each to a receiver with a started router on the advert's VRID. Property: nothing throws, every drop has a
/// defined reason, and the counters add up: received = accepted + dropped (the receiver's drops plus the routers').
/// </summary>
public sealed class PacketFuzzTests(ITestOutputHelper output)
{
    private static readonly VrrpAddress Group4 = VrrpAddress.Parse("224.0.0.18");
    private static readonly VrrpAddress Group6 = VrrpAddress.Parse("ff02::12");
    private static readonly VrrpAddress[] Sources6 = [VrrpAddress.Parse("fe80::3"), VrrpAddress.Parse("fe80::2"), VrrpAddress.Parse("2001:db8::9")];
    private static readonly VrrpAddress[] Destinations6 = [Group6, VrrpAddress.Parse("fe80::2"), VrrpAddress.Parse("ff02::1")];

    /// <summary>An input: an IPv4 datagram, or an IPv6 message with its source, destination and hop limit (indexes).</summary>
    public sealed record Input(bool IPv6, byte[] Bytes, int Source, int Destination, int HopLimit)
    {
        public override string ToString() => IPv6
            ? $"v6 {Sources6[Source % Sources6.Length]} -> {Destinations6[Destination % Destinations6.Length]} hop {HopLimit} {Convert.ToHexString(Bytes)}"
            : $"v4 {Convert.ToHexString(Bytes)}";

        /// <summary>The corpus format: one line, "v4 HEX" or "v6 SRC DST HOP HEX".</summary>
        public static Input Parse(string line)
        {
            string[] f = line.Trim().Split(' ');
            return f[0] == "v4"
                ? new Input(false, Convert.FromHexString(f[1]), 0, 0, 0)
                : new Input(true, Convert.FromHexString(f[4]), Array.IndexOf(Sources6, VrrpAddress.Parse(f[1])),
                    Array.IndexOf(Destinations6, VrrpAddress.Parse(f[2])), int.Parse(f[3], CultureInfo.InvariantCulture));
        }
    }

    private static VrrpRouterSettings Settings(VrrpAddress self, int version, byte vrid, params VrrpAddress[] vips) => new()
    {
        Name = $"r{vrid}",
        VirtualRouterId = vrid,
        Priority = 100,
        Version = version,
        AdvertisementInterval = TimeSpan.FromSeconds(1),
        PrimaryAddress = self,
        VirtualAddresses = vips,
        AuthenticationType = version == 2 ? VrrpAuthenticationType.SimpleTextPassword : VrrpAuthenticationType.None,
        AuthenticationData = VrrpGoldenBytesTests.PaddedPassword(version == 2 ? RouterHarness.Password : ""),
    };

    /// <summary>Valid adverts of the routers the receivers hold (VRID 51 v2, 52 v3 multicast, 53 v3 unicast; 61 v3 IPv6).</summary>
    private static readonly byte[][] Seeds4 = BuildSeeds4();
    private static readonly byte[][] Seeds6 = BuildSeeds6();

    private static byte[][] BuildSeeds4()
    {
        var peer = VrrpAddress.Parse("10.0.0.3");
        var list = new List<byte[]>();
        foreach (var (version, vrid, transport) in new[]
                 {
                     (2, (byte)51, VrrpTransportSettings.Multicast(Group4)),
                     (3, (byte)52, VrrpTransportSettings.Multicast(Group4)),
                     (3, (byte)53, new VrrpTransportSettings { UnicastPeers = [new VrrpUnicastPeer(RouterHarness.Self)], Ttl = 64 }),
                 })
        {
            var writer = new VrrpDatagramWriter(Settings(peer, version, vrid, RouterHarness.Vip1, RouterHarness.Vip2), transport);
            foreach (byte priority in new byte[] { 0, 50, 200, 255 })
            {
                writer.WriteMessage(priority);
                list.Add(writer.Datagram(0, priority).ToArray());
            }
        }
        return [.. list];
    }

    private static byte[][] BuildSeeds6()
    {
        var writer = new VrrpDatagramWriter(Settings(Sources6[0], 3, 61, VrrpAddress.Parse("fe80::1:1"), VrrpAddress.Parse("2001:db8::1")),
            VrrpTransportSettings.Multicast(Group6));
        var list = new List<byte[]>();
        foreach (byte priority in new byte[] { 0, 50, 200 })
        {
            writer.WriteMessage(priority);
            list.Add(writer.Datagram(0, 0).ToArray());
        }
        return [.. list];
    }

    private enum Op { Flip, SetByte, Truncate, Extend, Ihl, TotalLength, Protocol, Ttl, Count, Version, Options }

    private static readonly Gen<(Op, int, byte)> Mutation = Gen.Select(Gen.Enum<Op>(), Gen.Int[0, 4096], Gen.Byte);

    private static byte[] Mutate(byte[] seed, (Op Op, int At, byte Value)[] mutations, bool fixChecksums, bool ipv4)
    {
        var bytes = new List<byte>(seed);
        int ip = ipv4 ? 20 : 0;
        foreach (var (op, at, value) in mutations)
        {
            int n = bytes.Count;
            switch (op)
            {
                case Op.Flip when n > 0: bytes[at % n] ^= (byte)(1 << (value % 8)); break;
                case Op.SetByte when n > 0: bytes[at % n] = value; break;
                case Op.Truncate: bytes.RemoveRange(at % (n + 1), n - at % (n + 1)); break;
                case Op.Extend: bytes.AddRange(Enumerable.Repeat(value, at % 64)); break;
                case Op.Ihl when ipv4 && n > 0: bytes[0] = (byte)(0x40 | (value & 0x0F)); break;
                case Op.TotalLength when ipv4 && n > 3: bytes[2] = (byte)(at >> 8); bytes[3] = (byte)at; break;
                case Op.Protocol when ipv4 && n > 9: bytes[9] = value % 3 == 0 ? value : (byte)112; break;
                case Op.Ttl when ipv4 && n > 8: bytes[8] = value; break;
                case Op.Count when n > ip + 3: bytes[ip + 3] = (byte)(value % 40); break;
                case Op.Version when n > ip: bytes[ip] = (byte)((value % 5) << 4 | (value % 7 == 0 ? value & 0x0F : 1)); break;
                case Op.Options when ipv4 && n >= 20:
                    {
                        int words = 1 + at % 10; // IP options: IHL grows, the VRRP message moves
                        bytes.InsertRange(20, Enumerable.Repeat((byte)1 /* NOP */, words * 4));
                        bytes[0] = (byte)(0x40 | (5 + words));
                        ip = 20 + words * 4;
                        BinaryPrimitives.WriteUInt16BigEndian(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes).Slice(2, 2), (ushort)bytes.Count);
                        break;
                    }
            }
        }
        byte[] result = [.. bytes];
        if (fixChecksums && ipv4 && result.Length >= 20)
        {
            int ihl = Math.Min((result[0] & 0x0F) * 4, result.Length);
            if (ihl >= 20)
            {
                result[10] = result[11] = 0;
                BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(10), InternetChecksum.Compute(result.AsSpan(0, ihl)));
            }
            // VRRPv2's checksum covers the message alone: fixed up, a mutated v2 advert reaches the router's own checks.
            if (result.Length >= ihl + 8 && result[ihl] >> 4 == 2)
            {
                result[ihl + 6] = result[ihl + 7] = 0;
                BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(ihl + 6), InternetChecksum.Compute(result.AsSpan(ihl)));
            }
        }
        return result;
    }

    private static readonly Gen<Input> Mutated4 =
        Gen.Select(Gen.Int[0, 1000], Mutation.Array[0, 6], Gen.Bool).Select((i, m, fix) =>
            new Input(false, Mutate(Seeds4[i % Seeds4.Length], m, fix, ipv4: true), 0, 0, 0));

    private static readonly Gen<Input> Random4 =
        Gen.Byte.Array[0, 120].Select(b => new Input(false, b, 0, 0, 0));

    private static readonly Gen<Input> Mutated6 =
        Gen.Select(Gen.Int[0, 1000], Mutation.Array[0, 6], Gen.Int[0, 2], Gen.Int[0, 2], Gen.OneOf<int>(255, 255, 254, 1, -1)).Select((i, m, s, d, hop) =>
            new Input(true, Mutate(Seeds6[i % Seeds6.Length], m, false, ipv4: false), s, d, hop));

    private static readonly Gen<Input> Random6 =
        Gen.Select(Gen.Byte.Array[0, 80], Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[-1, 255]).Select((b, s, d, hop) => new Input(true, b, s, d, hop));

    /// <summary>A fresh receive path per family with started routers on the seeds' VRIDs.</summary>
    private sealed class Path
    {
        public readonly VrrpReceiver Receiver = new();
        public readonly List<VrrpRouter> Routers = [];

        public Path(bool ipv6)
        {
            if (ipv6)
            {
                Add(Settings(Sources6[1], 3, 61, VrrpAddress.Parse("fe80::1:1"), VrrpAddress.Parse("2001:db8::1")),
                    VrrpTransportSettings.Multicast(Group6) with { RequireLinkLocalFirstAddress = true });
            }
            else
            {
                Add(Settings(RouterHarness.Self, 2, 51, RouterHarness.Vip1, RouterHarness.Vip2), VrrpTransportSettings.Multicast(Group4));
                Add(Settings(RouterHarness.Self, 3, 52, RouterHarness.Vip1, RouterHarness.Vip2), VrrpTransportSettings.Multicast(Group4));
                Add(Settings(RouterHarness.Self, 3, 53, RouterHarness.Vip1, RouterHarness.Vip2),
                    new VrrpTransportSettings { UnicastPeers = [new VrrpUnicastPeer(VrrpAddress.Parse("10.0.0.3"), 250, 255)], Ttl = 64, CheckUnicastSource = true });
            }
        }

        private void Add(VrrpRouterSettings settings, VrrpTransportSettings transport)
        {
            var time = new VirtualTimeProvider(RouterHarness.T0);
            var router = new VrrpRouter(settings, time, new RecordingActions(time));
            Receiver.Add(router, transport);
            router.Start();
            Routers.Add(router);
        }

        public long Dropped => Enum.GetValues<VrrpDropReason>().Sum(r => Receiver.Dropped(r)) + Routers.Sum(r => r.Statistics.TotalDropped);
    }

    /// <summary>The property, over a batch (so the routers' state carries from packet to packet).</summary>
    internal static void Check(Input[] batch)
    {
        var v4 = new Path(ipv6: false);
        var v6 = new Path(ipv6: true);
        long accepted4 = 0, accepted6 = 0, sent4 = 0, sent6 = 0;
        foreach (Input input in batch)
        {
            VrrpDropReason reason;
            try
            {
                if (input.IPv6)
                {
                    var packet = new VrrpPacket(Sources6[input.Source % Sources6.Length], Destinations6[input.Destination % Destinations6.Length],
                        input.HopLimit, VrrpWire.IpProtocol, input.Bytes);
                    reason = v6.Receiver.Receive(packet);
                    sent6++;
                    if (reason == VrrpDropReason.None) accepted6++;
                }
                else
                {
                    // Both entry points: the codec alone, then the receive path (which reads it again).
                    if (VrrpPacket.TryReadIPv4(input.Bytes, out VrrpPacket packet))
                        Assert.True(packet.Message.Length <= input.Bytes.Length, "message longer than the datagram");
                    reason = v4.Receiver.Receive(input.Bytes);
                    sent4++;
                    if (reason == VrrpDropReason.None) accepted4++;
                }
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                throw new InvalidOperationException($"the receive path threw on {input}: {e}", e);
            }
            Assert.True(Enum.IsDefined(reason), $"undefined drop reason {(int)reason} for {input}");
        }
        Assert.Equal(sent4, v4.Receiver.Received);
        Assert.Equal(sent6, v6.Receiver.Received);
        Assert.True(accepted4 + v4.Dropped == sent4, $"IPv4: received {sent4} != accepted {accepted4} + dropped {v4.Dropped}");
        Assert.True(accepted6 + v6.Dropped == sent6, $"IPv6: received {sent6} != accepted {accepted6} + dropped {v6.Dropped}");
    }

    private void Run(Gen<Input> gen, long iterations) =>
        gen.Array[1, 40].Sample(Check, output.WriteLine, seed: FuzzSettings.Seed, iter: FuzzSettings.Iterations(iterations), threads: 1,
            print: b => string.Join("\n", b.Select(i => i.ToString())));

    [Fact]
    public void Mutated_IPv4_adverts_through_the_codec_and_receive_path_never_throw_and_every_drop_is_counted() =>
        Run(Mutated4, 2000);

    [Fact]
    public void Random_IPv4_bytes_never_throw_and_every_drop_is_counted() => Run(Random4, 1000);

    [Fact]
    public void Mutated_and_random_IPv6_messages_never_throw_and_every_drop_is_counted() =>
        Run(Gen.OneOf(Mutated6, Random6), 2000);

    [Fact]
    public void Fixed_up_mutations_reach_the_router_and_some_are_accepted()
    {
        // The generator is not all noise: with checksums fixed up, mutated adverts get past the codec to the routers.
        var path = new Path(ipv6: false);
        int accepted = 0, routerDrops = 0;
        Gen.Select(Gen.Int[0, 1000], Mutation.Array[0, 2]).Sample((i, m) =>
        {
            VrrpDropReason reason = path.Receiver.Receive(Mutate(Seeds4[i % Seeds4.Length], m, true, ipv4: true));
            if (reason == VrrpDropReason.None) accepted++;
            else if (reason is VrrpDropReason.AuthenticationFailure or VrrpDropReason.AddressListMismatch or VrrpDropReason.AdvertisementIntervalMismatch) routerDrops++;
        }, seed: "0000000000001", iter: 2000, threads: 1);
        Assert.True(accepted > 100, $"only {accepted} of 2000 lightly mutated adverts accepted");
        Assert.True(routerDrops > 0, "no mutated advert reached a router's own checks");
    }

    public static TheoryData<string> CorpusFiles()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(FuzzSettings.CorpusDir("packet")).Order(StringComparer.Ordinal))
            data.Add(System.IO.Path.GetFileName(file));
        return data;
    }

    /// <summary>The kept inputs (tests/KeepSharp.Tests/Fuzz/Corpus/packet, one packet per line, '#' comments).</summary>
    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Corpus_packets_are_received_or_dropped_with_a_reason(string name)
    {
        Input[] batch = [.. File.ReadAllLines(System.IO.Path.Combine(FuzzSettings.CorpusDir("packet"), name))
            .Where(l => l.Trim().Length > 0 && !l.StartsWith('#')).Select(Input.Parse)];
        Assert.NotEmpty(batch);
        Check(batch);
    }
}
