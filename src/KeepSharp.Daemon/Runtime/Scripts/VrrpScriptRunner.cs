using KeepSharp.Config;
using KeepSharp.Daemon.Logging;
using KeepSharp.Daemon.Runtime.Loop;
using KeepSharp.Daemon.Runtime.Tracking;
using KeepSharp.Linux.Processes;
using KeepSharp.Vrrp.Tracking;

namespace KeepSharp.Daemon.Runtime.Scripts;

/// <summary>
/// One tracked <c>vrrp_script</c> on the loop, as keepalived's vrrp_scheduler.c (<c>vrrp_script_thread</c>,
/// <c>vrrp_script_child_thread</c>): a run every <c>interval</c> from startup, on a fixed cadence; each run gets
/// <c>timeout</c>, or the interval when there is none; a run still going when the next is due is not started
/// twice (keepalived logs "expect idle - skipping run"). Each result goes through the script's
/// <see cref="ScriptResultTracker"/> (rise/fall/init_fail); when its status changes, every instance tracking it
/// hears it through the <see cref="TrackingDispatcher"/>.
/// <para>An unusable script (missing, not executable, insecure under enable_script_security, unknown user) is
/// never run: where keepalived 2.2.7 silently drops it (its issue #2184), KeepSharp counts it as failing and says
/// so at startup, loudly.</para>
/// </summary>
internal sealed class VrrpScriptRunner
{
    private readonly VrrpScript _script;
    private readonly ScriptStartInfo? _startInfo;
    private readonly ILoopServices _loop;
    private readonly TrackingDispatcher _dispatcher;
    private readonly Log _log;
    private readonly ScriptRunRequest? _request;
    private readonly long _intervalTicks;
    private IScriptRun? _running;
    private long _due;
    private bool _trapReported;
    private bool _stopped;
    private IDisposable? _timer;

    public VrrpScriptRunner(VrrpScript script, ScriptStartInfo? startInfo, ILoopServices loop, TrackingDispatcher dispatcher, Log log)
    {
        _script = script;
        _startInfo = startInfo;
        _loop = loop;
        _dispatcher = dispatcher;
        _log = log;
        Tracker = new ScriptResultTracker(script.Rise, script.Fall, script.InitFail);
        Timeout = script.Timeout is { } t && t > TimeSpan.Zero ? t : script.Interval;
        if (startInfo is not null)
            _request = new ScriptRunRequest(script.Name, startInfo, Timeout);
        _intervalTicks = Math.Max(1, (long)(script.Interval.TotalSeconds * loop.Time.TimestampFrequency));
    }

    public string Name => _script.Name;

    public ScriptResultTracker Tracker { get; }

    /// <summary>The timeout each run gets: <c>timeout</c>, else <c>interval</c>.</summary>
    public TimeSpan Timeout { get; }

    public bool Usable => _request is not null;

    /// <summary>Runs started (for tests and statistics).</summary>
    public long Runs { get; private set; }

    /// <summary>Intervals skipped because the previous run was still going.</summary>
    public long Skipped { get; private set; }

    /// <summary>
    /// Reload: the same script as <paramref name="previous"/> (same command, interval, timeout, user) keeps its last
    /// result and its rise/fall count, so the instances tracking it see no change; a changed script starts afresh.
    /// </summary>
    public bool CarryOver(VrrpScriptRunner previous)
    {
        VrrpScript a = previous._script, b = _script;
        bool same = a.Script == b.Script && a.Interval == b.Interval && a.Timeout == b.Timeout && a.User == b.User && a.Group == b.Group;
        return same && Tracker.CarryOver(previous.Tracker);
    }

    /// <summary>How long its runs took (the metrics endpoint's script durations).</summary>
    public Metrics.ScriptDurations Durations { get; } = new();

    /// <summary>Starts the cadence (the first run now); an unusable script is reported failing once instead.</summary>
    public void Start(string? unusableReason)
    {
        if (_request is null)
        {
            _log.Error($"{_script.Location.File}:{_script.Location.Line}: vrrp_script {_script.Name} ({_script.Script}) cannot be run: {unusableReason}. " +
                "KeepSharp counts it as FAILING: instances tracking it lose its weight or go to FAULT (keepalived 2.2.7 would silently ignore it, its issue #2184)");
            Report(success: false);
            return;
        }
        _due = _loop.Time.GetTimestamp();
        _timer = _loop.ScheduleAt(_due, OnInterval);
    }

    /// <summary>No further runs (shutdown); a running one is left to the loop's shutdown.</summary>
    public void Stop()
    {
        _stopped = true;
        _timer?.Dispose();
        _timer = null;
    }

    private void OnInterval()
    {
        _due += _intervalTicks;
        long now = _loop.Time.GetTimestamp();
        if (_due <= now)
            _due = now + _intervalTicks; // the loop was held up: keep the cadence from now rather than catch up
        _timer = _loop.ScheduleAt(_due, OnInterval);
        if (_running is not null)
        {
            Skipped++;
            _log.Info($"Track script {_script.Name} is {(_running.HasExited ? "being reaped" : "already running")}, expect idle - skipping run");
            return;
        }
        Runs++;
        _running = _loop.RunScript(_request!, OnExit);
        if (_running is null)
            Report(success: false); // could not start (logged by the loop): a failed run
    }

    private void OnExit(ScriptRunResult result)
    {
        _running = null;
        Durations.Record(result.Elapsed, result.KilledByTimeout);
        if (_stopped)
            return;
        if (result.KilledByTimeout && _script.Timeout is null && !_trapReported)
        {
            _trapReported = true;
            _log.Warning(ScriptTimeoutAdvice.Format(_script, result.Elapsed));
        }
        Report(result.Status.Succeeded, result.Status);
    }

    private void Report(bool success, ScriptExitStatus? status = null)
    {
        if (!Tracker.Report(success))
            return;
        string outcome = status?.ToString() ?? (success ? "succeeded" : "failed");
        _log.Info($"VRRP_Script({_script.Name}) {outcome}");
        _dispatcher.Update(TrackerKind.Script, _script.Name, Tracker.Status);
    }
}
