using System.Globalization;
using System.Text.RegularExpressions;
using KeepSharp.Lab;

namespace KeepSharp.Bench;

/// <summary>
/// Scenario 2: N instances (default 255) at VRRPv3 0.01 s on two hosts, both daemons started together. Who holds each
/// VRID's VIP is polled on both hosts (`ip addr`, every 25 ms) for the start window; CPU (utime+stime from /proc) and RSS
/// of each daemon's processes over the start window and a steady window; then the master's advert intervals on the wire
/// for a few VRIDs (tcpdump in the client's namespace: kernel timestamps, a BPF filter on the VRID byte).
/// </summary>
public static partial class ScaleBench
{
    private const double PollMs = 25;

    public static List<ScaleRow> Run(BenchOptions o, Timeline tl, Action<string> progress, List<string> profiles, CancellationToken ct)
    {
        var rows = new List<ScaleRow>();
        foreach (var kind in o.Daemons)
        {
            ct.ThrowIfCancellationRequested();
            rows.Add(RunOne(kind, o, tl, progress, profiles, ct));
        }
        return rows;
    }

    private static ScaleRow RunOne(DaemonKind kind, BenchOptions o, Timeline tl, Action<string> progress, List<string> profiles, CancellationToken ct)
    {
        int n = o.ScaleInstances;
        using var lab = LabTopology.Create(tl);
        lab.KeepWorkDir = o.KeepLogs;
        using var master = Bench.Daemon(kind, lab.H171, Bench.ManyInstances(lab.H171, true, n, o.ScaleAdvertInt), o, tl);
        using var backup = Bench.Daemon(kind, lab.H172, Bench.ManyInstances(lab.H172, false, n, o.ScaleAdvertInt), o, tl);
        double mdi = 3 * o.ScaleAdvertInt * 1000 + (256 - 100) * o.ScaleAdvertInt * 1000 / 256;

        double t0 = tl.NowMs;
        master.Start();
        backup.Start();
        var polls = new List<(double At, bool[] M, bool[] B)>();
        double? allOne = null;
        int skippedPolls = 0;
        ProcessSample? startM = null, startB = null;
        // Watch the VIPs until the start window is over and every VRID has one holder (at most 20 s).
        while (!ct.IsCancellationRequested)
        {
            double at = tl.NowMs;
            bool[]? m = null, b = null;
            Parallel.Invoke(() => m = Holding(lab.H171, n), () => b = Holding(lab.H172, n));
            if (m is not null && b is not null)
            {
                polls.Add((at - t0, m, b));
                if (allOne is null && Enumerable.Range(0, n).All(i => m[i] ^ b[i])) allOne = at - t0;
            }
            else skippedPolls++;
            if (startM is null && tl.NowMs - t0 >= o.ScaleStartWindowS * 1000)
            {
                startM = ProcessStats.Sample(master.Pid, tl.NowMs);
                startB = ProcessStats.Sample(backup.Pid, tl.NowMs);
            }
            double elapsed = tl.NowMs - t0;
            if ((elapsed >= o.ScaleStartWindowS * 1000 && allOne is not null) || elapsed > 20000) break;
            Thread.Sleep(TimeSpan.FromMilliseconds(Math.Max(0, at + PollMs - tl.NowMs)));
            if ((master.Failure ?? backup.Failure) is { } f) throw new LabException(f);
        }
        ct.ThrowIfCancellationRequested();
        // CPU at start: from the spawn (a new process has used nothing) to the end of the start window.
        SleepUntil(tl, t0 + o.ScaleStartWindowS * 1000, ct);
        var zeroM = new ProcessSample(t0, 0, 0, 0, 0, 0, 0);
        startM ??= ProcessStats.Sample(master.Pid, tl.NowMs);
        startB ??= ProcessStats.Sample(backup.Pid, tl.NowMs);
        double startWindow = (startM.Value.AtMs - t0) / 1000;

        SleepUntil(tl, tl.NowMs + 2000, ct);
        var s0M = ProcessStats.Sample(master.Pid, tl.NowMs);
        var s0B = ProcessStats.Sample(backup.Pid, tl.NowMs);
        SleepUntil(tl, s0M.AtMs + o.ScaleSteadyWindowS * 1000, ct);
        var s1M = ProcessStats.Sample(master.Pid, tl.NowMs);
        var s1B = ProcessStats.Sample(backup.Pid, tl.NowMs);

        // Jitter of the master's adverts for a few VRIDs, as the wire (the client's veth) timestamps them.
        int[] vrids = [.. new[] { 1, (n + 1) / 2, n }.Distinct()];
        string filter = $"ip proto 112 and src host {lab.H171.Address} and ({string.Join(" or ", vrids.Select(v => $"ip[21] = {v}"))})";
        var packets = Bench.CaptureAdverts(lab.ClientNs, filter, o.ScaleJitterCaptureS);
        var deviations = new List<double>();
        var intervals = new List<double>();
        foreach (var g in packets.GroupBy(p => p.Vrid))
        {
            double[] t = [.. g.Select(p => p.AtMs).Order()];
            for (int i = 1; i < t.Length; i++)
            {
                intervals.Add(t[i] - t[i - 1]);
                deviations.Add(Math.Abs(t[i] - t[i - 1] - o.ScaleAdvertInt * 1000));
            }
        }
        if (o.Profile)
        {
            profiles.Add(Bench.Profile($"{Bench.Name(kind)} master, {n} instances at {o.ScaleAdvertInt.ToString(CultureInfo.InvariantCulture)} s", master.Pid, 5));
            profiles.Add(Bench.Profile($"{Bench.Name(kind)} backup, {n} instances at {o.ScaleAdvertInt.ToString(CultureInfo.InvariantCulture)} s", backup.Pid, 5));
        }
        if ((master.Failure ?? backup.Failure) is { } failure) throw new LabException(failure);

        var convergence = new List<ConvergencePoint>();
        foreach (double s in new[] { 1.0, 2, 5 })
        {
            var p = polls.LastOrDefault(x => x.At <= s * 1000);
            if (p.M is null) continue;
            convergence.Add(new ConvergencePoint(s, Enumerable.Range(0, n).Count(i => p.M[i] && p.B[i]),
                Enumerable.Range(0, n).Count(i => !p.M[i] && !p.B[i]), p.M.Count(x => x)));
        }
        var states = StateConvergence.Measure(tl.Lines, [lab.H171.Name, lab.H172.Name], n, t0, s1M.AtMs);
        var row = new ScaleRow(Bench.Name(kind), n, o.ScaleAdvertInt, Math.Round(mdi, 2),
            R(ProcessStats.CpuPercent(zeroM, startM.Value)), R(ProcessStats.CpuPercent(zeroM, startB.Value)),
            R(ProcessStats.CpuPercent(s0M, s1M)), R(ProcessStats.CpuPercent(s0B, s1B)), R(startWindow), R((s1M.AtMs - s0M.AtMs) / 1000),
            Mb(startM.Value.RssKb), Mb(startB.Value.RssKb), Mb(s1M.RssKb), Mb(s1B.RssKb), s1M.Processes, s1B.Processes,
            [.. vrids], deviations.Count, R(Stats.Percentile(deviations, 0.5)), R(Stats.Percentile(deviations, 0.99)),
            R(deviations.Count > 0 ? deviations.Max() : null), R(intervals.Count > 0 ? intervals.Average() : null),
            convergence, allOne is { } a ? R(a) : null, PollMs, MasterEntries(tl, s0M.AtMs, s1M.AtMs),
            R(states.BothRunningMs), R(states.OneMasterMs), R(states.AfterBothRunningMs));
        progress($"scale {n} × {o.ScaleAdvertInt.ToString(CultureInfo.InvariantCulture)} s {row.Daemon}: CPU master {row.CpuSteadyMaster:0.0} % / backup " +
                 $"{row.CpuSteadyBackup:0.0} % (start {row.CpuStartMaster:0.0} / {row.CpuStartBackup:0.0}), RSS master {row.RssSteadyMasterMb:0.0} MB / backup " +
                 $"{row.RssSteadyBackupMb:0.0} MB, jitter p99 {row.JitterP99Ms?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-"} ms, " +
                 $"one master per VRID {(states.AfterBothRunningMs is { } sr ? $"{sr:0.0} ms after both daemons ran (MDI {mdi:0.0} ms; both ran {states.BothRunningMs:0} ms after the spawn)" : "never, by their logs")}, " +
                 $"VIPs settled {(allOne is { } x ? $"{x:0} ms after the spawn" : "never (20 s)")}, {row.MasterEntriesSteady} MASTER entries in the steady window" +
                 (skippedPolls > 0 ? $", {skippedPolls} polls of `ip addr` timed out (5 s)" : "") + "; at 5 s: " +
                 string.Join(", ", convergence.Where(c => c.AfterS == 5).Select(c => $"{c.TwoMasters} two masters, {c.NoMaster} none, {c.OnMasterHost} on keep_171")));
        return row;
    }

    [GeneratedRegex(@"inet 10\.60\.(\d+)\.1/32")]
    private static partial Regex ScaleVipRegex();

    /// <summary>
    /// Which VRIDs' VIPs (10.60.VRID.1) the host holds right now (index VRID-1); null when `ip` did not answer within 5 s
    /// (with keepalived at 255 × 0.01 s, rtnetlink can be that busy).
    /// </summary>
    private static bool[]? Holding(LabHost h, int n)
    {
        var held = new bool[n];
        ShResult r;
        try { r = Sh.Run(["ip", "-n", h.Netns, "-o", "-4", "addr", "show", "dev", LabTopology.Interface], check: false, timeoutMs: 5000); }
        catch (LabException) { return null; }
        if (r.ExitCode != 0) return null;
        foreach (Match m in ScaleVipRegex().Matches(r.StdOut))
            if (int.TryParse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture, out int v) && v >= 1 && v <= n) held[v - 1] = true;
        return held;
    }

    /// <summary>"Entering MASTER STATE" lines (either host) the timeline saw in [fromMs, toMs].</summary>
    private static int MasterEntries(Timeline tl, double fromMs, double toMs) =>
        tl.Lines.Count(l => l.Contains("Entering MASTER STATE", StringComparison.Ordinal) && l.IndexOf(" ms", StringComparison.Ordinal) is > 0 and var i
            && double.TryParse(l.AsSpan(0, i).Trim(), CultureInfo.InvariantCulture, out double at) && at >= fromMs && at <= toMs);

    private static void SleepUntil(Timeline tl, double ms, CancellationToken ct)
    {
        double wait = ms - tl.NowMs;
        if (wait > 0 && ct.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(wait))) ct.ThrowIfCancellationRequested();
    }

    private static double R(double v) => Math.Round(v, 2);
    private static double? R(double? v) => v is { } x ? Math.Round(x, 3) : null;
    private static double Mb(long kb) => Math.Round(kb / 1024.0, 2);
}
