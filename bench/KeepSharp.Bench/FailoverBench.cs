using KeepSharp.Lab;

namespace KeepSharp.Bench;

/// <summary>
/// Scenario 1: failover as a client sees it. Each cell runs <see cref="ProtocolScenario.RunTiming"/> (the integration
/// tests' fast-failover method: link cut right after an advert, then SIGTERM, each followed by preemption back; outage =
/// event to the new master's first HTTP answer, the client probing every 2 ms), first with a KeepSharp pair, then with a
/// keepalived pair, same configs.
/// </summary>
public static class FailoverBench
{
    public static List<FailoverRow> Run(BenchOptions o, Timeline tl, Action<string> progress, CancellationToken ct)
    {
        var rows = new List<FailoverRow>();
        var lab = new LabOptions
        {
            SeedDir = "",
            KeepSharpBinary = o.KeepSharpBinary,
            ProbeCadenceMs = o.ProbeCadenceMs,
            ProbeTimeoutMs = 50,
            Settle = TimeSpan.FromSeconds(0.5),
            StepTimeout = TimeSpan.FromSeconds(10),
            KeepWorkDir = o.KeepLogs,
        };
        foreach (var bc in o.Cells)
        {
            foreach (var kind in o.Daemons)
            {
                ct.ThrowIfCancellationRequested();
                int rounds = o.RoundsFor(bc);
                var cell = bc.Cell(kind);
                var started = DateTime.UtcNow;
                TimingResult r = ProtocolScenario.RunTiming(cell, rounds, lab, tl, ct);
                string daemon = Bench.Name(kind);
                foreach (var (k, xs, boundName, bound) in new[]
                         {
                             ("crash", r.Crash, "Master_Down_Interval", cell.MasterDownIntervalMs),
                             ("graceful", r.Graceful, "Skew_Time", cell.SkewTimeMs),
                         })
                {
                    rows.Add(new FailoverRow(bc.Name, bc.Version, bc.Family == IpFamily.IPv4 ? "IPv4" : "IPv6",
                        bc.Unicast ? "unicast" : "multicast", bc.AdvertInt, daemon, k, boundName, Math.Round(bound, 2), xs.Count,
                        R(Stats.Percentile(xs, 0.5)), R(Stats.Percentile(xs, 0.99)), R(xs.Count > 0 ? xs.Max() : null),
                        [.. xs.Select(x => Math.Round(x, 2))], [.. r.Problems]));
                }
                progress($"failover {bc.Name} {daemon}: {rounds} rounds in {(DateTime.UtcNow - started).TotalSeconds:0} s; " +
                         $"crash p50 {Fmt(Stats.Percentile(r.Crash, 0.5))} / max {Fmt(r.Crash.Count > 0 ? r.Crash.Max() : null)} ms " +
                         $"(bound {cell.MasterDownIntervalMs:0.0}), graceful p50 {Fmt(Stats.Percentile(r.Graceful, 0.5))} / max " +
                         $"{Fmt(r.Graceful.Count > 0 ? r.Graceful.Max() : null)} ms (bound {cell.SkewTimeMs:0.0})" +
                         (r.Problems.Count > 0 ? $"; {r.Problems.Count} problem(s): {r.Problems[0]}" : ""));
            }
        }
        return rows;
    }

    private static double? R(double? v) => v is { } x ? Math.Round(x, 2) : null;
    private static string Fmt(double? v) => v is { } x ? x.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) : "-";
}
