using System.Globalization;
using System.Text;
using System.Text.Json;

namespace KeepSharp.Bench;

/// <summary>latest.json, latest.md (tables: targets first, then each scenario) and charts/*.svg.</summary>
public static class ReportWriter
{
    private const string KsColor = "#2a6fdb", KaColor = "#9a9a9a";
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Write(string dir, BenchReport r)
    {
        Directory.CreateDirectory(Path.Combine(dir, "charts"));
        File.WriteAllText(Path.Combine(dir, "latest.json"), JsonSerializer.Serialize(r, BenchRunner.Json) + "\n");
        var charts = Charts(r);
        foreach (var (name, svg) in charts) File.WriteAllText(Path.Combine(dir, "charts", name), svg);
        string md = Markdown(r, charts.Select(c => c.Name).ToList(), "charts/");
        // Hand-written analysis (what bounds a missed target) kept next to the generated tables, appended as it is.
        string notes = Path.Combine(dir, "notes.md");
        if (File.Exists(notes)) md += "\n" + File.ReadAllText(notes);
        File.WriteAllText(Path.Combine(dir, "latest.md"), md);
    }

    private static string F(double? v, string fmt = "0.0") => v is { } x ? x.ToString(fmt, C) : "–";

    /// <summary>One target: what, KeepSharp's value, keepalived's, met (by KeepSharp's value).</summary>
    public sealed record Target(string What, string KeepSharp, string Keepalived, bool? Met);

    public static List<Target> Targets(BenchReport r)
    {
        var t = new List<Target>();
        if (r.Failover is { } fo)
        {
            (string Text, double? Excess) Worst(string d)
            {
                var rows = fo.Rows.Where(x => x.Daemon == d && x.P99Ms is not null).ToList();
                if (rows.Count == 0) return ("–", null);
                var w = rows.MaxBy(x => x.P99Ms!.Value - x.BoundMs)!;
                double e = w.P99Ms!.Value - w.BoundMs;
                return ($"{(e >= 0 ? "+" : "")}{e.ToString("0.0", C)} ms ({w.Cell} {w.Kind})", e);
            }
            var ks = Worst("keepsharp");
            bool incomplete = fo.Rows.Any(x => x.Daemon == "keepsharp" && (x.Problems.Count > 0 || x.P99Ms is null));
            t.Add(new Target($"failover p99 ≤ bound + 2 ms, every cell ({fo.Rows.Select(x => x.Cell).Distinct().Count()} cells, worst shown)",
                ks.Text + (incomplete ? "; some rounds failed" : ""), Worst("keepalived").Text, ks.Excess is { } e ? e <= 2 && !incomplete : null));
        }
        if (r.Scale is { } sc)
        {
            var ks = sc.Rows.FirstOrDefault(x => x.Daemon == "keepsharp");
            var ka = sc.Rows.FirstOrDefault(x => x.Daemon == "keepalived");
            var any = ks ?? ka;
            if (any is not null)
            {
                string n = $"{any.Instances} × {any.AdvertInt.ToString(C)} s";
                string One(ScaleRow? x) => x is null ? "–" : x.OneMasterAfterRunningMs is { } v ? $"{v.ToString("0.0", C)} ms" : "never, by its log";
                t.Add(new Target($"{n}: every VRID one master within one Master_Down_Interval ({any.MasterDownIntervalMs.ToString("0.0", C)} ms, + 2 ms as for failover) of both daemons running (their state logs)",
                    One(ks), One(ka), ks?.OneMasterAfterRunningMs is { } a ? a <= ks.MasterDownIntervalMs + 2 : ks is null ? null : false));
                t.Add(new Target($"{n}: master CPU ≤ 10 % of a core (steady)", $"{F(ks?.CpuSteadyMaster)} %", $"{F(ka?.CpuSteadyMaster)} %",
                    ks is null ? null : ks.CpuSteadyMaster <= 10));
                double? ratio = ks is not null && ka is not null && ka.CpuSteadyMaster > 0 ? ks.CpuSteadyMaster / ka.CpuSteadyMaster : null;
                t.Add(new Target($"{n}: master CPU ≤ 1/5 of keepalived's", ratio is { } q ? $"{q.ToString("0.00", C)} × keepalived's" : "–",
                    $"{F(ka?.CpuSteadyMaster)} %", ratio is { } q2 ? q2 <= 0.2 : null));
                t.Add(new Target($"{n}: backup CPU ≤ 8 % of a core (steady)", $"{F(ks?.CpuSteadyBackup)} %", $"{F(ka?.CpuSteadyBackup)} %",
                    ks is null ? null : ks.CpuSteadyBackup <= 8));
                t.Add(new Target($"{n}: advert jitter on the wire p99 ≤ 1 ms", $"{F(ks?.JitterP99Ms, "0.00")} ms", $"{F(ka?.JitterP99Ms, "0.00")} ms",
                    ks?.JitterP99Ms is { } j ? j <= 1 : null));
                t.Add(new Target($"RSS ≤ 8 MB at {any.Instances} instances (master, steady)", $"{F(ks?.RssSteadyMasterMb)} MB",
                    $"{F(ka?.RssSteadyMasterMb)} MB ({ka?.ProcessesMaster ?? 0} processes)", ks is null ? null : ks.RssSteadyMasterMb <= 8));
            }
        }
        if (r.Addresses is { } ad)
        {
            string V(AddressesRow? x) => x is null ? "–" : x.InstalledMs is { } i && x.AnnouncedMs is { } a
                ? $"{Math.Max(i, a).ToString("0", C)} ms (installed {i.ToString("0", C)}, announced {a.ToString("0", C)})" : $"not done: {x.Note}";
            var ks = ad.Rows.FirstOrDefault(x => x.Daemon == "keepsharp" && x.Count == 1000);
            var ka = ad.Rows.FirstOrDefault(x => x.Daemon == "keepalived" && x.Count == 1000);
            if (ks is not null || ka is not null)
                t.Add(new Target("1,000 VIPs installed and announced ≤ 50 ms after the takeover decision", V(ks), V(ka),
                    ks is null ? null : ks.InstalledMs is { } i && ks.AnnouncedMs is { } a && Math.Max(i, a) <= 50));
        }
        return t;
    }

