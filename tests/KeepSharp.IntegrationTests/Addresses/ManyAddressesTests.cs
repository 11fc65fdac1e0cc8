using System.Globalization;
using System.Net;
using KeepSharp.IntegrationTests.Daemon;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Addresses;

/// <summary>
/// One instance with 1,000 virtual addresses, as keepalived runs it: the first 255 are advertised, the rest
/// are excluded addresses (installed and removed with the VIPs). Pairs of keepsharp and keepalived 2.2.7 in
/// network namespaces agree on the advertised list, and a takeover installs all 1,000 on the backup.
/// </summary>
public sealed class ManyAddressesTests(ITestOutputHelper output)
{
    private const int Count = 1000;
    private const int Advertised = 255;
    private static readonly IPAddress LastAddress = IPAddress.Parse(AddressOf(Count - 1));

    public static TheoryData<string, string> Pairs => new()
    {
        { "keepsharp", "keepsharp" },
        { "keepsharp", "keepalived" },
        { "keepalived", "keepsharp" },
    };

    /// <summary>The i-th virtual address (0-based): 10.52.0.1 .. 10.52.3.250.</summary>
    private static string AddressOf(int i) => $"10.52.{i / 250}.{i % 250 + 1}";

    private static string Config(string routerId, string state, int priority, int count = Count) =>
        DaemonLab.Config(routerId, state, priority,
            string.Join("\n        ", Enumerable.Range(0, count).Select(i => AddressOf(i) + "/32")));

