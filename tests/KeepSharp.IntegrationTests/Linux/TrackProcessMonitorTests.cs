using System.Diagnostics;
using KeepSharp.Config;
using KeepSharp.Daemon.Runtime.Tracking;
using KeepSharp.Vrrp.Tracking;

namespace KeepSharp.IntegrationTests.Linux;

/// <summary>
/// <see cref="TrackProcessMonitor"/> against real processes (copies of sleep with a distinctive comm, or started
/// with a distinctive argv[0] and arguments), on a real poll loop: counts, matching rules and quorum with delays.
/// </summary>
public sealed class TrackProcessMonitorTests : IDisposable
{
    private static readonly TimeSpan Scan = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly string _dir = Directory.CreateTempSubdirectory("ks-trackproc-").FullName;
    private readonly string _comm = "kstp" + Guid.NewGuid().ToString("N")[..8];
    private readonly PollerLoop _loop = new();
    private readonly List<Process> _children = [];
    private readonly List<(string Name, TrackerStatus Status, long At)> _reports = [];

    public TrackProcessMonitorTests()
    {
        File.Copy("/bin/sleep", Path.Combine(_dir, _comm));
    }

    public void Dispose()
    {
        foreach (var child in _children)
        {
            if (!child.HasExited)
            {
                child.Kill();
                child.WaitForExit();
            }
            child.Dispose();
        }
        _loop.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A sleep whose comm is this test's name.</summary>
    private Process StartNamed() => Start(Path.Combine(_dir, _comm), ["300"]);

    /// <summary>A sleep started by bash with argv[0] = <paramref name="argv0"/> and the given arguments.</summary>
    private Process StartWithArgv0(string argv0, params string[] args) =>
        Start("/bin/bash", ["-c", $"exec -a {argv0} /bin/sleep \"$@\"", "bash", .. args]);

    private Process Start(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (string a in args)
            info.ArgumentList.Add(a);
        var p = Process.Start(info)!;
        _children.Add(p);
        return p;
    }

    private static void Stop(Process p)
    {
        p.Kill();
        p.WaitForExit();
    }

    private TrackProcessMonitor Monitor(params VrrpTrackProcess[] processes) =>
        new(processes, _loop, (name, status) => _reports.Add((name, status, _loop.Time.GetTimestamp())), Scan);

    private static VrrpTrackProcess Tracker(string name, string process) => new(name, new ConfigLocation("test.conf", 1)) { Process = process };

    private bool WaitFor(Func<bool> condition) => _loop.RunUntil(condition, Bound);

    [Fact]
    public void Comm_matches_count_and_quorum_changes_wait_for_their_delays()
    {
        var tracker = Tracker("tp", _comm);
        tracker.Quorum = 2;
        tracker.ForkDelay = TimeSpan.FromMilliseconds(600);
        tracker.TerminateDelay = TimeSpan.FromMilliseconds(600);
        var first = StartNamed();
        Assert.True(SpinUntilCount(1), "the first sleep copy did not show up in /proc");
        using var monitor = Monitor(tracker);
        monitor.Start();
        Assert.Equal([("tp", TrackerStatus.Down)], _reports.Select(r => (r.Name, r.Status)));
        Assert.Equal(1, monitor.Quorums["tp"].Count);

        long started = _loop.Time.GetTimestamp();
        var second = StartNamed();
        Assert.True(WaitFor(() => monitor.Quorums["tp"].Count == 2), "the second copy was not counted");
        Assert.True(WaitFor(() => _reports[^1].Status == TrackerStatus.Up), "quorum 2 was not gained");
        TimeSpan gained = _loop.Time.GetElapsedTime(started, _reports[^1].At);
        Assert.True(gained >= tracker.ForkDelay, $"quorum was gained {gained.TotalMilliseconds} ms after the fork, before fork_delay 600 ms");

        long killed = _loop.Time.GetTimestamp();
        Stop(second);
        Assert.True(WaitFor(() => _reports[^1].Status == TrackerStatus.Down), "quorum was not lost after a copy ended");
        TimeSpan lost = _loop.Time.GetElapsedTime(killed, _reports[^1].At);
        Assert.True(lost >= tracker.TerminateDelay, $"quorum was lost {lost.TotalMilliseconds} ms after the exit, before terminate_delay 600 ms");
        Assert.Equal(3, _reports.Count);
        GC.KeepAlive(first);
    }

    [Fact]
    public void A_copy_that_comes_back_within_terminate_delay_keeps_the_quorum()
    {
        var tracker = Tracker("tp", _comm);
        tracker.TerminateDelay = TimeSpan.FromSeconds(2);
        var first = StartNamed();
        Assert.True(SpinUntilCount(1), "the sleep copy did not show up in /proc");
        using var monitor = Monitor(tracker);
        monitor.Start();
        Assert.Equal(TrackerStatus.Up, _reports.Single().Status);

        Stop(first);
        Assert.True(WaitFor(() => monitor.Quorums["tp"].Count == 0), "the ended copy was still counted");
        StartNamed();
        Assert.True(WaitFor(() => monitor.Quorums["tp"].Count == 1), "the new copy was not counted");
        _loop.RunFor(TimeSpan.FromSeconds(2.5));
        Assert.Single(_reports); // the loss was cancelled: no Down, no second Up
    }

    [Fact]
    public void Full_command_and_param_match_rules_pick_the_right_processes()
    {
        string argv0 = "/opt/ks-" + Guid.NewGuid().ToString("N")[..8] + "/daemon";
        // sleep sums its arguments, so they can differ while all three sleep long enough.
        StartWithArgv0(argv0, "300", "1", "2");
        StartWithArgv0(argv0, "300", "10", "3");
        StartWithArgv0(argv0, "301");

        var any = Tracker("any", argv0);
        any.FullCommand = true;
        var exact = Tracker("exact", argv0);
        exact.Parameters = ["301"];
        exact.ParamMatch = ProcessParamMatch.Exact;
        exact.FullCommand = true;
        var partial = Tracker("partial", argv0);
        partial.Parameters = ["300", "1"];
        partial.ParamMatch = ProcessParamMatch.Partial;
        partial.FullCommand = true;
        var initial = Tracker("initial", argv0);
        initial.Parameters = ["300", "1"]; // the last one may be a prefix: "1" and "10"
        initial.ParamMatch = ProcessParamMatch.Initial;
        initial.FullCommand = true;
        var byComm = Tracker("comm", argv0); // not full_command: compared with comm ("sleep"), never argv[0]

        Assert.True(WaitFor(() => CountArgv0(argv0) == 3), "the three sleeps did not show up in /proc");
        using var monitor = Monitor(any, exact, partial, initial, byComm);
        monitor.Start();
        var counts = monitor.Quorums.ToDictionary(q => q.Key, q => q.Value.Count);
        Assert.Equal(3, counts["any"]);
        Assert.Equal(1, counts["exact"]);
        Assert.Equal(1, counts["partial"]);
        Assert.Equal(2, counts["initial"]);
        Assert.Equal(0, counts["comm"]);
    }

    private bool SpinUntilCount(int count) =>
        SpinWait.SpinUntil(() => KeepSharp.Linux.Processes.ProcessTable.Scan(false).Count(p => p.Comm == _comm) == count, Bound);

    private static int CountArgv0(string argv0) =>
        KeepSharp.Linux.Processes.ProcessTable.Scan(true).Count(p => p.CommandLine.AsSpan().StartsWith(System.Text.Encoding.UTF8.GetBytes(argv0 + "\0")));
}