    public static string TargetsTable(BenchReport r)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| target (issue 11) | KeepSharp | keepalived 2.2.7 | met |");
        sb.AppendLine("| --- | --- | --- | --- |");
        foreach (var t in Targets(r))
            sb.AppendLine($"| {t.What} | {t.KeepSharp} | {t.Keepalived} | {(t.Met switch { true => "yes", false => "**no**", null => "–" })} |");
        return sb.ToString();
    }

    private static string Measured<T>(Section<T> s) =>
        $"_{s.Mode} run, {s.MeasuredAt}, {s.Machine.Nproc} × {s.Machine.Cpu}, kernel {s.Machine.Kernel}, {s.Machine.Keepalived}, KeepSharp {s.Machine.KeepSharpCommit}" +
        (s.Machine.LoadAverage is { } l ? $", load average {l} at its end" : "") + "_";

    public static string Markdown(BenchReport r, IReadOnlyList<string> charts, string chartPrefix)
    {
        var sb = new StringBuilder();
        var m = r.LastRun;
        sb.AppendLine("# KeepSharp benchmarks: KeepSharp and keepalived side by side");
        sb.AppendLine();
        sb.AppendLine("Generated by `sudo ./bench.sh` (see the README). Both daemons run in turn in the same network-namespace lab under the same");
        sb.AppendLine("keepalived.conf. Each section says when and how (`--quick` or full) it was measured; a run replaces the sections it ran.");
        if (m is not null) sb.AppendLine($"\nLast run: {m.Date} on {m.Nproc} × {m.Cpu}, kernel {m.Kernel}; {m.Keepalived}; KeepSharp {m.KeepSharpCommit}.");
        sb.AppendLine();
        sb.AppendLine("## Targets");
        sb.AppendLine();
        sb.Append(TargetsTable(r));
        if (r.Failover is { } fo)
        {
            sb.AppendLine();
            sb.AppendLine("## 1. Failover as a client sees it");
            sb.AppendLine();
            sb.AppendLine(Measured(fo));
            sb.AppendLine();
            sb.AppendLine("Takeover = event → the new master's first HTTP answer to a client probing the VIP every 2 ms (ms; for a crash this is the");
            sb.AppendLine("client's outage, for a graceful stop the old master answers until it resigns, so the outage can be shorter). Crash: the master's");
            sb.AppendLine("link is cut right after one of its adverts (bound: the backup's Master_Down_Interval, priority 100). Graceful: SIGTERM (bound:");
            sb.AppendLine("Skew_Time). Each round also preempts back. The method is the integration tests' (`ProtocolScenario.RunTiming`).");
            sb.AppendLine();
            sb.AppendLine("| cell | failover | bound (ms) | daemon | n | p50 | p99 | max | p50/bound | p99/bound | max/bound |");
            sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            foreach (var x in fo.Rows)
                sb.AppendLine($"| {x.Cell} | {x.Kind} | {x.BoundName} {x.BoundMs.ToString("0.0", C)} | {x.Daemon} | {x.Rounds} | {F(x.P50Ms)} | {F(x.P99Ms)} | {F(x.MaxMs)} | " +
                              $"{F(x.P50Ms / x.BoundMs, "0.000")} | {F(x.P99Ms / x.BoundMs, "0.000")} | {F(x.MaxMs / x.BoundMs, "0.000")} |");
            foreach (var x in fo.Rows.Where(x => x.Problems.Count > 0).DistinctBy(x => (x.Cell, x.Daemon)))
                sb.AppendLine($"\n{x.Cell} {x.Daemon}: {x.Problems.Count} round(s) failed: {string.Join("; ", x.Problems.Take(2))}");
            Chart(sb, charts, chartPrefix, "failover.svg", "p99 outage / protocol bound");
        }
        if (r.Scale is { } sc)
        {
            sb.AppendLine();
            sb.AppendLine($"## 2. Scale: {sc.Rows.FirstOrDefault()?.Instances} instances at VRRPv3 {sc.Rows.FirstOrDefault()?.AdvertInt.ToString(C)} s on two hosts");
            sb.AppendLine();
            sb.AppendLine(Measured(sc));
            sb.AppendLine();
            sb.AppendLine("keep_171 (MASTER, priority 150) and keep_172 (BACKUP, 100) started together. CPU = utime+stime of the daemon's processes");
            sb.AppendLine("(keepalived: both) from /proc, % of one core; start = spawn to the end of the start window, steady = a later window. Holders of");
            sb.AppendLine("each VRID's VIP polled on both hosts (`ip addr`). Jitter = |interval − advert_int| of the master's adverts for a few VRIDs, kernel");
            sb.AppendLine("timestamps of a capture in the client's namespace.");
            sb.AppendLine();
            var rows = sc.Rows;
            sb.AppendLine("| | " + string.Join(" | ", rows.Select(x => x.Daemon)) + " |");
            sb.AppendLine("| --- |" + string.Concat(rows.Select(_ => " --- |")));
            void Row(string label, Func<ScaleRow, string> f) => sb.AppendLine($"| {label} | " + string.Join(" | ", rows.Select(f)) + " |");
            Row("CPU master, start window (% of a core)", x => $"{x.CpuStartMaster:0.0} ({x.StartWindowS:0.#} s)");
            Row("CPU backup, start window", x => $"{x.CpuStartBackup:0.0}");
            Row("CPU master, steady", x => $"{x.CpuSteadyMaster:0.0} ({x.SteadyWindowS:0.#} s)");
            Row("CPU backup, steady", x => $"{x.CpuSteadyBackup:0.0}");
            Row("RSS master, start / steady (MB)", x => $"{x.RssStartMasterMb:0.0} / {x.RssSteadyMasterMb:0.0} ({x.ProcessesMaster} proc.)");
            Row("RSS backup, start / steady (MB)", x => $"{x.RssStartBackupMb:0.0} / {x.RssSteadyBackupMb:0.0} ({x.ProcessesBackup} proc.)");
            Row("advert jitter p50 / p99 / max (ms)", x => $"{F(x.JitterP50Ms, "0.00")} / {F(x.JitterP99Ms, "0.00")} / {F(x.JitterMaxMs, "0.00")} ({x.JitterIntervals} intervals, VRIDs {string.Join(",", x.JitterVrids)})");
            Row("mean advert interval (ms)", x => F(x.MeanIntervalMs, "0.000"));
            Row("\"Entering MASTER STATE\" lines during the steady window (flapping)", x => x.MasterEntriesSteady.ToString(C));
            foreach (double s in new[] { 1.0, 2, 5 })
                Row($"at {s:0} s: VRIDs with two masters / none / on keep_171", x => x.Convergence.FirstOrDefault(c => c.AfterS == s) is { } c ? $"{c.TwoMasters} / {c.NoMaster} / {c.OnMasterHost}" : "–");
            Row("both daemons running (the later one's last instance in its first state), after the spawn", x => x.BothRunningMs is { } v ? $"{v:0} ms" : "–");
            Row("every VRID exactly one MASTER (state logs), after both running", x => x.OneMasterAfterRunningMs is { } v ? $"{v.ToString("0.0", C)} ms" : "never");
            Row($"every VRID's VIP on exactly one host, after the spawn (`ip addr` every {rows.FirstOrDefault()?.PollPeriodMs:0} ms)", x => x.AllOneMasterMs is { } v ? $"{v:0} ms" : "not within 20 s");
            Chart(sb, charts, chartPrefix, "scale-cpu.svg", "CPU at scale");
        }
        if (r.Addresses is { } ad)
        {
            sb.AppendLine();
            sb.AppendLine("## 3. Many addresses");
            sb.AppendLine();
            sb.AppendLine(Measured(ad));
            sb.AppendLine();
            sb.AppendLine("One instance alone on keep_171 (state BACKUP: it decides to be master after Master_Down_Interval). From that decision (its");
            sb.AppendLine("\"Entering MASTER STATE\" line): all VIPs in `ip addr` (polled), a gratuitous ARP for every VIP captured by the client (kernel");
            sb.AppendLine("timestamps), and the client's first HTTP answer from the last VIP (probing every 5 ms). ms.");
            sb.AppendLine();
            sb.AppendLine("| VIPs | daemon | installed | first GARP | announced (all) | client on the last VIP | note |");
            sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
            foreach (var x in ad.Rows)
                sb.AppendLine($"| {x.Count:N0} | {x.Daemon} | {F(x.InstalledMs, "0")} | {F(x.FirstGarpMs, "0")} | {F(x.AnnouncedMs, "0")} | {F(x.ClientMs, "0")} | {x.Note} |");
            Chart(sb, charts, chartPrefix, "addresses.svg", "many addresses");
        }
        if (r.Footprint is { } fp)
        {
            sb.AppendLine();
            sb.AppendLine("## 4. Footprint");
            sb.AppendLine();
            sb.AppendLine(Measured(fp));
            sb.AppendLine();
            sb.AppendLine("One VRRPv2 instance (advert_int 1) as master, 3 s after its first advert. keepalived: parent and VRRP child summed.");
            sb.AppendLine();
            sb.AppendLine("| daemon | processes | RSS (MB) | threads | open fds | binary | start → first advert (ms) |");
            sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
            foreach (var x in fp.Rows)
                sb.AppendLine($"| {x.Daemon} | {x.Processes} | {x.RssMb:0.0} | {x.Threads} | {x.Fds} | {x.BinaryBytes / 1024.0 / 1024:0.0} MB (`{x.BinaryPath}`) | {F(x.FirstAdvertMs, "0")} |");
            if (fp.Rows.Any(x => x.Daemon == "keepalived"))
                sb.AppendLine("\nkeepalived's binary size leaves out its shared libraries (libnl, libssl, libcrypto, libsnmp …); KeepSharp's is self-contained.");
            Chart(sb, charts, chartPrefix, "memory.svg", "resident memory");
        }
        if (r.Scripts is { } sp)
        {
            sb.AppendLine();
            sb.AppendLine("## 5. Scripts");
            sb.AppendLine();
            sb.AppendLine(Measured(sp));
            sb.AppendLine();
            sb.AppendLine("| daemon | scripts | interval | window | CPU daemon | CPU children (scripts) | total (% of a core) |");
            sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
            foreach (var x in sp.Rows)
                sb.AppendLine($"| {x.Daemon} | {x.Scripts} | {x.IntervalS:0.#} s | {x.WindowS:0} s | {x.CpuDaemon:0.0} | {x.CpuChildren:0.0} | {x.CpuTotal:0.0} |");
        }
        if (r.Profiles.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## Profiles");
            sb.AppendLine();
            sb.AppendLine("```text");
            foreach (string p in r.Profiles) sb.AppendLine(p).AppendLine();
            sb.AppendLine("```");
        }
        return sb.ToString();
    }

    private static void Chart(StringBuilder sb, IReadOnlyList<string> charts, string prefix, string name, string alt)
    {
        if (charts.Contains(name)) sb.AppendLine().AppendLine($"![{alt}]({prefix}{name})");
    }

    private static SvgChart.Series[] Two<T>(IReadOnlyList<T> cats, Func<T, string, double?> value) =>
    [
        new("KeepSharp", KsColor, [.. cats.Select(c => value(c, "keepsharp"))]),
        new("keepalived 2.2.7", KaColor, [.. cats.Select(c => value(c, "keepalived"))]),
    ];

    public static List<(string Name, string Svg)> Charts(BenchReport r)
    {
        var list = new List<(string, string)>();
        if (r.Failover is { Rows.Count: > 0 } fo)
        {
            var cats = fo.Rows.Select(x => (x.Cell, x.Kind)).Distinct().ToList();
            list.Add(("failover.svg", SvgChart.Grouped("Failover: p99 takeover as a multiple of the protocol bound", "p99 / bound",
                [.. cats.Select(c => $"{c.Cell} {c.Kind}")],
                Two(cats, (c, d) => fo.Rows.FirstOrDefault(x => x.Cell == c.Cell && x.Kind == c.Kind && x.Daemon == d)?.P99Ms is { } p
                    ? p / fo.Rows.First(x => x.Cell == c.Cell && x.Kind == c.Kind).BoundMs : null),
                1, "bound", "0.00")));
        }
        if (r.Scale is { Rows.Count: > 0 } sc)
        {
            string[] cats = ["master, start", "backup, start", "master, steady", "backup, steady"];
            list.Add(("scale-cpu.svg", SvgChart.Grouped($"CPU, {sc.Rows[0].Instances} instances × {sc.Rows[0].AdvertInt.ToString(C)} s", "% of one core", cats,
                Two(cats, (c, d) => sc.Rows.FirstOrDefault(x => x.Daemon == d) is { } x
                    ? c switch { "master, start" => x.CpuStartMaster, "backup, start" => x.CpuStartBackup, "master, steady" => x.CpuSteadyMaster, _ => x.CpuSteadyBackup }
                    : null), 10, "target: master ≤ 10 %")));
        }
        if (r.Footprint is not null || r.Scale is not null)
        {
            int n = r.Scale?.Rows.FirstOrDefault()?.Instances ?? 255;
            string[] cats = ["1 instance", $"{n} instances, master", $"{n} instances, backup"];
            list.Add(("memory.svg", SvgChart.Grouped("Resident memory (all of the daemon's processes)", "MB", cats,
                Two(cats, (c, d) => c == "1 instance" ? r.Footprint?.Rows.FirstOrDefault(x => x.Daemon == d)?.RssMb
                    : r.Scale?.Rows.FirstOrDefault(x => x.Daemon == d) is { } s ? (c.EndsWith("master", StringComparison.Ordinal) ? s.RssSteadyMasterMb : s.RssSteadyBackupMb) : null),
                8, "target at 255: ≤ 8 MB")));
        }
        if (r.Addresses is { Rows.Count: > 0 } ad)
        {
            var counts = ad.Rows.Select(x => x.Count).Distinct().ToList();
            var cats = counts.SelectMany(n => new[] { (n, "installed"), (n, "announced"), (n, "client") }).ToList();
            list.Add(("addresses.svg", SvgChart.Grouped("Many VIPs: ms from the takeover decision", "ms",
                [.. cats.Select(c => $"{c.n:N0} {c.Item2}")],
                Two(cats, (c, d) => ad.Rows.FirstOrDefault(x => x.Count == c.n && x.Daemon == d) is { } x
                    ? c.Item2 switch { "installed" => x.InstalledMs, "announced" => x.AnnouncedMs, _ => x.ClientMs } : null),
                50, "target (1,000): 50 ms", "0")));
        }
        return list;
    }
}