    private static int CountAddresses(LabHost host) =>
        Sh.Run("ip", "-n", host.Netns, "-o", "-4", "addr", "show", "dev", LabTopology.Interface).StdOut
            .Split('\n').Count(l => l.Contains(" 10.52.", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Thousand_addresses_are_held_by_the_master_and_taken_over_by_the_backup(string master, string backup)
    {
        using var lab = new DaemonLab(output);
        LabTopology topology = lab.Topology;
        LabHost h171 = topology.H171, h172 = topology.H172;
        // The client reaches the virtual addresses on the LAN directly (they are outside its /24).
        Sh.Run("ip", "-n", topology.ClientNs, "route", "add", "10.52.0.0/16", "dev", LabTopology.Interface);
        using var adverts = new AdvertWatcher(topology.ClientNs, topology.ClientAddress, lab.Timeline, a => a.ToString());
        adverts.Start();

        using LabDaemon m = Start(lab, LabDaemon.ParseKind(master), h171, Config("keep_171", "MASTER", 150));
        Assert.True(DaemonLab.WaitFor(() => CountAddresses(h171) == Count, TimeSpan.FromSeconds(15)),
            $"the {master} master should install all {Count} addresses; it holds {CountAddresses(h171)}:\n{Tail(lab, m)}");
        // keepalived 2.2.7 goes quiet for seconds after installing 1,000 addresses (it burns system time):
        // the backup joins once the master advertises steadily, else it rightly takes over meanwhile.
        IPAddress oldMaster = IPAddress.Parse(h171.Address);
        Assert.True(DaemonLab.WaitFor(() => SteadyAdverts(adverts, oldMaster, lab.Timeline.NowMs), TimeSpan.FromSeconds(40)),
            $"the {master} master does not advertise steadily with {Count} addresses");
        // keepalived's second gratuitous ARP burst (garp_master_delay 5 s) silences it again: wait that out too.
        Thread.Sleep(6000);
        Assert.True(DaemonLab.WaitFor(() => SteadyAdverts(adverts, oldMaster, lab.Timeline.NowMs), TimeSpan.FromSeconds(40)),
            $"the {master} master does not advertise steadily with {Count} addresses after its second ARP burst");
        using LabDaemon b = Start(lab, LabDaemon.ParseKind(backup), h172, Config("keep_172", "BACKUP", 100));
        Thread.Sleep(3500); // three adverts: the backup has checked the master's address list
        Assert.True(b.Running, $"the {backup} backup died:\n{Tail(lab, b)}");
        Assert.Equal(0, CountAddresses(h172));
        Assert.Equal(Count, CountAddresses(h171));
        Assert.Contains("(VI_1) Entering BACKUP STATE", lab.Log(b));
        Assert.DoesNotContain("Entering MASTER STATE", lab.Log(b));

        // The master's advert on the wire, dissected by tshark: the first 255 addresses, in order.
        (int addrCount, string[] listed) = CaptureAdvert(topology, h171.Address);
        Assert.Equal(Advertised, addrCount);
        Assert.Equal(Enumerable.Range(0, Advertised).Select(AddressOf), listed);

        using var probe = new IcmpProbe(topology.ClientNs, LastAddress, lab.Timeline);
        probe.Start();
        double cut = lab.Timeline.NowMs;
        topology.CutLink(h171);
        // Replies in flight at the cut come from the old master; later ones only from the new master.
        double oldMasterSilent = cut + 500;
        Assert.True(DaemonLab.WaitFor(() => CountAddresses(h172) == Count, TimeSpan.FromSeconds(15)),
            $"the {backup} backup should hold all {Count} addresses after the master's link is cut; it holds {CountAddresses(h172)}:\n{Tail(lab, b)}");
        double allListed = lab.Timeline.NowMs;
        Assert.True(DaemonLab.WaitFor(() => probe.FirstReplyAfter(oldMasterSilent) is not null, TimeSpan.FromSeconds(5)),
            $"the last address {LastAddress} (an excluded one) never answered the client after the takeover");
        double answered = probe.FirstReplyAfter(oldMasterSilent)!.Value;
        Assert.True(DaemonLab.WaitFor(() => CountAddresses(h171) == 0, TimeSpan.FromSeconds(30)),
            $"the {master} master without carrier (FAULT) should release all addresses; it holds {CountAddresses(h171)}");

        // Takeover: the backup's "Entering MASTER STATE" or its first advert on the wire, whichever is seen first
        // (a busy keepalived prints the state line late; both daemons send the first advert as they take over).
        IPAddress newMaster = IPAddress.Parse(h172.Address);
        double? logged = EnteredMaster(lab.Timeline, h172.Name, cut);
        double? onWire = adverts.First(cut, a => a.Source.Equals(newMaster) && a.Priority > 0)?.AtMs;
        double takeover = Math.Min(logged ?? double.MaxValue, onWire ?? double.MaxValue);
        Assert.True(takeover < double.MaxValue, $"the backup never entered MASTER:\n{Tail(lab, b)}");

        // The new master advertises right away and keeps its rhythm while it installs and announces 1,000 addresses.
        Assert.NotNull(adverts.WaitForAdvert(newMaster, takeover - 50, TimeSpan.FromSeconds(15)));
        double windowEnd = Math.Max(lab.Timeline.NowMs, takeover + 4000);
        Thread.Sleep(TimeSpan.FromMilliseconds(Math.Max(0, windowEnd - lab.Timeline.NowMs)));
        double[] times = [.. adverts.Snapshot().Where(a => a.Source.Equals(newMaster) && a.Priority > 0 && a.AtMs > takeover - 50 && a.AtMs <= windowEnd).Select(a => a.AtMs), windowEnd];
        double firstAdvert = times[0] - takeover;
        double worstGap = times.Zip(times.Skip(1), (x, y) => y - x).Max();
        if (backup == "keepsharp")
        {
            Assert.True(takeover - cut < 3610 + 1500, $"takeover {takeover - cut:0} ms after the cut; Master_Down_Interval is 3.61 s");
            Assert.True(answered - takeover < 2000, $"the last address answered {answered - takeover:0} ms after the takeover");
            Assert.True(firstAdvert < 500, $"the new master's first advert came {firstAdvert:0} ms after it entered MASTER");
            Assert.True(worstGap < 1300, $"the new master's adverts stalled: worst gap {worstGap:0} ms");
        }

        foreach (LabDaemon d in new[] { m, b })
        {
            string log = lab.Log(d);
            Assert.DoesNotContain("AddressListMismatch", log);                 // keepsharp's drop reason
            Assert.DoesNotContain("not present in MASTER advert", log);        // keepalived's address check
            Assert.DoesNotContain("invalid ip number count", log);
            Assert.Contains("excess moved to eVIPs", log);
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT {master}->{backup}: takeover {takeover - cut:0} ms after the cut; last address answering ping " +
            $"{answered - takeover:0} ms after 'Entering MASTER STATE'; all {Count} in `ip addr` by {allListed - takeover:0} ms (polled); " +
            $"first advert {firstAdvert:0} ms after takeover (state line seen at {(logged ?? double.NaN) - takeover:0} ms), worst advert gap in the first 4 s {worstGap:0} ms"));
    }

    [Fact]
    public void Config_test_sizes_the_advert_by_the_interface_mtu_as_keepalived_does()
    {
        Assert.True(Environment.IsPrivilegedProcess, "needs root (a network namespace)");
        string ns = $"ksb-mtu-{Environment.ProcessId}";
        string dir = Directory.CreateTempSubdirectory("ksb-mtu-").FullName;
        string path = Path.Combine(dir, "keepalived.conf");
        File.WriteAllText(path, Config("r1", "BACKUP", 100, count: 200));
        Sh.Run("ip", "netns", "add", ns);
        try
        {
            Sh.Run("ip", "-n", ns, "link", "add", "eth0", "mtu", "576", "type", "veth", "peer", "name", "eth1");
            ShResult keepalived = Sh.Try("ip", "netns", "exec", ns, "keepalived", "-t", "-l", "--log-console", "-f", path);
            ShResult keepsharp = Sh.Try("ip", "netns", "exec", ns, KeepSharpProcess.BinaryPath, "-t", "-f", path);

            const string expected = "(VI_1) Number of VIPs (200) exceeds maximum/space available in packet (max 131 addresses) - excess moved to eVIPs";
            Assert.Contains(expected, keepalived.StdOut + keepalived.StdErr);
            Assert.Equal(5, keepalived.ExitCode);
            // keepsharp names the line of the first address moved: the 132nd (the block's first is on line 16).
            Assert.Contains($"{path}:{16 + 131}: warning: {expected}", keepsharp.StdErr);
            Assert.Equal(keepalived.ExitCode, keepsharp.ExitCode);
        }
        finally
        {
            Sh.Try("ip", "netns", "del", ns);
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Two adverts from <paramref name="source"/> in the last 1.5 s.</summary>
    private static bool SteadyAdverts(AdvertWatcher adverts, IPAddress source, double nowMs) =>
        adverts.Snapshot().Count(a => a.Source.Equals(source) && a.Priority > 0 && a.AtMs > nowMs - 1500) >= 2;

    private static LabDaemon Start(DaemonLab lab, DaemonKind kind, LabHost host, string config)
    {
        if (kind == DaemonKind.KeepSharp)
            return lab.StartKeepSharp(host, config);
        LabDaemon daemon = LabDaemon.Create(kind, host, lab.WriteConfig(host, config), lab.Binary, lab.Timeline);
        daemon.Start();
        return daemon;
    }

    /// <summary>One advert from <paramref name="source"/> seen by the client, as tshark dissects it.</summary>
    private static (int Count, string[] Addresses) CaptureAdvert(LabTopology topology, string source)
    {
        ShResult r = Sh.Run(["env", "HOME=/tmp", "ip", "netns", "exec", topology.ClientNs, "timeout", "10",
            "tshark", "-i", LabTopology.Interface, "-c", "1", "-f", $"ip proto 112 and src host {source}",
            "-T", "fields", "-E", "separator=/s", "-e", "vrrp.addr_count", "-e", "vrrp.ip_addr"], check: true, timeoutMs: 20000);
        string line = r.StdOut.Trim();
        string[] fields = line.Split(' ', 2);
        Assert.True(fields.Length == 2, $"tshark printed no VRRP advert from {source}: '{line}' {r.StdErr}");
        return (int.Parse(fields[0], CultureInfo.InvariantCulture), fields[1].Split(','));
    }

    /// <summary>Timeline time of the host's first "Entering MASTER STATE" after <paramref name="afterMs"/>.</summary>
    private static double? EnteredMaster(Timeline timeline, string host, double afterMs) =>
        timeline.FirstLineAfter(host, "Entering MASTER STATE", afterMs);

    private static string Tail(DaemonLab lab, LabDaemon daemon) =>
        string.Join('\n', lab.Log(daemon).Split('\n').Where(l => !l.Contains("gratuitous ARP", StringComparison.Ordinal)).TakeLast(15));
}
