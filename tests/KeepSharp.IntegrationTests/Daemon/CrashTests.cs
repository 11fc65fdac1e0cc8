using System.Diagnostics;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Daemon;

/// <summary>
/// What a crash does, with a fault injected into a running master (KEEPSHARP_FAULT_INJECTION): the reason
/// and its stack reach the log, the master resigns with priority 0 so the backup takes over at once,
/// no virtual address is left on the interface, the pid file is removed, and the process exits 70.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const string FaultVariable = "KEEPSHARP_FAULT_INJECTION";
    private const string Addresses = "10.51.0.161\n        10.51.0.162/24";

    [Fact]
    public async Task A_failure_on_the_event_loop_of_a_foreground_master_resigns_releases_and_exits_70()
    {
        using var lab = new DaemonLab(output);
        LabHost host = lab.Topology.H171;
        LabHost other = lab.Topology.H172;
        string config = lab.WriteConfig(host, DaemonLab.Config("keep_171", "MASTER", 100, Addresses));
        string pidFile = Path.Combine(host.RunDir, "crash.pid");
        string logFile = Path.Combine(host.RunDir, "crash.log");

        Task<ShResult> run = Task.Run(() => Sh.Run(
            InHost(host, "env", $"{FaultVariable}=loop-throw-after-master:5000", lab.Binary, "-n", "-l", "-f", config, "-p", pidFile, $"--log-file={logFile}"),
            check: false, timeoutMs: 30000));
        Assert.True(DaemonLab.WaitFor(() => lab.Topology.HoldsVip(host) || run.IsCompleted, TimeSpan.FromSeconds(8)),
            $"the master did not take its addresses:\n{lab.Addresses(host)}");
        Assert.True(File.Exists(pidFile), "no pid file while running");
        Assert.Contains("10.51.0.162/24", lab.Addresses(host));
        LabDaemon backup = lab.StartKeepSharp(other, DaemonLab.Config("keep_172", "BACKUP", 80, Addresses));
        Assert.True(DaemonLab.WaitFor(() => lab.Log(backup).Contains("Entering BACKUP STATE"), TimeSpan.FromSeconds(4)) && !run.IsCompleted,
            $"the backup was not up before the injected failure:\n{lab.Log(backup)}");
        Assert.False(lab.Topology.HoldsVip(other), "the backup holds the VIP while the master is up");

        // Sh.Run kills it and throws after 30 s; the fault fires 5 s after it became master.
        ShResult result = await run;
        var afterExit = Stopwatch.StartNew();
        string log = File.ReadAllText(logFile);
        output.WriteLine(log);

        Assert.Equal(70, result.ExitCode);
        Assert.DoesNotContain("10.51.0.161", lab.Addresses(host));
        Assert.DoesNotContain("10.51.0.162", lab.Addresses(host));
        Assert.False(File.Exists(pidFile), "pid file left behind after the failure");
        Assert.Contains("Event loop failed: KeepSharp.Daemon.Runtime.InjectedFaultException: fault injected by KEEPSHARP_FAULT_INJECTION on the event loop", log);
        Assert.Matches(@"\n\s+at KeepSharp\.Daemon\.Runtime\.EventLoop\.Run", log);
        Assert.Contains("(VI_1) sent 0 priority", log);
        Assert.Contains("Stopped after a failure - exiting with status 70", log);
        // The console (-l) carries the same lines: written synchronously, nothing lost at exit.
        Assert.Contains("exiting with status 70", result.StdOut);

        // Priority 0 lets the backup take over after its skew time (~0.7 s), not the 3.7 s master-down interval.
        Assert.True(DaemonLab.WaitFor(() => lab.Topology.HoldsVip(other), TimeSpan.FromSeconds(2)),
            $"the backup did not take over within 2 s of the crash:\n{lab.Log(backup)}");
        output.WriteLine($"backup holds the VIP {afterExit.ElapsedMilliseconds} ms after the crashed master exited");
        Assert.Contains("(VI_1) Backup received priority 0 advertisement", lab.Log(backup));
    }

    [Fact]
    public void A_failure_on_a_thread_pool_thread_of_a_detached_master_is_logged_to_the_file_and_releases_everything()
    {
        using var lab = new DaemonLab(output);
        LabHost host = lab.Topology.H171;
        string config = lab.WriteConfig(host, DaemonLab.Config("keep_171", "MASTER", 100, Addresses));
        string pidFile = Path.Combine(host.RunDir, "detached.pid");
        string logFile = Path.Combine(host.RunDir, "detached.log");

        // Detached: its stderr is /dev/null, so only the log file can tell what happened.
        ShResult start = host.Exec("env", $"{FaultVariable}=threadpool-throw-after-master:1500", lab.Binary,
            "-f", config, "-p", pidFile, $"--log-file={logFile}");
        Assert.Equal(0, start.ExitCode);
        Assert.True(DaemonLab.WaitFor(() => File.Exists(pidFile), TimeSpan.FromSeconds(3)), "no pid file from the detached daemon");
        string pid = File.ReadAllText(pidFile).Trim();
        Assert.True(DaemonLab.WaitFor(() => lab.Addresses(host).Contains("10.51.0.162/24"), TimeSpan.FromSeconds(8)),
            $"the detached daemon did not become master:\n{lab.Addresses(host)}");

        Assert.True(DaemonLab.WaitFor(() => !File.Exists(pidFile), TimeSpan.FromSeconds(6)),
            "pid file still there after the injected failure");
        Assert.True(DaemonLab.WaitFor(() => ProcessState(host, pid) is "" or ['Z', ..], TimeSpan.FromSeconds(3)),
            $"the daemon is still running: {ProcessState(host, pid)}");
        string log = File.ReadAllText(logFile);
        output.WriteLine(log);

        Assert.DoesNotContain("10.51.0.161", lab.Addresses(host));
        Assert.DoesNotContain("10.51.0.162", lab.Addresses(host));
        Assert.Contains("Unhandled exception on thread", log);
        Assert.Contains("KeepSharp.Daemon.Runtime.InjectedFaultException: fault injected by KEEPSHARP_FAULT_INJECTION on a thread-pool work item", log);
        Assert.Matches(@"\n\s+at KeepSharp\.Daemon\.Runtime\.FaultInjection", log);
        Assert.Contains("(VI_1) sent 0 priority", log);
        Assert.Contains("exiting with status 70", log);
        // The stack comes before the resignation: the failure is logged first, synchronously.
        Assert.True(log.IndexOf("InjectedFaultException", StringComparison.Ordinal) < log.IndexOf("sent 0 priority", StringComparison.Ordinal),
            "the resignation was logged before the failure that caused it");
    }

    /// <summary>The argv that runs a command to completion inside the lab host (its network, pid and mount namespaces).</summary>
    private static string[] InHost(LabHost host, params string[] argv) =>
        ["nsenter", "-t", host.InitPid.ToString(), "-p", "-m", "-n", $"--wd={host.RunDir}", "--", .. argv];

    /// <summary>ps's state letter for a pid inside the host; empty when there is no such process.</summary>
    private static string ProcessState(LabHost host, string pid) =>
        host.Exec("sh", "-c", $"ps -o stat= -p {pid} || true").StdOut.Trim();
}
