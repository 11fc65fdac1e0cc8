using System.Globalization;
using KeepSharp.IntegrationTests.HealthChecks;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Chaos;

/// <summary>
/// Tracked scripts that misbehave, all at once on the master: one leaves a child running for an hour (holding the
/// script's stdout), one floods stdout until its timeout, one ignores SIGTERM and runs for ever past its timeout. Over
/// 20 s the daemon's fds, threads, RSS, zombies and children stay flat, and its adverts keep their cadence (the backup
/// never takes over).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HostileScriptTests(ITestOutputHelper output)
{
    private const double AdvertInt = 0.1;

    [Fact]
    public void Scripts_that_fork_flood_and_hang_leave_fds_threads_RSS_and_zombies_flat_and_adverts_on_time()
    {
        using var lab = new ChaosLab(output);
        LabHost master = lab.Topology.H171, backup = lab.Topology.H172;
        string forker = TrackingLab.Script(master, "forker.sh", "sleep 3600 &\nexit 0");
        string flooder = TrackingLab.Script(master, "flooder.sh", "while :; do echo flood flood flood flood flood flood flood flood flood flood; done");
        string hanger = TrackingLab.Script(master, "hanger.sh", "trap '' TERM INT HUP\nwhile :; do sleep 0.2; done");
        string prefix = string.Join("\n",
            TrackingLab.VrrpScript("forker", forker, "interval 1\n timeout 1\n weight -10"),
            TrackingLab.VrrpScript("flooder", flooder, "interval 1\n timeout 1\n weight -10"),
            TrackingLab.VrrpScript("hanger", hanger, "interval 1\n timeout 1\n weight -10"));
        const string track = "track_script {\n forker\n flooder\n hanger\n }";
        LabDaemon daemon = lab.Start(master, DaemonKind.KeepSharp, ChaosLab.Config("keep_171", "MASTER", 200, AdvertInt, prefix, track));
        lab.Start(backup, DaemonKind.KeepSharp, ChaosLab.Config("keep_172", "BACKUP", 100, AdvertInt));
        lab.StartWatching();
        Assert.True(lab.WaitForSoleHolder(master, TimeSpan.FromSeconds(10)), $"keep_171 should be the sole holder: {string.Join(",", lab.Holders())}");
        // Warm-up: every script has run and timed out many times and the heap has reached its working size (RSS grows
        // for the first ~20 s, then stays within a few hundred kB over a 70 s watch).
        Thread.Sleep(20_000);

        int pid = daemon.Pid;
        double t0 = lab.Timeline.NowMs;
        var samples = new List<ChaosLab.Resources>();
        // KEEPSHARP_CHAOS_SCRIPT_SECONDS: a longer watch (default 20 s).
        int seconds = int.TryParse(Environment.GetEnvironmentVariable("KEEPSHARP_CHAOS_SCRIPT_SECONDS"), out int n) && n > 0 ? n : 20;
        for (int i = 0; i <= seconds; i++)
        {
            samples.Add(ChaosLab.Measure(pid));
            if (i < seconds) Thread.Sleep(1000);
        }
        double t1 = lab.Timeline.NowMs;
        foreach (var (s, i) in samples.Select((s, i) => (s, i)))
            lab.Timeline.Print(string.Create(CultureInfo.InvariantCulture, $"  t+{i,2} s: fds {s.Fds}, threads {s.Threads}, RSS {s.RssKb / 1024.0:0.0} MB, zombies {s.Zombies}, children {s.Children}"));

        var mine = lab.Adverts!.Snapshot().Where(a => a.AtMs >= t0 && a.AtMs <= t1 && a.Source.ToString() == master.Address).Select(a => a.AtMs).ToList();
        double maxSpacing = mine.Zip(mine.Skip(1), (a, b) => b - a).DefaultIfEmpty(double.PositiveInfinity).Max();
        double dual = lab.DualHoldingMs(t0, t1);
        int sleepers = TrackingLab.ProcessesMatching("sleep 3600");
        ChaosLab.Resources first = samples[0];
        int fdGrowth = samples.Max(s => s.Fds) - first.Fds, threadGrowth = samples.Max(s => s.Threads) - first.Threads;
        double rssGrowthMb = (samples.Max(s => s.RssKb) - first.RssKb) / 1024.0;
        lab.Report($"tracked scripts fork/flood/hang {seconds} s", "keepsharp", lab.Probe!.LongestGap(t0, t1), dual,
            $"adverts {mine.Count}, max spacing {maxSpacing:0} ms; fds +{fdGrowth}, threads +{threadGrowth}, RSS +{rssGrowthMb:0.0} MB, zombies max {samples.Max(s => s.Zombies)}, children max {samples.Max(s => s.Children)}; 'sleep 3600' left in the host: {sleepers}");

        Assert.Null(daemon.Failure);
        Assert.True(fdGrowth <= 6, $"fds grew by {fdGrowth}");
        Assert.True(threadGrowth <= 4, $"threads grew by {threadGrowth}");
        Assert.True(rssGrowthMb <= 4, $"RSS grew by {rssGrowthMb:0.0} MB");
        Assert.True(samples.Max(s => s.Zombies) <= 2, $"up to {samples.Max(s => s.Zombies)} zombie children");
        Assert.True(samples.Max(s => s.Children) <= 6, $"up to {samples.Max(s => s.Children)} children (scripts not killed?)");
        Assert.True(mine.Count >= 0.8 * (t1 - t0) / (AdvertInt * 1000), $"only {mine.Count} adverts in {(t1 - t0) / 1000:0.0} s");
        // On time: never late enough for the backup to take over (its Master_Down_Interval, 361 ms; the watcher's own
        // thread, in this busy test process, adds jitter to the spacing it sees).
        Assert.True(maxSpacing <= 361, $"an advert came {maxSpacing:0} ms after the previous one (advert_int {AdvertInt * 1000} ms)");
        Assert.Equal(0, dual);
    }

    /// <summary>
    /// A script writing as fast as it can (<c>yes</c>): the event loop drains the pipe until EAGAIN on each wake-up, so a
    /// writer that kept the pipe from ever emptying would stall adverts and timers (the script's own timeout among them).
    /// It does not: adverts keep their cadence and the script is killed at its timeout.
    /// </summary>
    [Fact]
    public void A_script_writing_faster_than_the_daemon_reads_does_not_stall_the_event_loop()
    {
        using var lab = new ChaosLab(output);
        LabHost master = lab.Topology.H171, backup = lab.Topology.H172;
        string yes = TrackingLab.Script(master, "yes.sh", "exec yes flood-flood-flood-flood-flood-flood-flood-flood-flood-flood-flood");
        string prefix = TrackingLab.VrrpScript("yes_flood", yes, "interval 2\n timeout 1\n weight -10");
        LabDaemon daemon = lab.Start(master, DaemonKind.KeepSharp, ChaosLab.Config("keep_171", "MASTER", 200, AdvertInt, prefix, "track_script {\n yes_flood\n }"));
        lab.Start(backup, DaemonKind.KeepSharp, ChaosLab.Config("keep_172", "BACKUP", 100, AdvertInt));
        lab.StartWatching();
        Assert.True(lab.WaitForSoleHolder(master, TimeSpan.FromSeconds(10)), $"keep_171 should be the sole holder: {string.Join(",", lab.Holders())}");
        double t0 = lab.Timeline.NowMs;
        Thread.Sleep(8000);
        double t1 = lab.Timeline.NowMs;
        var mine = lab.Adverts!.Snapshot().Where(a => a.AtMs >= t0 && a.AtMs <= t1 && a.Source.ToString() == master.Address).Select(a => a.AtMs).ToList();
        double maxSpacing = mine.Zip(mine.Skip(1), (a, b) => b - a).DefaultIfEmpty(double.PositiveInfinity).Max();
        int runningYes = TrackingLab.ProcessesMatching("flood-flood-flood");
        double dual = lab.DualHoldingMs(t0, t1);
        lab.Report("script floods stdout with yes 8 s", "keepsharp", lab.Probe!.LongestGap(t0, t1), dual,
            $"adverts {mine.Count}, max spacing {maxSpacing:0} ms (bound 250); yes processes left {runningYes}");
        Assert.Null(daemon.Failure);
        Assert.True(maxSpacing <= 250, $"an advert came {maxSpacing:0} ms after the previous one (advert_int {AdvertInt * 1000} ms)");
        Assert.Equal(0, dual);
        Assert.True(DaemonLab_WaitFor(() => TrackingLab.ProcessesMatching("flood-flood-flood") == 0, 1500), "the flooding script should be killed at its timeout");
    }

    private static bool DaemonLab_WaitFor(Func<bool> condition, int ms) => KeepSharp.IntegrationTests.Daemon.DaemonLab.WaitFor(condition, TimeSpan.FromMilliseconds(ms));
}
