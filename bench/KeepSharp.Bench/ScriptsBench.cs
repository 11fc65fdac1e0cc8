using System.Globalization;
using System.Text;
using KeepSharp.Lab;

namespace KeepSharp.Bench;

/// <summary>
/// Scenario 5: N (default 100) vrrp_scripts at interval 1 s (`exit 0`, timeout 1, weight -1) tracked by one master
/// instance: over a window, the CPU share of the daemon's own processes and of its children (the scripts, reaped: cutime).
/// </summary>
public static class ScriptsBench
{
    public static List<ScriptsRow> Run(BenchOptions o, Timeline tl, Action<string> progress, CancellationToken ct)
    {
        var rows = new List<ScriptsRow>();
        foreach (var kind in o.Daemons)
        {
            ct.ThrowIfCancellationRequested();
            using var lab = LabTopology.Create(tl);
            lab.KeepWorkDir = o.KeepLogs;
            LabHost h = lab.H171;
            string script = Path.Combine(h.RunDir, "ok.sh");
            File.WriteAllText(script, "#!/bin/sh\nexit 0\n");
            File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
            var prefix = new StringBuilder();
            var track = new StringBuilder("    track_script {\n");
            for (int i = 0; i < o.ScriptsCount; i++)
            {
                prefix.Append(CultureInfo.InvariantCulture, $"vrrp_script chk{i} {{\n    script \"{script}\"\n    interval 1\n    timeout 1\n    weight -1\n}}\n");
                track.Append(CultureInfo.InvariantCulture, $"        chk{i}\n");
            }
            track.Append("    }");
            using var d = Bench.Daemon(kind, h, Bench.OneInstance(h, "MASTER", 150, ["10.51.0.161/24"], prefix.ToString(), track.ToString()), o, tl);
            d.Start();
            if (ct.WaitHandle.WaitOne(TimeSpan.FromSeconds(4))) ct.ThrowIfCancellationRequested();
            var s0 = ProcessStats.Sample(d.Pid, tl.NowMs);
            if (ct.WaitHandle.WaitOne(TimeSpan.FromSeconds(o.ScriptsWindowS))) ct.ThrowIfCancellationRequested();
            var s1 = ProcessStats.Sample(d.Pid, tl.NowMs);
            if (d.Failure is { } f) throw new LabException(f);
            double self = ProcessStats.CpuPercent(s0, s1), all = ProcessStats.CpuPercentAll(s0, s1);
            var row = new ScriptsRow(Bench.Name(kind), o.ScriptsCount, 1, Math.Round((s1.AtMs - s0.AtMs) / 1000, 1),
                Math.Round(self, 2), Math.Round(all - self, 2), Math.Round(all, 2));
            rows.Add(row);
            progress($"scripts {o.ScriptsCount} × 1 s {row.Daemon}: daemon {row.CpuDaemon:0.0} %, children {row.CpuChildren:0.0} %, " +
                     $"total {row.CpuTotal:0.0} % of a core over {row.WindowS:0} s");
        }
        return rows;
    }
}
