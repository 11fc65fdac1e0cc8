using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Daemon;

/// <summary>
/// keepalived's CVE-2018-19044/19045/19046 class: a local user plants symlinks where the root daemon writes
/// (the statistics file and its old temporary name in $TMPDIR, the pid file, the log file) pointing at files
/// of their choosing. The daemon must replace the links or refuse them, never write through them.
/// </summary>
public sealed class PlantedSymlinkTests(ITestOutputHelper output)
{
    private const int SIGUSR2 = 12;
    private const string VictimText = "precious, owned by the test\n";

    [Fact]
    public void Statistics_pid_and_log_files_never_write_through_a_planted_symlink()
    {
        using var lab = new DaemonLab(output);
        LabHost host = lab.Topology.H171;
        string tmp = Directory.CreateDirectory(Path.Combine(host.RunDir, "tmp")).FullName;
        string stats = Path.Combine(tmp, "keepalived.stats");
        string pidFile = Path.Combine(tmp, "keepalived.pid");
        string logFile = Path.Combine(tmp, "keepalived.log");
        var victims = new Dictionary<string, string>();
        foreach (string planted in new[] { stats, stats + ".tmp", pidFile, logFile })
        {
            string victim = Path.Combine(host.RunDir, "victim-" + Path.GetFileName(planted));
            File.WriteAllText(victim, VictimText);
            File.CreateSymbolicLink(planted, victim);
            victims.Add(planted, victim);
        }
        string config = lab.WriteConfig(host, DaemonLab.Config("keep_171", "MASTER", 100));
        string console = Path.Combine(host.RunDir, "console.log");

        HostProcess daemon = host.Spawn("keepsharp",
            ["env", $"TMPDIR={tmp}", lab.Binary, "-n", "-l", "-f", config, "-p", pidFile, $"--log-file={logFile}"], console);
        try
        {
            Assert.True(DaemonLab.WaitFor(() => IsRegularFile(pidFile), TimeSpan.FromSeconds(5)),
                $"the planted pid file link was not replaced by a file:\n{Read(console)}");
            Assert.Matches(@"^\d+\n$", File.ReadAllText(pidFile));
            Assert.True(DaemonLab.WaitFor(() => Read(console).Contains("Entering BACKUP STATE"), TimeSpan.FromSeconds(5)), Read(console));
            Assert.Contains($"Not logging to file: cannot open {logFile}", Read(console));

            daemon.Signal(SIGUSR2);
            Assert.True(DaemonLab.WaitFor(() => IsRegularFile(stats), TimeSpan.FromSeconds(5)),
                $"the planted statistics link was not replaced by a file:\n{Read(console)}");
            Assert.Contains("VRRP Instance: VI_1", File.ReadAllText(stats));
            Assert.Contains($"Statistics written to {stats}", Read(console));
        }
        finally
        {
            daemon.Terminate(TimeSpan.FromSeconds(5));
        }
        output.WriteLine(Read(console));

        Assert.False(File.Exists(pidFile), "pid file left behind after a clean stop");
        foreach ((string planted, string victim) in victims)
            Assert.True(File.ReadAllText(victim) == VictimText, $"{victim} (the target of {planted}) was written to");
        Assert.Equal(victims[logFile], new FileInfo(logFile).LinkTarget);
    }

    private static bool IsRegularFile(string path)
    {
        var info = new FileInfo(path);
        return info.Exists && info.LinkTarget is null;
    }

    private static string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
}
