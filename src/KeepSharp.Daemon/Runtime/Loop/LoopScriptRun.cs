using KeepSharp.Daemon.Logging;
using KeepSharp.Linux.Processes;

namespace KeepSharp.Daemon.Runtime.Loop;

/// <summary>
/// One script started by <see cref="ScriptRuns"/>, driven by the loop: its pidfd is watched (readable once the
/// child has exited, then reaped with waitid on that pidfd only), its output pipe is watched and logged line
/// by line as "NAME: line", and a timer enforces its timeout through <see cref="ScriptProcess.OnTimeout"/>
/// (SIGTERM to its group, SIGKILL 2 s later, then every 10 s). Nothing here blocks.
/// </summary>
internal sealed class LoopScriptRun : IScriptRun
{
    private readonly ScriptRuns _owner;
    private readonly ScriptProcess _process;
    private readonly Action<ScriptRunResult> _onExit;
    private readonly long _started;
    private ReadableWatch? _exitWatch;
    private ReadableWatch? _outputWatch;
    private LoopTimer? _timer;
    private bool _timeoutFired;

    internal LoopScriptRun(ScriptRuns owner, ScriptRunRequest request, ScriptProcess process, Action<ScriptRunResult> onExit, long started)
    {
        _owner = owner;
        Request = request;
        _process = process;
        _onExit = onExit;
        _started = started;
    }

    public ScriptRunRequest Request { get; }

    public int Pid => _process.Pid;

    public bool HasExited => _process.HasExited;

    /// <summary>True once the loop has started ending it (its timeout, <see cref="Terminate"/>, or shutdown).</summary>
    public bool TerminationStarted => _process.Termination != ScriptTermination.None;

    internal void Begin()
    {
        _exitWatch = _owner.Watches.Watch(_process.ExitFd, OnExitReadable);
        if (_process.Output is { Fd: >= 0 } output)
            _outputWatch = _owner.Watches.Watch(output.Fd, OnOutputReadable);
        // Timeout.InfiniteTimeSpan (a notify FIFO's script, keepalived's TIMER_NEVER): no timer at all.
        if (Request.Timeout != Timeout.InfiniteTimeSpan)
            _timer = _owner.Timers.Schedule(_started + Ticks(Request.Timeout), OnTimer);
    }

    public void Terminate()
    {
        if (HasExited || TerminationStarted)
            return;
        _timer?.Dispose();
        Escalate();
    }

    /// <summary>Shutdown: SIGKILL the group and reap now (a brief blocking wait after SIGKILL); no callback.</summary>
    internal void Kill()
    {
        Release();
        _process.Dispose();
    }

    private void OnTimer()
    {
        _timer = null;
        if (_process.Termination == ScriptTermination.None)
            _timeoutFired = true;
        Escalate();
    }

    private void Escalate()
    {
        if (_process.OnTimeout() is TimeSpan next)
            _timer = _owner.Timers.Schedule(_owner.Time.GetTimestamp() + Ticks(next), OnTimer);
    }

    private void OnOutputReadable()
    {
        if (!_owner.LogOutput(Request.Name, _process.Output!))
        {
            _outputWatch?.Dispose();
            _outputWatch = null;
        }
    }

    private void OnExitReadable()
    {
        if (!_process.TryReap(out ScriptExitStatus status))
            return;
        if (_process.Output is { } output)
            _owner.LogOutput(Request.Name, output);
        TimeSpan elapsed = _owner.Time.GetElapsedTime(_started);
        Release();
        _process.Dispose();
        _onExit(new ScriptRunResult(status, elapsed) { KilledByTimeout = _timeoutFired });
    }

    private void Release()
    {
        _exitWatch?.Dispose();
        _outputWatch?.Dispose();
        _timer?.Dispose();
        _exitWatch = null;
        _outputWatch = null;
        _timer = null;
        _owner.Forget(this);
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _owner.Time.TimestampFrequency);
}
