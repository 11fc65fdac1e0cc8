using System.Globalization;
using System.Text;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Protocol;

/// <summary>
/// Fast failover (issue 8): VRRPv3 over IPv4 multicast at advert_int 0.1 and 0.01, keepsharp/keepsharp next to
/// keepalived/keepalived in the same run, same topology, same client probe (HTTP GET to the VIP every 2 ms; takeover =
/// event to the first answer from the new master). Several crash (link cut right after an advert) and graceful
/// (SIGTERM: priority-0 advert) failovers per pair; min / median / max printed as a table for both daemons.
/// Only KeepSharp is asserted: median crash takeover within Master_Down_Interval + 20 ms and median graceful takeover
/// within Skew_Time + 20 ms. The median, not the maximum: on a small (2-core) CI machine one repetition can lose a few
/// tens of milliseconds to scheduling (the probe, nginx, both daemons and `ip` share the cores), which says nothing
/// about the daemon; a daemon that is late by design is late in most repetitions, and the median catches that.
/// keepalived's numbers are recorded, not asserted.
/// </summary>
public sealed class FastFailoverTimingTests(ITestOutputHelper output)
{
    private const int Repetitions = 5;
    private const double BoundSlackMs = 20;
    private const int ProbeCadenceMs = 2;

    [Theory]
    [InlineData("0.1")]
    [InlineData("0.01")]
    public void Keepsharp_fails_over_within_the_protocol_times_next_to_keepalived(string advertIntSeconds)
    {
        double advertInt = double.Parse(advertIntSeconds, CultureInfo.InvariantCulture);
        ProtocolLab.RequirePrerequisites();
        var timeline = new Timeline(output.WriteLine);
        var results = new List<TimingResult>();
        foreach (var kind in new[] { DaemonKind.KeepSharp, DaemonKind.Keepalived })
        {
            var cell = new ProtocolCell(3, IpFamily.IPv4, Unicast: false, kind, kind, advertInt);
            results.Add(ProtocolScenario.RunTiming(cell, Repetitions,
                ProtocolLab.Options(probeCadenceMs: ProbeCadenceMs, settleSeconds: 0.5, probeTimeoutMs: 50), timeline));
        }
        string table = Table(results);
        output.WriteLine(table);

        var ks = results[0];
        var failures = new List<string>();
        failures.AddRange(ks.Problems.Select(p => $"keepsharp: a step failed: {p}"));
        if (ks.Crash.Count < Repetitions) failures.Add($"keepsharp: only {ks.Crash.Count} of {Repetitions} crash failovers measured");
        if (ks.Graceful.Count < Repetitions) failures.Add($"keepsharp: only {ks.Graceful.Count} of {Repetitions} graceful failovers measured");
        if (ks.Crash.Count > 0 && Median(ks.Crash) > ks.Cell.MasterDownIntervalMs + BoundSlackMs)
            failures.Add($"keepsharp crash failover: median {Median(ks.Crash):0.0} ms > Master_Down_Interval {ks.Cell.MasterDownIntervalMs:0.0} ms + {BoundSlackMs} ms");
        if (ks.Graceful.Count > 0 && Median(ks.Graceful) > ks.Cell.SkewTimeMs + BoundSlackMs)
            failures.Add($"keepsharp graceful failover: median {Median(ks.Graceful):0.0} ms > Skew_Time {ks.Cell.SkewTimeMs:0.0} ms + {BoundSlackMs} ms");
        foreach (string p in results[1].Problems) output.WriteLine($"keepalived (not asserted): {p}");
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n" + table + "\n" +
            string.Join("\n", ks.DaemonLogTails.Select(kv => $"--- {kv.Key} keepsharp log (tail) ---\n{kv.Value}")));
    }

    private static double Median(IReadOnlyList<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    private static string Table(List<TimingResult> results)
    {
        var c = results[0].Cell;
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"VRRPv3 IPv4 multicast, advert_int {c.AdvertInt.ToString(CultureInfo.InvariantCulture)} s, backup priority {ProtocolCell.BackupPriority}: " +
            $"Master_Down_Interval {c.MasterDownIntervalMs:0.0} ms, Skew_Time {c.SkewTimeMs:0.0} ms; client probe every {ProbeCadenceMs} ms; " +
            $"takeover = event -> first answer from the new master (ms)");
        sb.AppendLine($"{"pair",-24} {"failover",-9} {"n",2} {"min",8} {"median",8} {"max",8}  {"bound (median)",-16} all");
        foreach (var r in results)
        {
            string name = r.Cell.Master == DaemonKind.KeepSharp ? "keepsharp/keepsharp" : "keepalived/keepalived";
            bool asserted = r.Cell.Master == DaemonKind.KeepSharp;
            foreach (var (label, xs, bound) in new[] { ("crash", r.Crash, c.MasterDownIntervalMs + BoundSlackMs), ("graceful", r.Graceful, c.SkewTimeMs + BoundSlackMs) })
            {
                string b = asserted ? $"<= {bound:0.0}" : "(not asserted)";
                sb.AppendLine(xs.Count == 0
                    ? $"{name,-24} {label,-9} {0,2} {"-",8} {"-",8} {"-",8}  {b,-16}"
                    : $"{name,-24} {label,-9} {xs.Count,2} {xs.Min(),8:0.0} {Median(xs),8:0.0} {xs.Max(),8:0.0}  {b,-16} " +
                      string.Join(" ", xs.Select(x => x.ToString("0.0", CultureInfo.InvariantCulture))));
            }
        }
        return sb.ToString().TrimEnd();
    }
}
