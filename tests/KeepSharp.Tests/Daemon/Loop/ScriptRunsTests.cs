using System.Diagnostics;
using KeepSharp.Daemon.Logging;
using KeepSharp.Daemon.Runtime.Loop;
using KeepSharp.Linux;
using KeepSharp.Linux.Processes;

namespace KeepSharp.Tests.Daemon.Loop;

/// <summary>
/// The loop's script runs with real child processes: output logged per line with the script's name, exit
/// status and elapsed time reported on the loop, timeouts enforced with SIGTERM then SIGKILL, nothing left
/// to reap. A small pump stands in for the event loop (poll, dispatch watches, run timers).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ScriptRunsTests : IDisposable
{
    private readonly RecordingSink _sink = new();
    private readonly Log _log;
    private readonly Poller _poller = new();
    private readonly LoopTimers _timers = new();
    private readonly ReadableWatches _watches;
    private readonly ScriptRuns _runs;
    private readonly string _dir = Directory.CreateTempSubdirectory("keepsharp-runs-").FullName;

    public ScriptRunsTests()
    {
        _log = new Log([_sink], detail: true);
        _watches = new ReadableWatches(_poller);
        _runs = new ScriptRuns(_timers, _watches, TimeProvider.System, _log);
    }

    [Fact]
    public void Output_goes_to_the_log_prefixed_and_the_exit_status_comes_back()
    {
        string script = Script("ok.sh", "echo hello\necho 'second line' >&2\nexit 3");
        ScriptRunResult? result = null;

        IScriptRun? run = StartRun(Request("chk", script, TimeSpan.FromSeconds(5)), r => result = r);

        Assert.NotNull(run);
        Pump(() => result is not null, TimeSpan.FromSeconds(10));
        Assert.Equal(ScriptExitKind.Exited, result!.Value.Status.Kind);
        Assert.Equal(3, result.Value.Status.Code);
        Assert.False(result.Value.Status.TimedOut);
        Assert.True(result.Value.Elapsed < TimeSpan.FromSeconds(5), $"took {result.Value.Elapsed}");
        _log.Dispose();
        Assert.Contains("chk: hello", _sink.Lines);
        Assert.Contains("chk: second line", _sink.Lines);
        Assert.Equal(0, _runs.Count);
        Assert.Equal(0, _watches.Count);
        Assert.Equal(0, _timers.Count);
        AssertReaped(run!.Pid);
    }

    [Fact]
    public void A_run_past_its_timeout_is_terminated_and_reported_timed_out()
    {
        string script = Script("hang.sh", "sleep 30");
        ScriptRunResult? result = null;
        var clock = Stopwatch.StartNew();

        IScriptRun run = StartRun(Request("hang", script, TimeSpan.FromMilliseconds(300)), r => result = r);

        Pump(() => result is not null, TimeSpan.FromSeconds(10));
        Assert.True(result!.Value.Status.TimedOut, $"status {result.Value.Status}");
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.25, 5);
        AssertReaped(run.Pid);
    }

    [Fact]
    public void A_script_ignoring_sigterm_is_killed_after_the_grace_period()
    {
        string script = Script("stubborn.sh", "trap '' TERM\nwhile :; do sleep 0.1; done");
        ScriptRunResult? result = null;

        IScriptRun run = StartRun(Request("stubborn", script, TimeSpan.FromMilliseconds(200)), r => result = r);

        Pump(() => result is not null, TimeSpan.FromSeconds(10));
        Assert.Equal(ScriptExitKind.Signaled, result!.Value.Status.Kind);
        Assert.Equal(9, result.Value.Status.Code);
        Assert.InRange(result.Value.Elapsed.TotalSeconds, 2.0, 8);
        AssertReaped(run.Pid);
    }

    [Fact]
    public void An_infinite_timeout_arms_no_timer_and_the_run_lives_until_terminated()
    {
        string script = Script("fifo.sh", "sleep 30");
        ScriptRunResult? result = null;
        IScriptRun run = StartRun(Request("fifo", script, Timeout.InfiniteTimeSpan), r => result = r);

        Pump(() => result is not null, TimeSpan.FromMilliseconds(700));

        Assert.Null(result);
        Assert.False(run.HasExited);
        Assert.Equal(0, _timers.Count);
        run.Terminate();
        Pump(() => result is not null, TimeSpan.FromSeconds(10));
        Assert.Equal(ScriptExitKind.Signaled, result!.Value.Status.Kind);
        AssertReaped(run.Pid);
    }

    [Fact]
    public void Terminate_ends_a_run_and_its_callback_still_follows()
    {
        string script = Script("long.sh", "sleep 30");
        ScriptRunResult? result = null;
        IScriptRun run = StartRun(Request("long", script, TimeSpan.FromSeconds(60)), r => result = r);
        Pump(() => false, TimeSpan.FromMilliseconds(200));

        run.Terminate();

        Pump(() => result is not null, TimeSpan.FromSeconds(10));
        Assert.Equal(ScriptExitKind.Signaled, result!.Value.Status.Kind);
        Assert.True(run.HasExited);
        AssertReaped(run.Pid);
    }

    [Fact]
    public void KillAll_leaves_no_child_behind()
    {
        string script = Script("many.sh", "sleep 30");
        var pids = new List<int>();
        for (int i = 0; i < 5; i++)
            pids.Add(StartRun(Request($"s{i}", script, TimeSpan.FromSeconds(60)), _ => Assert.Fail("no callback at shutdown")).Pid);

        _runs.KillAll();

        Assert.Equal(0, _runs.Count);
        Assert.Equal(0, _watches.Count);
        foreach (int pid in pids)
            AssertReaped(pid);
    }

    [Fact]
    public void A_script_that_cannot_start_is_logged_and_returns_null()
    {
        bool called = false;
        IScriptRun? run = _runs.Start(Request("missing", Path.Combine(_dir, "nope.sh"), TimeSpan.FromSeconds(1)), _ => called = true);

        Assert.Null(run);
        Assert.False(called);
        _log.Dispose();
        Assert.Contains(_sink.Lines, l => l.StartsWith("missing: cannot run", StringComparison.Ordinal));
    }

    /// <summary>
    /// Starts a run of a script this test just wrote. Another test's child, forked while the file was still open for
    /// writing here, holds that descriptor until its exec: this script's exec then fails with ETXTBSY for a moment
    /// (a race of the test process, which writes scripts and spawns children on parallel threads, not of the daemon,
    /// whose scripts are written by someone else beforehand). So a start that fails is tried again for up to a second.
    /// </summary>
    private IScriptRun StartRun(ScriptRunRequest request, Action<ScriptRunResult> onExit)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            if (_runs.Start(request, onExit) is { } run)
                return run;
            Thread.Sleep(10);
        }
        _log.Dispose();
        Assert.Fail($"{request.Name} could not be started within a second:\n{string.Join("\n", _sink.Lines)}");
        return null!;
    }

    private ScriptRunRequest Request(string name, string path, TimeSpan timeout) =>
        new(name, new ScriptStartInfo([path]), timeout);

    private string Script(string name, string body)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private void Pump(Func<bool> done, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!done() && clock.Elapsed < limit)
        {
            long now = TimeProvider.System.GetTimestamp();
            long next = _timers.NextDue;
            TimeSpan wait = next == long.MaxValue ? TimeSpan.FromMilliseconds(50)
                : next <= now ? TimeSpan.Zero
                : TimeSpan.FromMilliseconds(Math.Min(50, TimeProvider.System.GetElapsedTime(now, next).TotalMilliseconds));
            _poller.Wait(wait);
            _watches.Dispatch();
            _timers.RunDue(TimeProvider.System.GetTimestamp());
        }
    }

    /// <summary>Reaped: the pid is gone or belongs to someone else (never our zombie).</summary>
    private static void AssertReaped(int pid)
    {
        string stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
            return;
        string text;
        try
        {
            text = File.ReadAllText(stat);
        }
        catch (IOException)
        {
            return;
        }
        string[] after = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        Assert.False(after[0] == "Z" && after[1] == Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"pid {pid} is a zombie child of the test process");
    }

    public void Dispose()
    {
        _runs.KillAll();
        _log.Dispose();
        _poller.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

}
