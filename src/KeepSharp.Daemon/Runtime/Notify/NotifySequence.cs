using KeepSharp.Daemon.Logging;
using KeepSharp.Daemon.Runtime.Loop;

namespace KeepSharp.Daemon.Runtime.Notify;

/// <summary>
/// The notify scripts of one instance or group, run one at a time in transition order: a run starts only when the
/// previous one has exited (or was killed at its timeout). Each notification is a batch (the state's own script,
/// then the generic <c>notify</c>, keepalived's order of starting them). The queue holds at most
/// <see cref="Capacity"/> batches waiting: when a flapping instance overflows it, the oldest waiting batch is dropped,
/// so the newest state (what a script must end up acting on) is always delivered and memory stays bounded; drops are
/// counted and logged once when the queue drains. keepalived itself starts every notify at once, unordered.
/// </summary>
internal sealed class NotifySequence(string owner, ILoopServices loop, Log log, int capacity)
{
    private readonly Queue<NotifyRun[]> _waiting = new();
    private NotifyRun[]? _batch;
    private int _next;
    private IScriptRun? _running;
    private long _dropped;

    public const int DefaultCapacity = 16;

    public int Capacity { get; } = capacity;

    /// <summary>Nothing running and nothing waiting.</summary>
    public bool IsIdle => _running is null && _batch is null && _waiting.Count == 0;

    /// <summary>Batches dropped so far because the queue was full.</summary>
    public long Dropped => _dropped;

    /// <summary>Runs once each time the sequence becomes idle (shutdown waits on it).</summary>
    public Action? Idle { get; set; }

    public void Enqueue(NotifyRun[] batch)
    {
        if (batch.Length == 0)
        {
            return;
        }

        if (_waiting.Count >= Capacity)
        {
            _waiting.Dequeue();
            if (_dropped++ == 0)
            {
                log.Warning($"{owner} notify scripts are falling behind: dropping the oldest waiting notifications");
            }
        }

        _waiting.Enqueue(batch);
        if (_running is null && _batch is null)
        {
            Advance();
        }
    }

    /// <summary>Drops what waits and ends the running script (shutdown past its deadline).</summary>
    public void Abandon()
    {
        int abandoned = _waiting.Count + (_batch is null ? 0 : _batch.Length - _next);
        _waiting.Clear();
        _batch = null;
        if (abandoned > 0)
        {
            log.Warning($"{owner} {abandoned} notify script(s) not run at shutdown");
        }

        _running?.Terminate();
    }

    private void Advance()
    {
        while (true)
        {
            if (_batch is null || _next >= _batch.Length)
            {
                if (!_waiting.TryDequeue(out _batch))
                {
                    _batch = null;
                    if (_dropped > 0)
                    {
                        log.Warning($"{owner} {_dropped} notification(s) were dropped while notify scripts were slow");
                        _dropped = 0;
                    }

                    Idle?.Invoke();
                    return;
                }

                _next = 0;
            }

            NotifyRun run = _batch[_next++];
            var request = new ScriptRunRequest(run.Script.Keyword, run.Script.StartInfo(run.ExtraArguments), run.Timeout);
            IScriptRun? started = loop.RunScript(request, result => OnExit(run, result));
            if (started is not null)
            {
                _running = started;
                return;
            }

            // Not started (the loop logged why): keep the order and go on with the next one.
        }
    }

    private void OnExit(NotifyRun run, ScriptRunResult result)
    {
        _running = null;
        if (result.Status.TimedOut)
        {
            log.Warning($"{owner} {run.Script.Keyword} script {run.Script.Command.Program} timed out after {run.Timeout.TotalSeconds:0.###}s and was killed");
        }

        Advance();
    }
}
