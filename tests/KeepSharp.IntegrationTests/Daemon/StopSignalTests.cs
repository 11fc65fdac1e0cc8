using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Daemon;

/// <summary>keepalived's stop signals, SIGTERM and SIGINT: the master resigns (priority 0, its backup takes over after Skew_Time), releases its VIP, removes its pid file and exits 0.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StopSignalTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(15, "SIGTERM")]
    [InlineData(2, "SIGINT")]
    public void A_stop_signal_resigns_releases_and_exits_cleanly(int signal, string name)
    {
        using var lab = new DaemonLab(output);
        LabTopology topology = lab.Topology;
        LabHost master = topology.H171, backup = topology.H172;
        string pidFile = Path.Combine(master.RunDir, "stop.pid");
        HostProcess m = master.Spawn("ks", [lab.Binary, "-n", "-l", "-f", lab.WriteConfig(master, DaemonLab.Config("keep_171", "MASTER", 100)), "-p", pidFile],
            Path.Combine(master.RunDir, "ks.log"));
        LabDaemon b = lab.StartKeepSharp(backup, DaemonLab.Config("keep_172", "BACKUP", 80));
        try
        {
            Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(master), TimeSpan.FromSeconds(10)), "no master");
            Thread.Sleep(1500);
            Assert.True(File.Exists(pidFile));
            double at = lab.Timeline.NowMs;
            m.Signal(signal);
            if (!m.WaitForExit(TimeSpan.FromSeconds(10)))
                Assert.Fail($"the daemon did not exit on {name}; its threads: {Threads(m.Pid)}\nits log:\n{Tail(Path.Combine(master.RunDir, "ks.log"))}");
            Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(backup), TimeSpan.FromSeconds(3)), "the backup did not take over");
            double takeover = lab.Timeline.NowMs - at;
            // Skew_Time for priority 80: (256 - 80) / 256 = 0.69 s; Master_Down_Interval would be 3.69 s.
            Assert.True(takeover < 1500, $"{name}: the backup took over {takeover:0} ms later (a priority-0 advert makes it Skew_Time)");
            Assert.False(topology.HoldsVip(master), "the VIP was not released");
            Assert.False(File.Exists(pidFile), "the pid file was left behind");
            string log = File.ReadAllText(Path.Combine(master.RunDir, "ks.log"));
            Assert.Contains("(VI_1) sent 0 priority", log);
            Assert.Contains("Stopped KeepSharp", log);
        }
        finally
        {
            m.Terminate(TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>Each thread's name, state and the kernel function it waits in: where a daemon that does not exit is stuck.</summary>
    private static string Threads(int pid)
    {
        try
        {
            return string.Join("; ", Directory.GetDirectories($"/proc/{pid}/task").Select(t =>
            {
                string stat = File.ReadAllText(Path.Combine(t, "stat"));
                string state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
                string wchan = File.Exists(Path.Combine(t, "wchan")) ? File.ReadAllText(Path.Combine(t, "wchan")) : "?";
                return $"{File.ReadAllText(Path.Combine(t, "comm")).Trim()} {state} {wchan}";
            }));
        }
        catch (IOException e)
        {
            return $"(unreadable: {e.Message})";
        }
    }

    private static string Tail(string path) =>
        File.Exists(path) ? string.Join("\n", File.ReadLines(path).TakeLast(30)) : "(no log)";
}
