using KeepSharp.Linux.Processes;

namespace KeepSharp.Daemon.Runtime.Loop;

/// <summary>
/// What the event loop offers the components that live on it besides the routers (script schedulers,
/// trackers, notifiers): timers, readable descriptors and child scripts. Every callback runs on the loop's
/// thread, between events; no member may be called from another thread. Nothing here blocks the loop.
/// </summary>
internal interface ILoopServices
{
    /// <summary>The loop's clock (timestamps as <see cref="TimeProvider.GetTimestamp"/>).</summary>
    TimeProvider Time { get; }

    /// <summary>Runs <paramref name="callback"/> once, at or soon after <paramref name="due"/>. Dispose the result to cancel.</summary>
    IDisposable ScheduleAt(long due, Action callback);

    /// <summary>Runs <paramref name="callback"/> each time <paramref name="fd"/> is readable, until the result is disposed.</summary>
    IDisposable WatchReadable(int fd, Action callback);

    /// <summary>
    /// Starts a script without waiting for it. Its stdout and stderr go to the log line by line, prefixed with
    /// <see cref="ScriptRunRequest.Name"/>; past <see cref="ScriptRunRequest.Timeout"/> its process group gets
    /// SIGTERM, then SIGKILL (keepalived's schedule). <paramref name="onExit"/> runs on the loop once it is reaped.
    /// Returns null, after logging why, when it could not be started (<paramref name="onExit"/> is then not called).
    /// </summary>
    IScriptRun? RunScript(ScriptRunRequest request, Action<ScriptRunResult> onExit);
}

/// <summary>One script run to start: argv already split (and checked) as keepalived does.</summary>
internal sealed record ScriptRunRequest(string Name, ScriptStartInfo StartInfo, TimeSpan Timeout);

/// <summary>How a run ended, and how long it took from start to reaping.</summary>
internal readonly record struct ScriptRunResult(ScriptExitStatus Status, TimeSpan Elapsed)
{
    /// <summary>The loop ended it because <see cref="ScriptRunRequest.Timeout"/> expired (not <see cref="IScriptRun.Terminate"/> nor shutdown).</summary>
    public bool KilledByTimeout { get; init; }
}

/// <summary>A script run in progress.</summary>
internal interface IScriptRun
{
    int Pid { get; }

    bool HasExited { get; }

    /// <summary>Ends the run now (SIGTERM to its group, SIGKILL after the grace period); <c>onExit</c> still follows.</summary>
    void Terminate();
}
