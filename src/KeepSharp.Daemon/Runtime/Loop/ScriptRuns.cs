using KeepSharp.Daemon.Logging;
using KeepSharp.Linux;
using KeepSharp.Linux.Processes;

namespace KeepSharp.Daemon.Runtime.Loop;

/// <summary>
/// The scripts the loop is running (<see cref="ILoopServices.RunScript"/>): starts them, keeps them until they
/// are reaped, and ends them at shutdown as keepalived's <c>script_killall()</c> does (SIGTERM to each group,
/// a second to exit, then SIGKILL and reap), so no script outlives the daemon and none is left a zombie.
/// Loop thread only.
/// </summary>
internal sealed class ScriptRuns
{
    private readonly List<LoopScriptRun> _running = [];
    private readonly List<string> _lines = [];
    private readonly Log _log;

    public ScriptRuns(LoopTimers timers, ReadableWatches watches, TimeProvider time, Log log)
    {
        Timers = timers;
        Watches = watches;
        Time = time;
        _log = log;
    }

    internal LoopTimers Timers { get; }

    internal ReadableWatches Watches { get; }

    internal TimeProvider Time { get; }

    /// <summary>Runs started and not yet reaped.</summary>
    public int Count => _running.Count;

    public IScriptRun? Start(ScriptRunRequest request, Action<ScriptRunResult> onExit)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(onExit);
        ScriptProcess process;
        long started = Time.GetTimestamp();
        try
        {
            process = ScriptProcess.Start(request.StartInfo);
        }
        catch (Exception e) when (e is ScriptSpawnException or LinuxNetworkException)
        {
            _log.Error($"{request.Name}: cannot run {request.StartInfo.Arguments[0]}: {e.Message}");
            return null;
        }
        var run = new LoopScriptRun(this, request, process, onExit, started);
        _running.Add(run);
        try
        {
            run.Begin();
        }
        catch
        {
            run.Kill();
            throw;
        }
        return run;
    }

    /// <summary>SIGTERM to every running script's group (each then gets SIGKILL after the grace period).</summary>
    public void TerminateAll()
    {
        foreach (LoopScriptRun run in _running.ToArray())
            run.Terminate();
    }

    /// <summary>SIGKILL and reap every script still running; their callbacks are not called. Each step guarded.</summary>
    public void KillAll()
    {
        foreach (LoopScriptRun run in _running.ToArray())
        {
            try
            {
                run.Kill();
            }
            catch (Exception e)
            {
                _log.Error($"{run.Request.Name}: cannot kill script pid {run.Pid}: {e.Message}");
            }
        }
    }

    /// <summary>Logs the lines available on <paramref name="output"/>; false at end-of-file.</summary>
    internal bool LogOutput(string name, ScriptOutputReader output)
    {
        _lines.Clear();
        bool open = output.ReadAvailable(_lines);
        foreach (string line in _lines)
            _log.Info($"{name}: {line}");
        _lines.Clear();
        return open;
    }

    internal void Forget(LoopScriptRun run) => _running.Remove(run);
}
