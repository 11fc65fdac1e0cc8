using KeepSharp.Config;
using KeepSharp.Daemon.Runtime.Loop;
using KeepSharp.Linux.Processes;
using KeepSharp.Vrrp.Tracking;

namespace KeepSharp.Daemon.Runtime.Tracking;

/// <summary>
/// Counts the processes of each <c>vrrp_track_process</c> (<see cref="ProcessMatch"/>) and keeps its quorum
/// (<see cref="ProcessQuorumTracker"/>, with fork and terminate delays on the loop's timers).
/// <para>
/// Source of the counts: a scan of /proc at <see cref="Start"/> (keepalived's <c>read_procs</c>) and again every
/// <see cref="ScanInterval"/> (default <see cref="DefaultScanInterval"/>). keepalived follows forks, execs and exits
/// through the netlink proc connector and reacts within milliseconds; here a change is seen within one interval,
/// which adds up to that interval to the configured delays. The matching and quorum rules do not depend on the
/// source: a proc-connector listener can call <see cref="Rescan"/> (or feed counts) when it lands.
/// </para>
/// </summary>
internal sealed class TrackProcessMonitor : IDisposable
{
    public static readonly TimeSpan DefaultScanInterval = TimeSpan.FromSeconds(1);

    private readonly ILoopServices _loop;
    private readonly Action<string, TrackerStatus> _onStatus;
    private readonly Func<bool, IReadOnlyList<ProcessEntry>> _scan;
    private readonly List<Tracked> _tracked;
    private readonly bool _needsCommandLine;
    private IDisposable? _rescanTimer;
    private bool _disposed;

    /// <param name="processes">The tracked processes some instance or sync group tracks.</param>
    /// <param name="onStatus">Called on the loop with the tracker's name and quorum: once per tracker at <see cref="Start"/>, then on each change.</param>
    /// <param name="scanInterval">How often /proc is read again.</param>
    /// <param name="scan">The /proc reader (argument: read command lines); <see cref="ProcessTable.Scan"/> unless a test gives another.</param>
    public TrackProcessMonitor(IEnumerable<VrrpTrackProcess> processes, ILoopServices loop, Action<string, TrackerStatus> onStatus,
        TimeSpan? scanInterval = null, Func<bool, IReadOnlyList<ProcessEntry>>? scan = null)
    {
        _loop = loop;
        _onStatus = onStatus;
        _scan = scan ?? (full => ProcessTable.Scan(full));
        ScanInterval = scanInterval ?? DefaultScanInterval;
        _tracked = [.. processes.Select(p => new Tracked(new ProcessMatch(p)))];
        _needsCommandLine = _tracked.Any(t => t.Match.NeedsCommandLine);
    }

    public TimeSpan ScanInterval { get; }

    /// <summary>The quorum tracker of each process tracker, by name (after <see cref="Start"/>).</summary>
    public IReadOnlyDictionary<string, ProcessQuorumTracker> Quorums => _tracked.ToDictionary(t => t.Match.Process.Name, t => t.Quorum!);

    /// <summary>First scan: quorum at start takes no delay (initialise_process_tracking_priorities).</summary>
    public void Start()
    {
        var counts = Count();
        for (int i = 0; i < _tracked.Count; i++)
        {
            VrrpTrackProcess p = _tracked[i].Match.Process;
            _tracked[i].Quorum = new ProcessQuorumTracker(p.Quorum, (int)Math.Min(p.QuorumMaximum, int.MaxValue),
                p.ForkDelay, p.TerminateDelay, counts[i], _loop.Time);
            _onStatus(p.Name, _tracked[i].Quorum!.Status);
        }
        ScheduleRescan();
    }

    /// <summary>Reads /proc now and passes on any quorum change.</summary>
    public void Rescan()
    {
        var counts = Count();
        for (int i = 0; i < _tracked.Count; i++)
        {
            Tracked t = _tracked[i];
            if (t.Quorum!.UpdateCount(counts[i]))
                _onStatus(t.Match.Process.Name, t.Quorum.Status);
            ArmDelay(t);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _rescanTimer?.Dispose();
        foreach (Tracked t in _tracked)
            t.Timer?.Dispose();
    }

    private int[] Count()
    {
        var counts = new int[_tracked.Count];
        foreach (ProcessEntry entry in _scan(_needsCommandLine))
        {
            for (int i = 0; i < _tracked.Count; i++)
            {
                if (_tracked[i].Match.Matches(entry.Comm, entry.CommandLine, entry.Zombie))
                    counts[i]++;
            }
        }
        return counts;
    }

    private void ScheduleRescan()
    {
        if (_disposed)
            return;
        long due = _loop.Time.GetTimestamp() + (long)(ScanInterval.TotalSeconds * _loop.Time.TimestampFrequency);
        _rescanTimer = _loop.ScheduleAt(due, () =>
        {
            Rescan();
            ScheduleRescan();
        });
    }

    /// <summary>Keeps one loop timer at the tracker's pending deadline (none when nothing waits).</summary>
    private void ArmDelay(Tracked t)
    {
        long deadline = t.Quorum!.NextDeadline;
        if (deadline == t.TimerDue)
            return;
        t.Timer?.Dispose();
        t.Timer = null;
        t.TimerDue = deadline;
        if (deadline == ProcessQuorumTracker.Never)
            return;
        t.Timer = _loop.ScheduleAt(deadline, () =>
        {
            t.Timer = null;
            t.TimerDue = ProcessQuorumTracker.Never;
            if (t.Quorum.OnTimer())
                _onStatus(t.Match.Process.Name, t.Quorum.Status);
            ArmDelay(t);
        });
    }

    private sealed class Tracked(ProcessMatch match)
    {
        public ProcessMatch Match { get; } = match;

        public ProcessQuorumTracker? Quorum { get; set; }

        public IDisposable? Timer { get; set; }

        public long TimerDue { get; set; } = ProcessQuorumTracker.Never;
    }
}
