namespace KeepSharp.Daemon.Runtime.Loop;

/// <summary>
/// The loop's one-shot timers (besides the routers' own deadlines, which stay on the routers): a binary heap
/// ordered by due time, then by scheduling order. A cancelled timer is only marked; it leaves the heap when it
/// reaches the top, and the heap is rebuilt when more than half of it is cancelled, so cancelling costs
/// O(1) and cancelled timers never run nor pile up. Loop thread only.
/// </summary>
internal sealed class LoopTimers
{
    private readonly PriorityQueue<LoopTimer, (long Due, long Sequence)> _heap = new();
    private long _sequence;
    private int _cancelled;

    /// <summary>Timers scheduled and neither run nor cancelled.</summary>
    public int Count => _heap.Count - _cancelled;

    /// <summary>The due time of the earliest live timer; <see cref="long.MaxValue"/> when there is none.</summary>
    public long NextDue
    {
        get
        {
            DropCancelledTop();
            return _heap.TryPeek(out _, out (long Due, long Sequence) key) ? key.Due : long.MaxValue;
        }
    }

    public LoopTimer Schedule(long due, Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new LoopTimer(this, due, callback, ++_sequence);
        _heap.Enqueue(timer, (due, timer.Sequence));
        return timer;
    }

    /// <summary>
    /// Runs every live timer due at <paramref name="now"/> that was scheduled before this call, in due order.
    /// A timer a callback schedules for "now" waits for the next pass, so callbacks cannot starve the loop.
    /// </summary>
    public void RunDue(long now)
    {
        long limit = _sequence;
        while (_heap.TryPeek(out LoopTimer? timer, out (long Due, long Sequence) key) && key.Due <= now && key.Sequence <= limit)
        {
            _heap.Dequeue();
            if (timer.IsCancelled)
            {
                _cancelled--;
                continue;
            }
            timer.MarkRun();
            timer.Callback();
        }
    }

    internal void Cancel(LoopTimer timer)
    {
        _cancelled++;
        if (_cancelled > 32 && _cancelled > _heap.Count / 2)
            Compact();
    }

    private void DropCancelledTop()
    {
        while (_heap.TryPeek(out LoopTimer? timer, out _) && timer.IsCancelled)
        {
            _heap.Dequeue();
            _cancelled--;
        }
    }

    private void Compact()
    {
        var live = new List<(LoopTimer, (long, long))>(_heap.Count - _cancelled);
        foreach ((LoopTimer timer, (long Due, long Sequence) key) in _heap.UnorderedItems)
        {
            if (!timer.IsCancelled)
                live.Add((timer, key));
        }
        _heap.Clear();
        _heap.EnqueueRange(live);
        _cancelled = 0;
    }
}

/// <summary>One scheduled callback; <see cref="Dispose"/> cancels it (a no-op once it has run).</summary>
internal sealed class LoopTimer : IDisposable
{
    private readonly LoopTimers _owner;
    private bool _done;

    internal LoopTimer(LoopTimers owner, long due, Action callback, long sequence)
    {
        _owner = owner;
        Due = due;
        Callback = callback;
        Sequence = sequence;
    }

    public long Due { get; }

    internal Action Callback { get; }

    internal long Sequence { get; }

    internal bool IsCancelled { get; private set; }

    internal void MarkRun() => _done = true;

    public void Dispose()
    {
        if (_done || IsCancelled)
            return;
        IsCancelled = true;
        _owner.Cancel(this);
    }
}
