using System.Diagnostics;
using System.Text;
using KeepSharp.Lab;
using KeepSharp.Linux;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.Wire;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Daemon;

/// <summary>
/// A flood of malformed and foreign VRRP packets at a running master: every kind is counted by reason
/// and dropped, the master keeps its address and keeps advertising on time, and nothing crashes.
/// </summary>
public sealed class MalformedPacketTests(ITestOutputHelper output)
{
    private const string StatsFile = "/tmp/keepalived.stats";
    private const int PerKind = 2000;

    private static readonly VrrpAddress Vip = VrrpAddress.Parse("10.51.0.161");
    private static readonly VrrpAddress Group = VrrpAddress.Parse("224.0.0.18");
    private static readonly VrrpAddress Attacker = VrrpAddress.Parse("10.51.0.10");

    public static TheoryData<string, string> Kinds => new()
    {
        { "bad checksum", "BadChecksum" },
        { "TTL 64", "TtlNot255" },
        { "version 1", "UnsupportedVersion" },
        { "type 2", "UnknownType" },
        { "truncated", "LengthMismatch" },
        { "unknown VRID 52", "UnknownVirtualRouterId" },
        { "wrong password, priority 254", "AuthenticationFailure" },
        { "no authentication, priority 254", "AuthenticationTypeMismatch" },
        { "advert_int 3, priority 254", "AdvertisementIntervalMismatch" },
        { "other virtual address, priority 254", "AddressListMismatch" },
    };

    [Fact]
    public void Every_kind_is_counted_and_dropped_and_the_master_never_falters()
    {
        using var lab = new DaemonLab(output);
        LabHost host = lab.Topology.H171;
        (LabDaemon daemon, string pid) = StartMaster(lab, host);
        using VrrpSocket socket = OpenAttacker(lab);
        var adverts = new List<double>();
        var clock = Stopwatch.StartNew();
        byte[] receive = new byte[2048];

        foreach ((string kind, _) in Kinds.Select(k => ((string)k[0], (string)k[1])))
        {
            byte[] packet = Craft(kind);
            for (int i = 0; i < PerKind; i++)
            {
                Assert.True(socket.Send(packet, System.Net.IPAddress.Parse("224.0.0.18")), $"cannot send {kind}");
                if (i % 50 == 49)
                {
                    Thread.Sleep(1);
                    CollectAdverts(socket, receive, adverts, clock);
                }
            }
        }
        // Keep listening long enough to see the master's rhythm after the flood.
        var until = clock.Elapsed + TimeSpan.FromSeconds(2.5);
        while (clock.Elapsed < until)
        {
            Thread.Sleep(10);
            CollectAdverts(socket, receive, adverts, clock);
        }

        Assert.True(daemon.Running, $"keepsharp died under the flood:\n{lab.Log(daemon)}");
        Assert.True(lab.Topology.HoldsVip(host), "the master lost its address under the flood");
        Assert.DoesNotContain(lab.Log(daemon).Split('\n'), line => line.Contains("Entering BACKUP STATE") && !line.Contains("(init)"));
        Assert.True(adverts.Count >= 3, $"only {adverts.Count} adverts from the master during the flood");
        double worstGap = adverts.Zip(adverts.Skip(1), (a, b) => b - a).Max();
        Assert.True(worstGap < 1300, $"the master's adverts stalled: worst gap {worstGap:0} ms");
        output.WriteLine($"flood: {PerKind * Kinds.Count} packets in {clock.Elapsed.TotalSeconds:0.0} s, {adverts.Count} adverts, worst gap {worstGap:0} ms");

        string stats = DumpStatistics(host, pid);
        output.WriteLine(stats);
        foreach ((string kind, string reason) in Kinds.Select(k => ((string)k[0], (string)k[1])))
        {
            long counted = Counted(stats, reason);
            // The kernel may drop a few under the flood before the daemon sees them; none may be
            // invented, and nearly all must be counted.
            Assert.True(counted <= PerKind && counted >= PerKind * 95 / 100,
                $"{kind}: {counted} of {PerKind} counted as {reason}");
        }
    }

