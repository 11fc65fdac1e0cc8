using System.Net;
using KeepSharp.Lab;
using KeepSharp.Linux;
using KeepSharp.Vrrp;
using Xunit.Abstractions;
using static KeepSharp.IntegrationTests.Daemon.Injector;

namespace KeepSharp.IntegrationTests.Daemon;

/// <summary>
/// VRRPv3 masters over IPv4 and IPv6 under crafted adverts: the v3-only drops (Max Adver Int 0, no addresses), over
/// IPv6 a hop limit of 1 and a bad checksum, all counted by reason; and the receive path, lower-priority answers
/// included, allocates nothing per packet.
/// </summary>
public sealed class V3ReceiveTests(ITestOutputHelper output)
{
    private const int PerKind = 1000;
    private const string Vips6Config = "fe80::51:1/64\n                fd00:51::161/64";

    private static (LabDaemon Daemon, string Pid) StartMaster4(DaemonLab lab, bool detailLog = true)
    {
        LabHost host = lab.Topology.H171;
        LabDaemon daemon = lab.StartKeepSharp(host, Conf("keep_171", "MASTER", 100, 3), detailLog);
        Assert.True(DaemonLab.WaitFor(() => lab.Topology.HoldsVip(host), TimeSpan.FromSeconds(6)), $"no master:\n{lab.Log(daemon)}");
        return (daemon, Pid(daemon));
    }

    private static (LabDaemon Daemon, string Pid) StartMaster6(DaemonLab lab, bool detailLog = true)
    {
        LabHost host = lab.Topology.H171;
        LabDaemon daemon = lab.StartKeepSharp(host, Conf("keep_171", "MASTER", 100, 3, virtualAddresses: Vips6Config), detailLog);
        Assert.True(DaemonLab.WaitFor(() => Holds6(host, "fd00:51::161"), TimeSpan.FromSeconds(10)), $"no IPv6 master:\n{lab.Log(daemon)}");
        return (daemon, Pid(daemon));
    }

    [Fact]
    public void IPv4_master_counts_interval_zero_and_no_addresses()
    {
        using var lab = new DaemonLab(output);
        LabHost host = lab.Topology.H171;
        (LabDaemon daemon, string pid) = StartMaster4(lab);
        using VrrpSocket socket = OpenMulticast4(lab);

        byte[] intervalZero = V3(Client, Group4, 254, intervalCentiseconds: 0);
        Flood(() => socket.Send(intervalZero), PerKind, "Max Adver Int 0");
        byte[] noAddresses = V3(Client, Group4, 254, addresses: []);
        Flood(() => socket.Send(noAddresses), PerKind, "count 0");

        string stats = DumpStatistics(host, pid);
        output.WriteLine(stats);
        Assert.True(daemon.Running, $"keepsharp died:\n{lab.Log(daemon)}");
        AssertCounted(stats, "AdvertisementIntervalZero", PerKind, "v3 Max Adver Int 0");
        AssertCounted(stats, "NoVirtualAddresses", PerKind, "v3 address count 0");
        Assert.True(lab.Topology.HoldsVip(host), "the master lost its address");
        Assert.Equal("", EnteredBackupAfterInit(lab.Log(daemon)));
    }

    [Fact]
    public void IPv6_master_counts_hop_limit_1_bad_checksum_interval_zero_and_no_addresses()
    {
        using var lab = new DaemonLab(output);
        LabHost host = lab.Topology.H171;
        IPAddress source = ClientLinkLocal(lab);
        (LabDaemon daemon, string pid) = StartMaster6(lab);
        using VrrpSocket6 socket = OpenMulticast6(lab, source);
        VrrpAddress from = VrrpAddress.FromIPAddress(source);
        IPAddress group = IPAddress.Parse("ff02::12");

        byte[] valid = V3Message6(from, Group6, 254);
        Flood(() => socket.Send(valid, group.GetAddressBytes(), 1), PerKind, "hop limit 1");
        byte[] badChecksum = BadChecksum(valid);
        Flood(() => socket.Send(badChecksum, group), PerKind, "bad checksum");
        byte[] intervalZero = V3Message6(from, Group6, 254, intervalCentiseconds: 0);
        Flood(() => socket.Send(intervalZero, group), PerKind, "Max Adver Int 0");
        byte[] noAddresses = V3Message6(from, Group6, 254, addresses: []);
        Flood(() => socket.Send(noAddresses, group), PerKind, "count 0");

        string stats = DumpStatistics(host, pid);
        output.WriteLine(stats);
        Assert.True(daemon.Running, $"keepsharp died:\n{lab.Log(daemon)}");
        AssertCounted(stats, "TtlNot255", PerKind, "IPv6 hop limit 1");
        AssertCounted(stats, "BadChecksum", PerKind, "IPv6 bad checksum");
        AssertCounted(stats, "AdvertisementIntervalZero", PerKind, "IPv6 Max Adver Int 0");
        AssertCounted(stats, "NoVirtualAddresses", PerKind, "IPv6 address count 0");
        Assert.True(Holds6(host, "fd00:51::161"), "the master lost its address");
        Assert.Equal("", EnteredBackupAfterInit(lab.Log(daemon)));
    }

