namespace KeepSharp.Vrrp.Tracking;

/// <summary>
/// The quorum of one <c>vrrp_track_process</c> (keepalived's track_process.c): it has quorum while the
/// number of matching processes is within <c>quorum</c>..<c>quorum_max</c>. A change of quorum can wait:
/// gaining it waits <c>fork_delay</c>, losing it <c>terminate_delay</c> (<c>delay</c> sets both); if the count
/// crosses back before the delay ends, the pending change is cancelled (<c>check_process_fork</c>,
/// <c>check_process_termination</c>); when it ends, quorum is recomputed from the count then
/// (<c>process_gained_quorum_timer_thread</c>, <c>process_lost_quorum_timer_thread</c>).
/// Time comes from the injected <see cref="TimeProvider"/>; the daemon calls <see cref="OnTimer"/> once
/// <see cref="NextDeadline"/> has passed, and on every change passes <see cref="Status"/> to the instances.
/// </summary>
public sealed class ProcessQuorumTracker
{
    public const long Never = long.MaxValue;

    private readonly TimeProvider _time;
    private long _deadline = Never;

    public ProcessQuorumTracker(int quorum, int quorumMaximum, TimeSpan forkDelay, TimeSpan terminateDelay, int initialCount, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quorumMaximum, quorum);
        Quorum = quorum;
        QuorumMaximum = quorumMaximum;
        ForkDelay = forkDelay;
        TerminateDelay = terminateDelay;
        _time = time;
        Count = initialCount;
        HasQuorum = InQuorum(initialCount); // initialise_process_tracking_priorities: no delay at start
    }

    public int Quorum { get; }

    public int QuorumMaximum { get; }

    public TimeSpan ForkDelay { get; }

    public TimeSpan TerminateDelay { get; }

    /// <summary>The number of matching processes last reported.</summary>
    public int Count { get; private set; }

    public bool HasQuorum { get; private set; }

    public TrackerStatus Status => HasQuorum ? TrackerStatus.Up : TrackerStatus.Down;

    /// <summary>When a delayed change is due, in the <see cref="TimeProvider"/>'s timestamps; <see cref="Never"/> if none.</summary>
    public long NextDeadline => _deadline;

    /// <summary>The number of matching processes changed.</summary>
    /// <returns>True when <see cref="HasQuorum"/> changed now.</returns>
    public bool UpdateCount(int count)
    {
        bool wasIn = InQuorum(Count);
        Count = count;
        bool isIn = InQuorum(count);
        if (wasIn == isIn)
            return false;
        if (_deadline != Never)
        {
            // Crossing back while the other change waits: keepalived cancels the timer; the status never moved.
            _deadline = Never;
            return false;
        }
        TimeSpan delay = isIn ? ForkDelay : TerminateDelay;
        if (delay > TimeSpan.Zero)
        {
            _deadline = _time.GetTimestamp() + (long)(delay.Ticks * (double)_time.TimestampFrequency / TimeSpan.TicksPerSecond);
            return false;
        }
        return SetQuorum(isIn);
    }

    /// <summary>Runs a delayed change whose deadline has passed.</summary>
    /// <returns>True when <see cref="HasQuorum"/> changed.</returns>
    public bool OnTimer()
    {
        if (_deadline > _time.GetTimestamp())
            return false;
        _deadline = Never;
        return SetQuorum(InQuorum(Count));
    }

    private bool SetQuorum(bool value)
    {
        bool changed = HasQuorum != value;
        HasQuorum = value;
        return changed;
    }

    private bool InQuorum(int count) => count >= Quorum && count <= QuorumMaximum;
}
