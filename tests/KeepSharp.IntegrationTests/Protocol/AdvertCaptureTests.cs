using System.Net;
using System.Net.Sockets;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Protocol;

/// <summary>
/// tshark's VRRP dissector as the oracle for KeepSharp's adverts on the wire: keepsharp runs alone on keep_171, tshark
/// captures on keep_172's eth0 (where multicast and unicast adverts both arrive), then every captured advert must
/// decode with checksum status Good under the dissector preference that matches the checksum form
/// (vrrp.v3_checksum_as_in_v2 FALSE = RFC 9568 pseudo-header, TRUE = the message alone as in v2), with the right
/// version, VRID, addresses, and TTL / hop limit 255 for multicast. For VRRPv3 over IPv4 the opposite preference must
/// show Bad: the oracle discriminates between the two checksum forms.
/// </summary>
public sealed class AdvertCaptureTests(ITestOutputHelper output)
{
    private const string Pref = "vrrp.v3_checksum_as_in_v2";

    /// <summary>One decoded advert: the fields asked of tshark, in order.</summary>
    private sealed record Frame(string Src, string Dst, int HopLimit, int Version, int Vrid, int Priority, string Checksum, string Addresses)
    {
        public override string ToString() =>
            $"{Src} -> {Dst} ttl/hlim {HopLimit} v{Version} vrid {Vrid} prio {Priority} checksum {Checksum} addrs {Addresses}";
    }

    public static TheoryData<string> Cells => new()
    {
        "v2-ipv4-multicast", "v2-ipv4-unicast", "v3-ipv4-multicast", "v3-ipv4-unicast", "v3-ipv6-multicast", "v3-ipv6-unicast",
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public void Tshark_decodes_keepsharp_adverts_with_a_good_checksum(string kind)
    {
        ProtocolLab.RequirePrerequisites(tshark: true);
        var cell = ProtocolLab.Parse($"{kind} keepsharp→keepsharp", kind.StartsWith("v2", StringComparison.Ordinal) ? 1 : 0.2);
        bool v3v4 = cell.Version == 3 && cell.Family == IpFamily.IPv4;
        Check(cell, goodUnder: false, badUnder: v3v4 ? true : null);
    }

    /// <summary>KeepSharp's v3_checksum_as_v2: the v3 checksum over the message alone, Good only under the TRUE preference.</summary>
    [Theory]
    [InlineData("v3-ipv4-multicast")]
    [InlineData("v3-ipv4-unicast")]
    public void With_v3_checksum_as_v2_tshark_decodes_good_under_the_v2_form(string kind)
    {
        ProtocolLab.RequirePrerequisites(tshark: true);
        var cell = ProtocolLab.Parse($"{kind} keepsharp→keepsharp", 0.2) with { ChecksumAsV2 = true };
        Check(cell, goodUnder: true, badUnder: false);
    }

    private void Check(ProtocolCell cell, bool goodUnder, bool? badUnder)
    {
        var tl = new Timeline(output.WriteLine);
        var failures = new List<string>();
        string workDir;
        string log = "";
        using (var lab = LabTopology.Create(tl, cell.Family == IpFamily.IPv6))
        {
            workDir = lab.WorkDir;
            string pcap = Capture(lab, cell, tl, out log);
            var good = Decode(pcap, goodUnder, lab.H172.RunDir);
            output.WriteLine($"{Pref}:{(goodUnder ? "TRUE" : "FALSE")} ({good.Count} adverts):");
            foreach (var f in good) output.WriteLine($"  {f}");
            failures.AddRange(Verify(cell, lab, good, goodUnder));
            if (badUnder is { } opposite)
            {
                var bad = Decode(pcap, opposite, lab.H172.RunDir);
                output.WriteLine($"{Pref}:{(opposite ? "TRUE" : "FALSE")} (the other checksum form): " +
                                 string.Join(", ", bad.GroupBy(f => f.Checksum).Select(g => $"{g.Count()} {g.Key}")));
                if (bad.Count == 0 || bad.Any(f => f.Checksum != "Bad"))
                    failures.Add($"under {Pref}:{(opposite ? "TRUE" : "FALSE")} (the other checksum form) every advert should decode with a " +
                                 $"Bad checksum, got: {string.Join(", ", bad.Select(f => f.Checksum))}");
            }
        }
        ProtocolLab.AssertCleanedUp(workDir);
        Assert.True(failures.Count == 0, $"[{cell}]\n  " + string.Join("\n  ", failures) + $"\n--- keepsharp log ---\n{log}");
    }

    /// <summary>tshark on keep_172's eth0 while keepsharp runs alone on keep_171 (master), then stops (priority-0 advert).</summary>
    private static string Capture(LabTopology lab, ProtocolCell cell, Timeline tl, out string daemonLog)
    {
        string pcap = Path.Combine(lab.H172.RunDir, "adverts.pcap");
        double runSeconds = cell.Version == 2 ? 3.5 : 2;
        using var capturing = new ManualResetEventSlim();
        using var tshark = lab.H172.Spawn("tshark",
            ["env", $"HOME={lab.H172.RunDir}", "tshark", "-n", "-i", LabTopology.Interface, "-f", "ip proto 112 or ip6 proto 112",
             "-w", pcap, "-a", $"duration:{runSeconds + 1.5:0}"],
            Path.Combine(lab.H172.RunDir, "tshark.log"), line => { if (line.Contains("Capturing on", StringComparison.Ordinal)) capturing.Set(); });
        Assert.True(capturing.Wait(TimeSpan.FromSeconds(10)), "tshark did not start capturing on keep_172's eth0 within 10 s: " +
                                                              SafeRead(Path.Combine(lab.H172.RunDir, "tshark.log")));
        string conf = Path.Combine(lab.H171.RunDir, "keepalived.conf");
        File.WriteAllText(conf, cell.Config(lab, lab.H171));
        using var daemon = LabDaemon.Create(DaemonKind.KeepSharp, lab.H171, conf, ProtocolLab.Binary, tl);
        daemon.Start();
        Thread.Sleep(TimeSpan.FromSeconds(runSeconds));
        string? failure = daemon.Failure;
        daemon.StopGracefully(TimeSpan.FromSeconds(3));
        daemonLog = string.Join("\n", SafeRead(daemon.LogFile).Split('\n').TakeLast(25));
        Assert.True(tshark.WaitForExit(TimeSpan.FromSeconds(10)), "tshark did not stop after its capture duration");
        Assert.True(failure is null, failure);
        Assert.True(File.Exists(pcap), $"no capture file: {SafeRead(Path.Combine(lab.H172.RunDir, "tshark.log"))}");
        return pcap;
    }

    private static string SafeRead(string path)
    {
        try { return File.Exists(path) ? File.ReadAllText(path) : ""; }
        catch (IOException) { return ""; }
    }

    private static List<Frame> Decode(string pcap, bool asInV2, string home)
    {
        var r = Sh.Run(["env", $"HOME={home}", "tshark", "-n", "-r", pcap, "-o", $"{Pref}:{(asInV2 ? "TRUE" : "FALSE")}", "-Y", "vrrp",
            "-T", "fields", "-E", "separator=|", "-E", "aggregator=,",
            "-e", "ip.src", "-e", "ipv6.src", "-e", "ip.dst", "-e", "ipv6.dst", "-e", "ip.ttl", "-e", "ipv6.hlim",
            "-e", "vrrp.version", "-e", "vrrp.virt_rtr_id", "-e", "vrrp.prio", "-e", "vrrp.checksum.status",
            "-e", "vrrp.ip_addr", "-e", "vrrp.ipv6_addr"], check: true);
        var frames = new List<Frame>();
        foreach (string line in r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] f = line.Split('|');
            static int Int(string s) => int.TryParse(s, out int v) ? v : -1;
            // tshark prints the checksum status's number: 0 Bad, 1 Good, 2 Unverified (wireshark's proto_checksum_enum_e).
            string status = f[9] switch { "0" => "Bad", "1" => "Good", "2" => "Unverified", var s => s };
            frames.Add(new Frame(f[0] + f[1], f[2] + f[3], Int(f[4] + f[5]), Int(f[6]), Int(f[7]), Int(f[8]), status, f[10] + f[11]));
        }
        return frames;
    }