    /// <summary>
    /// With <paramref name="lowerPriority"/>, a third of the flood is valid lower-priority adverts (priority 50): the master
    /// answers each advert interval with an advert and gratuitous bursts, which must allocate nothing either.
    /// </summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void The_v3_receive_path_allocates_nothing_per_packet(bool ipv6, bool lowerPriority)
    {
        using var lab = new DaemonLab(output);
        LabHost host = lab.Topology.H171;
        IPAddress? source6 = ipv6 ? ClientLinkLocal(lab) : null;
        // Without -D: the detailed log formats a line per gratuitous ARP of the (bounded) lower-priority bursts; the
        // per-packet path is what is measured here.
        (LabDaemon daemon, string pid) = ipv6 ? StartMaster6(lab, detailLog: false) : StartMaster4(lab, detailLog: false);
        Action<int> send;
        IDisposable socket;
        if (ipv6)
        {
            VrrpSocket6 s6 = OpenMulticast6(lab, source6!);
            VrrpAddress from = VrrpAddress.FromIPAddress(source6!);
            byte[] valid = V3Message6(from, Group6, 50);
            byte[][] packets = [lowerPriority ? valid : V3Message6(from, Group6, 254, vrid: 53), BadChecksum(valid), V3Message6(from, Group6, 254, vrid: 52)];
            byte[] group = IPAddress.Parse("ff02::12").GetAddressBytes();
            send = rounds => Send(rounds, packets, p => s6.Send(p, group));
            socket = s6;
        }
        else
        {
            VrrpSocket s4 = OpenMulticast4(lab);
            byte[] valid = V3(Client, Group4, 50);
            byte[][] packets = [lowerPriority ? valid : V3(Client, Group4, 254, vrid: 53), BadChecksum(valid), V3(Client, Group4, 254, vrid: 52)];
            send = rounds => Send(rounds, packets, p => s4.Send(p));
            socket = s4;
        }
        using (socket)
        {
            send(50);                    // warm up: first-of-a-kind drop logs, the first lower-priority answers
            AllocatedBytes(host, pid);   // and the first dumps' one-time costs
            AllocatedBytes(host, pid);

            const int Rounds = 3000;
            var dumpCosts = new List<long>();
            var floodCosts = new List<long>();
            long previous = AllocatedBytes(host, pid);
            for (int trial = 0; trial < 3; trial++)
            {
                long afterDump = AllocatedBytes(host, pid);
                dumpCosts.Add(afterDump - previous);
                send(Rounds);
                previous = AllocatedBytes(host, pid);
                floodCosts.Add(previous - afterDump);
            }
            string stats = DumpStatistics(host, pid);
            output.WriteLine(stats);
            output.WriteLine($"{(ipv6 ? "IPv6" : "IPv4")}{(lowerPriority ? " with lower priorities" : "")}: one statistics dump: {string.Join(", ", dumpCosts)} bytes; {Rounds * 3} packets plus one dump: {string.Join(", ", floodCosts)} bytes");
            Assert.True(daemon.Running, $"keepsharp died:\n{lab.Log(daemon)}");
            Assert.True(Counted(stats, "BadChecksum") >= 3 * Rounds * 95 / 100, "the bad checksums did not all arrive");
            Assert.True(floodCosts.Min() - dumpCosts.Max() < 2_048,
                $"{floodCosts.Min() - dumpCosts.Max()} bytes allocated beyond a dump's {dumpCosts.Max()} while receiving {Rounds * 3} packets (every flood: {string.Join(", ", floodCosts)})");
        }
    }

    private static void Send(int rounds, byte[][] packets, Func<byte[], bool> send)
    {
        for (int i = 0; i < rounds; i++)
        {
            foreach (byte[] packet in packets)
                Assert.True(send(packet));
            if (i % 10 == 9)
                Thread.Sleep(1);
        }
        Thread.Sleep(200);
    }
}
