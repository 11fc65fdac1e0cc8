using KeepSharp.Daemon.Runtime.Loop;

namespace KeepSharp.Tests.Daemon.Notify;

/// <summary>An <see cref="ILoopServices"/> that records script runs and lets the test end them.</summary>
internal sealed class FakeLoop : ILoopServices
{
    public List<FakeRun> Runs { get; } = [];

    public List<(long Due, Action Callback)> Timers { get; } = [];

    public TimeProvider Time { get; } = TimeProvider.System;

    public IReadOnlyList<FakeRun> Running => [.. Runs.Where(r => !r.HasExited)];

    public IDisposable ScheduleAt(long due, Action callback)
    {
        Timers.Add((due, callback));
        return new Cancel(() => Timers.RemoveAll(t => t.Callback == callback));
    }

    public IDisposable WatchReadable(int fd, Action callback) => new Cancel(() => { });

    public IScriptRun? RunScript(ScriptRunRequest request, Action<ScriptRunResult> onExit)
    {
        var run = new FakeRun(request, onExit, Runs.Count + 1000);
        Runs.Add(run);
        return run;
    }

    private sealed class Cancel(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}

internal sealed class FakeRun(ScriptRunRequest request, Action<ScriptRunResult> onExit, int pid) : IScriptRun
{
    public ScriptRunRequest Request { get; } = request;

    public IReadOnlyList<string> Argv => Request.StartInfo.Arguments;

    public int Pid { get; } = pid;

    public bool HasExited { get; private set; }

    public bool Terminated { get; private set; }

    public void Terminate()
    {
        Terminated = true;
        Exit(timedOut: true);
    }

    public void Exit(bool timedOut = false)
    {
        Assert.False(HasExited, "a run exits once");
        HasExited = true;
        onExit(new ScriptRunResult(new KeepSharp.Linux.Processes.ScriptExitStatus(KeepSharp.Linux.Processes.ScriptExitKind.Exited, 0, timedOut), TimeSpan.Zero));
    }
}