    [Fact]
    public void The_receive_path_of_the_running_daemon_allocates_nothing_per_packet()
    {
        using var lab = new DaemonLab(output);
        LabHost host = lab.Topology.H171;
        // Without -D: the detailed log formats a line per gratuitous ARP of the (bounded) bursts that answer the
        // lower-priority adverts; the per-packet path is what is measured here.
        (LabDaemon daemon, string pid) = StartMaster(lab, host, detailLog: false);
        using VrrpSocket socket = OpenAttacker(lab);
        string[] kinds = ["valid, priority 50", "bad checksum", "unknown VRID 52", "wrong password, priority 254"];
        byte[][] packets = [.. kinds.Select(Craft)];

        Send(socket, packets, rounds: 50);           // warm up: first-of-a-kind drop logs
        AllocatedBytes(host, pid);                   // and the first dumps' one-time costs (thread pool, file I/O)
        AllocatedBytes(host, pid);

        // What one statistics dump (signal, text, file, log line) costs varies a little with the thread pool's
        // own bookkeeping; a per-packet allocation does not vary: even one byte per packet shows as 10,000
        // bytes in every flood. So the cheapest of three floods is compared with the dearest of three dumps.
        const int Rounds = 2500;
        long packetsSent = (long)Rounds * packets.Length;
        var dumpCosts = new List<long>();
        var floodCosts = new List<long>();
        long previous = AllocatedBytes(host, pid);
        for (int trial = 0; trial < 3; trial++)
        {
            long afterDump = AllocatedBytes(host, pid);
            dumpCosts.Add(afterDump - previous);
            Send(socket, packets, rounds: Rounds);
            previous = AllocatedBytes(host, pid);
            floodCosts.Add(previous - afterDump);
        }

        output.WriteLine($"one statistics dump: {string.Join(", ", dumpCosts)} bytes; {packetsSent} packets plus one dump: {string.Join(", ", floodCosts)} bytes");
        Assert.True(floodCosts.Min() - dumpCosts.Max() < 2_048,
            $"{floodCosts.Min() - dumpCosts.Max()} bytes allocated beyond a dump's {dumpCosts.Max()} while receiving {packetsSent} packets (every flood: {string.Join(", ", floodCosts)})");
        Assert.True(lab.Topology.HoldsVip(host), "the master lost its address");
    }

