using System.Diagnostics;
using System.Globalization;
using KeepSharp.Linux;
using KeepSharp.Linux.Interop;
using KeepSharp.Linux.Processes;

namespace KeepSharp.IntegrationTests.Linux;

/// <summary>Real scripts through <see cref="ScriptProcess"/>, driven as the event loop will: a Poller, pidfds, timers.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ScriptProcessTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);
    private readonly string _dir = Directory.CreateTempSubdirectory("keepsharp-scripts-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Exit_zero_succeeds_and_non_zero_fails_with_its_status()
    {
        var ok = Run(Script("exit 0"));
        Assert.True(ok.Status.Succeeded, "exit 0 is success: " + ok.Status);

        var failed = Run(Script("exit 3"));
        Assert.Equal(new ScriptExitStatus(ScriptExitKind.Exited, 3, TimedOut: false), failed.Status);
        Assert.False(failed.Status.Succeeded);
        Assert.Equal("failed (exited with status 3)", failed.Status.ToString());
    }

    [Fact]
    public void A_signal_is_failure_with_the_signal_number()
    {
        var result = Run(Script("kill -USR1 $$"));
        Assert.Equal(new ScriptExitStatus(ScriptExitKind.Signaled, 10, TimedOut: false), result.Status);
        Assert.Equal("failed (due to signal 10)", result.Status.ToString());
    }

    [Fact]
    public void Arguments_are_passed_as_split_words_and_output_is_captured_line_by_line()
    {
        string path = Script("echo \"argc=$#\"; for a in \"$@\"; do echo \"[$a]\"; done; echo to-stderr >&2");
        var result = Run(new ScriptStartInfo([path, "MASTER", "a b", ""]));
        Assert.True(result.Status.Succeeded, result.Status.ToString());
        Assert.Equal(["argc=3", "[MASTER]", "[a b]", "[]", "to-stderr"], result.Lines);
    }

    [Fact]
    public void Child_sees_only_stdin_stdout_stderr_default_signals_and_its_own_process_group()
    {
        // Descriptors the daemon holds: a socket, a file, and a descriptor without O_CLOEXEC.
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        using var file = File.OpenRead("/etc/hostname");
        int inheritable = OpenWithoutCloexec("/etc/passwd");
        try
        {
            string path = Script(
                "ls /proc/self/fd | sort -n | tr '\\n' ' ' | sed 's/ $//'; echo\n" +
                "readlink /proc/self/fd/0\n" +
                "grep -E '^(SigBlk|SigIgn)' /proc/self/status\n" +
                "ps -o pgid= -p $$ | tr -d ' '; echo $$");
            var result = Run(new ScriptStartInfo([path]));
            Assert.True(result.Status.Succeeded, result.Status.ToString());
            // ls itself holds one descriptor open while listing (/proc/self/fd of ls): 0 1 2 and that one, 3.
            Assert.Equal("0 1 2 3", result.Lines[0]);
            Assert.Equal("/dev/null", result.Lines[1]);
            Assert.Equal("SigBlk:\t0000000000000000", result.Lines[2]);
            // Signals 1-31 (all a script can meet) are at their defaults, SIGPIPE included, which .NET ignores.
            // glibc reserves 32-34 for itself and its sigaction refuses them, in posix_spawn as in keepalived's
            // signal_handler_script(), so their inherited disposition cannot be reset by either.
            ulong ignored = Convert.ToUInt64(result.Lines[3]["SigIgn:\t".Length..], 16);
            Assert.True((ignored & 0x7fffffff) == 0, "no standard signal ignored in the script: " + result.Lines[3]);
            Assert.Equal(result.Lines[5], result.Lines[4]);
        }
        finally
        {
            Close(inheritable);
        }
    }

    [Fact]
    public void A_timeout_terminates_the_whole_group_including_grandchildren_that_never_exit()
    {
        string marker = "keepsharp-grandchild-" + Guid.NewGuid().ToString("N");
        string sleeper = Path.Combine(_dir, marker);
        File.CreateSymbolicLink(sleeper, "/bin/sleep");
        string path = Script(
            $"{sleeper} 1000 &\n" +
            $"(trap '' TERM; exec {sleeper} 1000) &\n" +
            "echo started; sleep 1000");
        var watch = Stopwatch.StartNew();
        var result = Run(new ScriptStartInfo([path]), timeout: TimeSpan.FromMilliseconds(300));
        Assert.True(result.Status.TimedOut, "the script overran: " + result.Status);
        Assert.False(result.Status.Succeeded);
        Assert.Equal("timed_out", result.Status.ExitType);
        Assert.Equal(ScriptExitKind.Signaled, result.Status.Kind);
        Assert.True(watch.Elapsed < Generous, "terminated within the grace periods: " + watch.Elapsed);
        Assert.True(WaitUntil(() => !ProcessesNamed(marker).Any()),
            "grandchildren of the timed-out script are gone, even one ignoring SIGTERM: " + string.Join(",", ProcessesNamed(marker)));
    }

    [Fact]
    public void A_script_ignoring_sigterm_is_killed_after_the_grace_period()
    {
        string path = Script("trap '' TERM; echo started; while :; do sleep 0.1; done");
        var watch = Stopwatch.StartNew();
        var result = Run(new ScriptStartInfo([path]), timeout: TimeSpan.FromMilliseconds(200));
        Assert.Equal(new ScriptExitStatus(ScriptExitKind.Signaled, 9, TimedOut: true), result.Status);
        Assert.True(watch.Elapsed >= ScriptProcess.TerminationGrace,
            "SIGKILL waits for keepalived's grace period after SIGTERM: " + watch.Elapsed);
    }

    [Fact]
    public void Output_flood_is_bounded_and_drained_so_the_script_finishes()
    {
        // 8 MB of output (far beyond a pipe's 64 KiB): the reader keeps draining, so the script is not blocked.
        string path = Script("head -c 8000000 /dev/zero | tr '\\0' 'x'; echo; seq 1 100000");
        var limits = new ScriptOutputLimits(MaxLineBytes: 100, MaxTotalBytes: 10_000);
        var result = Run(new ScriptStartInfo([path]) { OutputLimits = limits });
        Assert.True(result.Status.Succeeded, result.Status.ToString());
        Assert.Equal(new string('x', 100), result.Lines[0]);
        Assert.Equal(1, result.TruncatedLines);
        Assert.True(string.Join('\n', result.Lines).Length <= limits.MaxTotalBytes, "total retained output is capped");
        Assert.True(result.DiscardedBytes > 500_000, "the rest was read and dropped: " + result.DiscardedBytes);
    }

    [Fact]
    public void Runs_as_the_configured_user_and_group_with_only_that_group()
    {
        string path = Script("id -u; id -g; id -G");
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(_dir, File.GetUnixFileMode(_dir) | UnixFileMode.OtherExecute);
        var nobody = ScriptUser.Resolve("nobody", "nogroup");
        var result = Run(new ScriptStartInfo([path]) { Uid = nobody.Uid, Gid = nobody.Gid });
        Assert.True(result.Status.Succeeded, result.Status.ToString());
        string uid = nobody.Uid.ToString(CultureInfo.InvariantCulture), gid = nobody.Gid.ToString(CultureInfo.InvariantCulture);
        Assert.Equal([uid, gid, gid], result.Lines);

        // The daemon's own threads kept root: the next spawn without a user runs as root.
        Assert.Equal(["0", "0"], Run(new ScriptStartInfo([Script("id -u; id -g")])).Lines);
    }

    [Fact]
    public void A_script_that_cannot_be_executed_fails_to_start_and_leaves_nothing_to_reap()
    {
        string noShebang = Path.Combine(_dir, "no-shebang");
        File.WriteAllText(noShebang, "exit 0\n");
        File.SetUnixFileMode(noShebang, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var error = Assert.Throws<ScriptSpawnException>(() => ScriptProcess.Start(new ScriptStartInfo([noShebang])));
        Assert.Equal(Errno.ENOEXEC, error.Errno);
        var missing = Assert.Throws<ScriptSpawnException>(() => ScriptProcess.Start(new ScriptStartInfo([Path.Combine(_dir, "missing")])));
        Assert.Equal(Errno.ENOENT, missing.Errno);
    }

    [Fact]
    public void Many_concurrent_runs_including_timeouts_leave_no_zombie()
    {
        string quick = Script("echo hello; exit $(( $$ % 3 ))");
        string slow = Script("sleep 1000 & sleep 1000");
        var infos = Enumerable.Range(0, 60).Select(i => new ScriptStartInfo([i % 6 == 0 ? slow : quick])).ToList();
        var results = RunAll(infos, TimeSpan.FromMilliseconds(500));
        Assert.Equal(60, results.Count);
        Assert.Equal(10, results.Count(r => r.Status.TimedOut));
        Assert.All(results.Where(r => !r.Status.TimedOut), r => Assert.Equal(["hello"], r.Lines));
        Assert.Empty(ZombieChildren());
    }

    // ---- The event loop, in miniature: a Poller over pidfds and output pipes, and a timer per script. ----

    private sealed record RunResult(ScriptExitStatus Status, List<string> Lines, int TruncatedLines, long DiscardedBytes);

    private RunResult Run(string path) => Run(new ScriptStartInfo([path]));

    private static RunResult Run(ScriptStartInfo info, TimeSpan? timeout = null) => RunAll([info], timeout ?? Generous)[0];

    private static List<RunResult> RunAll(IReadOnlyList<ScriptStartInfo> infos, TimeSpan timeout)
    {
        using var poller = new Poller();
        var processes = infos.Select(ScriptProcess.Start).ToList();
        var lines = processes.Select(_ => new List<string>()).ToList();
        var deadlines = processes.Select(_ => Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency)).ToArray();
        var exitSlots = processes.Select(p => poller.Register(p.ExitFd)).ToArray();
        var outputSlots = processes.Select(p => poller.Register(p.Output!.Fd)).ToArray();
        var results = new RunResult?[processes.Count];
        var giveUp = Stopwatch.StartNew();
        try
        {
            while (results.Any(r => r is null))
            {
                Assert.True(giveUp.Elapsed < TimeSpan.FromSeconds(60), "scripts finished within 60 s");
                poller.Wait(TimeSpan.FromMilliseconds(50));
                for (int i = 0; i < processes.Count; i++)
                {
                    var process = processes[i];
                    if (results[i] is not null)
                    {
                        continue;
                    }

                    if (outputSlots[i] >= 0 && poller.IsReadable(outputSlots[i]) && !process.Output!.ReadAvailable(lines[i]))
                    {
                        poller.Unregister(outputSlots[i]);
                        outputSlots[i] = -1;
                    }

                    if (poller.IsReadable(exitSlots[i]) && process.TryReap(out var status))
                    {
                        process.Output!.ReadAvailable(lines[i]);
                        poller.Unregister(exitSlots[i]);
                        if (outputSlots[i] >= 0)
                        {
                            poller.Unregister(outputSlots[i]);
                        }

                        results[i] = new RunResult(status, lines[i], process.Output.TruncatedLines, process.Output.DiscardedBytes);
                        process.Dispose();
                        continue;
                    }

                    if (Stopwatch.GetTimestamp() >= deadlines[i] && process.OnTimeout() is TimeSpan next)
                    {
                        deadlines[i] = Stopwatch.GetTimestamp() + (long)(next.TotalSeconds * Stopwatch.Frequency);
                    }
                }
            }
        }
        finally
        {
            processes.ForEach(p => p.Dispose());
        }

        return [.. results.Select(r => r!)];
    }

    private string Script(string body)
    {
        string path = Path.Combine(_dir, "script-" + Guid.NewGuid().ToString("N")[..8] + ".sh");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static bool WaitUntil(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < Generous)
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(50);
        }

        return condition();
    }

    private static IEnumerable<string> ProcessesNamed(string marker)
        => Shell.TryRun("ps", "-eo", "pid=,args=").Output.Split('\n').Where(l => l.Contains(marker, StringComparison.Ordinal) && !l.Contains("ps -eo", StringComparison.Ordinal));

    private static List<string> ZombieChildren()
        => [.. Shell.TryRun("ps", "--ppid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), "-o", "pid=,stat=,args=").Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var stat, ..] && stat.StartsWith('Z'))];

    private static int OpenWithoutCloexec(string path) => Libc.Open(path, Libc.O_RDONLY);

    private static void Close(int fd) => Libc.Close(fd);
}