    private static IEnumerable<string> Verify(ProtocolCell cell, LabTopology lab, List<Frame> frames, bool pref)
    {
        if (frames.Count < 2)
        {
            yield return $"expected several adverts from keep_171 in the capture, tshark decoded {frames.Count}";
            yield break;
        }
        bool v6 = cell.Family == IpFamily.IPv6;
        string dst = cell.Unicast ? (v6 ? lab.H172.Address6! : lab.H172.Address) : (v6 ? "ff02::12" : "224.0.0.18");
        string addresses = v6 ? $"{ProtocolCell.VipLinkLocal6},{ProtocolCell.Vip6}" : ProtocolCell.Vip4;
        foreach (var (f, i) in frames.Select((f, i) => (f, i + 1)))
        {
            var problems = new List<string>();
            if (f.Checksum != "Good") problems.Add($"checksum status {f.Checksum} under {Pref}:{(pref ? "TRUE" : "FALSE")}");
            if (f.Version != cell.Version) problems.Add($"version {f.Version}, expected {cell.Version}");
            if (f.Vrid != ProtocolCell.Vrid) problems.Add($"VRID {f.Vrid}, expected {ProtocolCell.Vrid}");
            if (f.Priority is not (ProtocolCell.MasterPriority or 0)) problems.Add($"priority {f.Priority}, expected {ProtocolCell.MasterPriority} (or 0 when stopping)");
            if (!Same(f.Dst, dst)) problems.Add($"destination {f.Dst}, expected {dst}");
            if (!Same(f.Addresses, addresses)) problems.Add($"virtual addresses {f.Addresses}, expected {addresses}");
            if (v6 && !cell.Unicast && !(IPAddress.TryParse(f.Src, out var s6) && s6.AddressFamily == AddressFamily.InterNetworkV6 && s6.IsIPv6LinkLocal))
                problems.Add($"source {f.Src}, expected keep_171's link-local address (RFC 9568 §5.1.2.1)");
            if (v6 && cell.Unicast && !Same(f.Src, lab.H171.Address6!)) problems.Add($"source {f.Src}, expected unicast_src_ip {lab.H171.Address6}");
            if (!v6 && !Same(f.Src, lab.H171.Address)) problems.Add($"source {f.Src}, expected {lab.H171.Address}");
            if (!cell.Unicast && f.HopLimit != 255) problems.Add($"{(v6 ? "hop limit" : "TTL")} {f.HopLimit}, expected 255");
            if (problems.Count > 0) yield return $"advert {i} ({f}): {string.Join("; ", problems)}";
        }
        if (frames[0].Priority != ProtocolCell.MasterPriority) yield return $"the first advert has priority {frames[0].Priority}";
    }

    private static bool Same(string got, string expected) =>
        string.Equals(Normalize(got), Normalize(expected), StringComparison.OrdinalIgnoreCase);

    private static string Normalize(string list) =>
        string.Join(",", list.Split(',').Select(a => IPAddress.TryParse(a, out var ip) ? ip.ToString() : a));
}