    private static void Send(VrrpSocket socket, byte[][] packets, int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            foreach (byte[] packet in packets)
                Assert.True(socket.Send(packet, System.Net.IPAddress.Parse("224.0.0.18")));
            if (i % 10 == 9)
                Thread.Sleep(1);
        }
        Thread.Sleep(200); // let the daemon drain its socket
    }

    private static long AllocatedBytes(LabHost host, string pid)
    {
        string line = DumpStatistics(host, pid).Split('\n').Single(l => l.Trim().StartsWith("Allocated bytes: ", StringComparison.Ordinal));
        Thread.Sleep(200); // the dump's own file write and log line finish before the next packets
        return long.Parse(line.Trim()["Allocated bytes: ".Length..]);
    }

    private static (LabDaemon Daemon, string Pid) StartMaster(DaemonLab lab, LabHost host, bool detailLog = true)
    {
        LabDaemon daemon = lab.StartKeepSharp(host, DaemonLab.Config("keep_171", "MASTER", 100), detailLog);
        Assert.True(DaemonLab.WaitFor(() => lab.Topology.HoldsVip(host), TimeSpan.FromSeconds(6)), "no master elected");
        return (daemon, File.ReadAllText(daemon.PidFile).Trim());
    }

    /// <summary>A raw VRRP socket in the client's namespace: the sender of the crafted packets.</summary>
    private static VrrpSocket OpenAttacker(DaemonLab lab) => NetworkNamespace.Run(lab.Topology.ClientNs,
        () => VrrpSocket.OpenIPv4(LabTopology.Interface, VrrpWire.MulticastGroupIPv4));

    /// <summary>keepalived's SIGUSR2: the daemon writes its statistics file.</summary>
    private static string DumpStatistics(LabHost host, string pid)
    {
        File.Delete(StatsFile);
        host.Exec("kill", "-USR2", pid);
        Assert.True(DaemonLab.WaitFor(() => File.Exists(StatsFile) && File.ReadAllText(StatsFile).Contains("VRRP Instance"), TimeSpan.FromSeconds(3)),
            "no statistics file after SIGUSR2");
        return File.ReadAllText(StatsFile);
    }

    private static void CollectAdverts(VrrpSocket socket, byte[] buffer, List<double> adverts, Stopwatch clock)
    {
        int n;
        while ((n = socket.Receive(buffer)) > 0)
        {
            if (VrrpReceiver.Read(buffer.AsSpan(0, n), out VrrpAdvertisement advert) == VrrpDropReason.None
                && advert.Source == VrrpAddress.Parse("10.51.0.171") && advert.Priority == 100)
                adverts.Add(clock.Elapsed.TotalMilliseconds);
        }
    }

    /// <summary>The count after "Reason: " in the statistics file, summed over the interface and the instance.</summary>
    private static long Counted(string stats, string reason) =>
        stats.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith(reason + ": ", StringComparison.Ordinal))
            .Sum(l => long.Parse(l[(reason.Length + 2)..]));

    private static byte[] Craft(string kind)
    {
        byte vrid = 51;
        byte priority = 254;
        byte interval = 1;
        var auth = VrrpAuthenticationType.SimpleTextPassword;
        string password = "1111";
        VrrpAddress[] addresses = [Vip];
        switch (kind)
        {
            case "valid, priority 50": priority = 50; break;
            case "unknown VRID 52": vrid = 52; break;
            case "wrong password, priority 254": password = "2222"; break;
            case "no authentication, priority 254": auth = VrrpAuthenticationType.None; password = ""; break;
            case "advert_int 3, priority 254": interval = 3; break;
            case "other virtual address, priority 254": addresses = [VrrpAddress.Parse("10.51.0.199")]; break;
        }
        byte[] datagram = new byte[IPv4Header.MinimumLength + VrrpAdvertisementWriter.GetLength(2, addresses.Length)];
        int length = VrrpAdvertisementWriter.WriteVersion2(datagram.AsSpan(IPv4Header.MinimumLength), vrid, priority, interval,
            auth, Encoding.ASCII.GetBytes(password), addresses);
        IPv4Header.Write(datagram, Attacker, Group, VrrpWire.IpProtocol, VrrpWire.RequiredTtl, VrrpWire.TypeOfService, 1, length);
        switch (kind)
        {
            case "bad checksum": datagram[^1] ^= 0x5A; break;
            case "TTL 64": Rewrite(datagram, 8, 64); break;
            case "version 1": datagram[20] = 0x11; break;
            case "type 2": datagram[20] = 0x22; break;
            case "truncated":
                datagram = datagram[..^4];
                Rewrite(datagram, 2, 0, (byte)datagram.Length);
                break;
        }
        return datagram;
    }

    /// <summary>Changes IPv4 header bytes and fixes the header checksum (the kernel would otherwise drop the packet, not the daemon).</summary>
    private static void Rewrite(byte[] datagram, int offset, params byte[] values)
    {
        values.CopyTo(datagram, offset);
        datagram[10] = datagram[11] = 0;
        ushort sum = InternetChecksum.Compute(datagram.AsSpan(0, IPv4Header.MinimumLength));
        datagram[10] = (byte)(sum >> 8);
        datagram[11] = (byte)sum;
    }
}
