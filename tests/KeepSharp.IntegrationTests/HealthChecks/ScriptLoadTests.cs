using System.Globalization;
using System.Net;
using KeepSharp.IntegrationTests.Daemon;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.HealthChecks;

/// <summary>
/// 100 tracked scripts at interval 1 s, one of them hanging past its timeout: the master's adverts keep their
/// 1 s interval within ±5 ms on the wire. The CPU share of the daemon (with its scripts) is reported beside
/// keepalived's with the same configuration.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ScriptLoadTests(ITestOutputHelper output)
{
    private const int Scripts = 100;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(DaemonKind.KeepSharp)]
    [InlineData(DaemonKind.Keepalived)]
    public void Adverts_keep_their_interval_with_100_scripts_and_one_hanging(DaemonKind kind)
    {
        using var lab = new DaemonLab(output);
        LabTopology topology = lab.Topology;
        LabHost master = topology.H171;
        string ok = TrackingLab.Script(master, "ok.sh", "exit 0");
        string hang = TrackingLab.Script(master, "hang.sh", "exec sleep 30");
        var prefix = new System.Text.StringBuilder();
        var track = new System.Text.StringBuilder("track_script {\n");
        for (int i = 0; i < Scripts; i++)
        {
            prefix.AppendLine(TrackingLab.VrrpScript($"chk{i}", i == 0 ? hang : ok, "interval 1\n    timeout 1\n    weight -1"));
            track.AppendLine(CultureInfo.InvariantCulture, $"        chk{i}");
        }
        track.Append("    }");
        string config = TrackingLab.Config("keep_171", "MASTER", 150, prefix.ToString(), track.ToString());
        using var adverts = new AdvertWatcher(topology.ClientNs, topology.ClientAddress, lab.Timeline, a => a.ToString());
        adverts.Start();
        LabDaemon d;
        if (kind == DaemonKind.KeepSharp)
        {
            d = lab.StartKeepSharp(master, config);
        }
        else
        {
            d = LabDaemon.Create(DaemonKind.Keepalived, master, lab.WriteConfig(master, config), lab.Binary, lab.Timeline);
            lab.Track(d);
            d.Start();
        }
        Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(master), TimeSpan.FromSeconds(8)), lab.Log(d));
        Thread.Sleep(3000);

        double from = lab.Timeline.NowMs;
        (long self0, long all0) = ProcessStats.CpuTicks(d.Pid);
        Thread.Sleep(Window);
        (long self1, long all1) = ProcessStats.CpuTicks(d.Pid);
        double to = lab.Timeline.NowMs;

        IPAddress source = IPAddress.Parse(master.Address);
        double[] times = [.. adverts.Snapshot().Where(a => a.Source.Equals(source) && a.AtMs >= from && a.AtMs <= to).Select(a => a.AtMs)];
        double[] deviation = [.. times.Zip(times.Skip(1), (a, b) => Math.Abs(b - a - 1000)).Order()];
        Assert.True(deviation.Length >= 15, $"only {times.Length} adverts in {Window.TotalSeconds} s");
        double hz = ProcessStats.TicksPerSecond;
        double seconds = (to - from) / 1000;
        string report = string.Create(CultureInfo.InvariantCulture,
            $"{d.KindName}: advert interval deviation p50 {Percentile(deviation, 0.5):0.00} ms, p99 {Percentile(deviation, 0.99):0.00} ms, max {deviation[^1]:0.00} ms over {deviation.Length} intervals; CPU daemon {100 * (self1 - self0) / hz / seconds:0.0}%, daemon+scripts {100 * (all1 - all0) / hz / seconds:0.0}% of one core");
        output.WriteLine(report);
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "keepsharp-script-load.txt"), report + "\n");
        if (kind == DaemonKind.KeepSharp)
            Assert.True(deviation[^1] <= 5, report);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
