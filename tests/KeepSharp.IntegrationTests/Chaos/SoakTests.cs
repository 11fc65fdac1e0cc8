using System.Globalization;
using System.Text;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Chaos;

/// <summary>
/// Soak: failovers back and forth between two KeepSharp daemons (VRRPv3, advert_int 0.05): keep_171's link is cut (keep_172
/// takes over after its Master_Down_Interval) and restored (keep_171 preempts back), over and over. Every failover within
/// its bound; fds, threads and RSS of both daemons sampled every 10 failovers (written as CSV beside the test assembly,
/// soak-resources.csv) and flat; no error in either daemon's log. 50 failovers by default (the README's test command);
/// <c>KEEPSHARP_SOAK_FAILOVERS=1000</c> for the full soak.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SoakTests(ITestOutputHelper output)
{
    private const double AdvertInt = 0.05;

    [Fact]
    public void Failovers_back_and_forth_every_one_within_its_bound_resources_flat_logs_clean()
    {
        int failovers = int.TryParse(Environment.GetEnvironmentVariable("KEEPSHARP_SOAK_FAILOVERS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 20 ? n : 50;
        using var lab = new ChaosLab(output);
        LabHost h171 = lab.Topology.H171, h172 = lab.Topology.H172;
        // Each daemon's own control socket, so the curve also shows its managed heap (live after the last collection).
        LabDaemon d171 = lab.Start(h171, DaemonKind.KeepSharp, ChaosLab.Config("keep_171", "MASTER", 200, AdvertInt, globals: $"control_socket {ControlSocket(h171)}"));
        LabDaemon d172 = lab.Start(h172, DaemonKind.KeepSharp, ChaosLab.Config("keep_172", "BACKUP", 100, AdvertInt, globals: $"control_socket {ControlSocket(h172)}"));
        Assert.True(lab.WaitForSoleHolder(h171, TimeSpan.FromSeconds(10)), $"keep_171 should be the sole holder: {string.Join(",", lab.Holders())}");
        int pid171 = d171.Pid, pid172 = d172.Pid;

        // Cut: keep_172 notices the silence after its Master_Down_Interval. Restore: keep_171 is back from FAULT and
        // preempts after its own. Each plus 500 ms for the link, netlink, the VIP's removal and this poll.
        double cutBound = ChaosLab.MasterDownMs(AdvertInt, 100) + 500, restoreBound = ChaosLab.MasterDownMs(AdvertInt, 200) + 500;
        var csv = new StringBuilder("failover,elapsed_s,fds_171,threads_171,rss_kb_171,fds_172,threads_172,rss_kb_172,brk_heap_kb_171,brk_heap_kb_172,managed_heap_kb_171,managed_heap_kb_172,gc_committed_kb_171,gc_committed_kb_172\n");
        var rows = new List<(ChaosLab.Resources A, ChaosLab.Resources B)>();
        var heaps = new List<(long A, long B)>();
        var times = new List<double>();
        var late = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Sample(int i)
        {
            var a = ChaosLab.Measure(pid171);
            var b = ChaosLab.Measure(pid172);
            rows.Add((a, b));
            var (heap171, committed171) = ManagedHeapKb(h171);
            var (heap172, committed172) = ManagedHeapKb(h172);
            heaps.Add((heap171, heap172));
            csv.Append(CultureInfo.InvariantCulture, $"{i},{clock.Elapsed.TotalSeconds:0.0},{a.Fds},{a.Threads},{a.RssKb},{b.Fds},{b.Threads},{b.RssKb},{BrkHeapKb(pid171)},{BrkHeapKb(pid172)},{heap171},{heap172},{committed171},{committed172}\n");
        }
        Sample(0);
        for (int i = 1; i <= failovers; i++)
        {
            bool cut = i % 2 == 1;
            LabHost expected = cut ? h172 : h171;
            double bound = cut ? cutBound : restoreBound;
            var t = System.Diagnostics.Stopwatch.StartNew();
            Sh.Run("ip", "-n", lab.Topology.LanNs, "link", "set", h171.BridgePort, cut ? "down" : "up");
            bool done = lab.WaitForSoleHolder(expected, TimeSpan.FromSeconds(5), [h171, h172]);
            double ms = t.Elapsed.TotalMilliseconds;
            times.Add(ms);
            if (!done || ms > bound)
                late.Add($"#{i} ({(cut ? "cut, to keep_172" : "restore, to keep_171")}): {(done ? $"{ms:0} ms" : "not within 5 s")}, bound {bound:0} ms");
            Assert.True(late.Count <= 5, "failovers out of bound:\n" + string.Join("\n", late));
            if (i % 10 == 0) Sample(i);
        }
        if (failovers % 2 == 1)
            Sh.Run("ip", "-n", lab.Topology.LanNs, "link", "set", h171.BridgePort, "up");

        string path = Path.Combine(AppContext.BaseDirectory, "soak-resources.csv");
        File.WriteAllText(path, csv.ToString());
        lab.Timeline.Print($"soak: {failovers} failovers in {clock.Elapsed.TotalSeconds:0.0} s; resource curve in {path}:\n{csv}");
        double[] cutTimes = [.. times.Where((_, k) => k % 2 == 0)], restoreTimes = [.. times.Where((_, k) => k % 2 == 1)];
        lab.Report($"soak {failovers} failovers", "keepsharp", times.Max(), double.NaN,
            $"to keep_172 median {Median(cutTimes):0} / max {cutTimes.Max():0} ms (bound {cutBound:0}); back to keep_171 median {Median(restoreTimes):0} / max {restoreTimes.DefaultIfEmpty(0).Max():0} ms (bound {restoreBound:0})");

        Assert.Empty(late);
        Assert.Null(d171.Failure);
        Assert.Null(d172.Failure);
        // Flat: against the sample after the first 10 failovers (warm-up), nothing grows past a small margin.
        var baseline = rows[Math.Min(1, rows.Count - 1)];
        foreach (var (name, pick) in new (string, Func<(ChaosLab.Resources A, ChaosLab.Resources B), ChaosLab.Resources>)[] { ("keep_171", r => r.A), ("keep_172", r => r.B) })
        {
            var b = pick(baseline);
            var later = rows.Skip(1).Select(pick).ToList();
            Assert.True(later.Max(r => r.Fds) - b.Fds <= 4, $"{name}: fds grew from {b.Fds} to {later.Max(r => r.Fds)}");
            Assert.True(later.Max(r => r.Threads) - b.Threads <= 4, $"{name}: threads grew from {b.Threads} to {later.Max(r => r.Threads)}");
            Assert.True(later.Max(r => r.RssKb) - b.RssKb <= 4 * 1024, $"{name}: RSS grew from {b.RssKb} kB to {later.Max(r => r.RssKb)} kB");
        }
        // The managed heap as the daemon reports it (status --json): what survives collections stays within a megabyte.
        foreach (var (name, pick) in new (string, Func<(long A, long B), long>)[] { ("keep_171", h => h.A), ("keep_172", h => h.B) })
        {
            long[] heap = [.. heaps.Select(pick)];
            Assert.True(heap.All(h => h >= 0), $"{name}: the status socket did not answer every sample");
            Assert.True(heap.Skip(1).Max() - heap[Math.Min(1, heap.Length - 1)] <= 1024, $"{name}: managed heap grew: {string.Join(",", heap)} kB");
        }
        foreach (LabDaemon d in new[] { d171, d172 })
        {
            string[] bad = [.. File.ReadLines(d.LogFile).Where(l => !l.StartsWith('#') &&
                (l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.Contains("exception", StringComparison.OrdinalIgnoreCase) ||
                 l.Contains("unhandled", StringComparison.OrdinalIgnoreCase)))];
            Assert.True(bad.Length == 0, $"{d.Host.Name}'s log has errors:\n{string.Join("\n", bad.Take(10))}");
        }
    }

    private static string ControlSocket(LabHost host) => Path.Combine(host.RunDir, "keepsharp.sock");

    /// <summary>The daemon's managed heap (after its last collection) and what the GC has committed, in kB, from <c>keepsharp status --json</c>; -1 when it does not answer.</summary>
    private static (long Heap, long Committed) ManagedHeapKb(LabHost host)
    {
        var (code, stdout, _) = Daemon.KeepSharpProcess.Run(["status", "--json", "-s", ControlSocket(host)]);
        if (code != 0)
            return (-1, -1);
        using var document = System.Text.Json.JsonDocument.Parse(stdout);
        var process = document.RootElement.GetProperty("process");
        return (process.GetProperty("managed_heap_bytes").GetInt64() / 1024, process.GetProperty("managed_committed_bytes").GetInt64() / 1024);
    }

    /// <summary>RSS of the process's brk heap (glibc malloc's main arena), to tell native growth from the GC's.</summary>
    private static long BrkHeapKb(int pid)
    {
        bool inHeap = false;
        foreach (string line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            if (line.Length > 0 && char.IsAsciiHexDigit(line[0]) && line.Contains('-', StringComparison.Ordinal))
                inHeap = line.EndsWith("[heap]", StringComparison.Ordinal);
            else if (inHeap && line.StartsWith("Rss:", StringComparison.Ordinal))
                return long.Parse(line[4..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
        }
        return 0;
    }

    private static double Median(double[] values)
    {
        if (values.Length == 0) return 0;
        double[] sorted = [.. values.Order()];
        return sorted[sorted.Length / 2];
    }
}
