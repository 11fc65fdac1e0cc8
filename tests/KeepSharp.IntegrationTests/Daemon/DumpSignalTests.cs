using System.Text.Json;
using System.Text.RegularExpressions;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Daemon;

/// <summary>
/// keepalived's signals on the real binary in a network namespace: SIGUSR1 keepalived.data, SIGUSR2 keepalived.stats,
/// SIGRTMIN+2 keepalived.json, SIGRTMAX-1 clears the counters; the files go where global_defs says; a second daemon on
/// the same pid file refuses to start; and the .stats layout is keepalived 2.2.7's, line by line.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class DumpSignalTests(ITestOutputHelper output)
{
    private const int SIGUSR1 = 10, SIGUSR2 = 12;

    private static string Config(string state, int priority, string globals) => $$"""
        global_defs {
           router_id dumps
           {{globals}}
        }
        vrrp_instance VI_1 {
            state {{state}}
            interface eth0
            virtual_router_id 51
            priority {{priority}}
            advert_int 1
            authentication {
                auth_type PASS
                auth_pass 1111
            }
            virtual_ipaddress {
                10.51.0.161
            }
        }
        """;

    /// <summary>The daemon's own --signum, as an operator would get it.</summary>
    private static int Signum(string name)
    {
        var (exit, stdout, stderr) = KeepSharpProcess.Run($"--signum={name}");
        Assert.True(exit == 0, stderr);
        return int.Parse(stdout.Trim());
    }

    [Fact]
    public void Signals_write_the_files_where_global_defs_says_clear_the_counters_and_a_second_daemon_is_refused()
    {
        int json = Signum("JSON"), clear = Signum("STATS_CLEAR");
        Assert.Equal(SIGUSR1, Signum("DATA"));
        Assert.Equal(SIGUSR2, Signum("STATS"));
        var unknown = KeepSharpProcess.Run("--signum=NOPE");
        Assert.Equal((1, "", "Unknown sigfunc NOPE\n"), (unknown.ExitCode, unknown.StdOut, unknown.StdErr));

        using var lab = new DaemonLab(output);
        LabHost host = lab.Topology.H171;
        string dir = Directory.CreateDirectory(Path.Combine(host.RunDir, "dumps")).FullName;
        string tmp = Directory.CreateDirectory(Path.Combine(host.RunDir, "tmp")).FullName;
        string config = lab.WriteConfig(host, Config("MASTER", 100,
            $"state_file_location {dir}/\n   stats_file_location {dir}/my.stats\n   json_file_location {dir}/out.json\n   json_version 2"));
        string pidFile = Path.Combine(host.RunDir, "dumps.pid");
        string console = Path.Combine(host.RunDir, "console.log");
        HostProcess daemon = host.Spawn("keepsharp", ["env", $"TMPDIR={tmp}", lab.Binary, "-n", "-l", "-f", config, "-p", pidFile], console);
        try
        {
            Assert.True(DaemonLab.WaitFor(() => Read(console).Contains("Entering MASTER STATE"), TimeSpan.FromSeconds(8)), Read(console));
            Thread.Sleep(2500); // a few adverts

            string data = Signal(daemon, SIGUSR1, Path.Combine(dir, "keepalived.data"), console);
            Assert.Contains("------< Global definitions >------\n Router ID = dumps\n", data);
            Assert.Contains("------< VRRP Topology >------\n VRRP Instance = VI_1\n   VRRP Version = 2\n   State = MASTER\n", data);
            Assert.Contains("   Virtual IP (1):\n     10.51.0.161 dev eth0 scope global set\n", data);

            string stats = Signal(daemon, SIGUSR2, Path.Combine(dir, "my.stats"), console);
            Assert.True(Counter(stats, "    Sent: ") >= 2, stats);
            Assert.Contains("  Became master: 1\n", stats);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "my.stats")));

            string text = Signal(daemon, json, Path.Combine(dir, "out.json"), console);
            using (JsonDocument doc = JsonDocument.Parse(text))
            {
                JsonElement vrrp = doc.RootElement.GetProperty("vrrp")[0];
                Assert.Equal("VI_1", vrrp.GetProperty("data").GetProperty("iname").GetString());
                Assert.Equal(2, vrrp.GetProperty("data").GetProperty("state").GetInt32());
                Assert.True(vrrp.GetProperty("stats").GetProperty("advert_sent").GetInt64() >= 2, text);
            }
            Assert.False(File.Exists(Path.Combine(tmp, "keepalived.stats")), "the stats went to TMPDIR despite stats_file_location");

            daemon.Signal(clear);
            Assert.True(DaemonLab.WaitFor(() => Read(console).Contains("Statistics cleared"), TimeSpan.FromSeconds(3)), Read(console));
            stats = Signal(daemon, SIGUSR2, Path.Combine(dir, "my.stats"), console);
            Assert.True(Counter(stats, "    Sent: ") <= 1, $"counters not cleared:\n{stats}");
            Assert.Contains("  Became master: 0\n", stats);

            string pid = File.ReadAllText(pidFile).Trim();
            ShResult second = host.Exec(lab.Binary, "-n", "-l", "-f", config, "-p", pidFile);
            Assert.Equal(0, second.ExitCode); // keepalived's: "daemon is already running" is not an error
            Assert.Contains($"daemon is already running (pid {pid}, {pidFile})", second.StdOut);
            Assert.Equal(pid, File.ReadAllText(pidFile).Trim());
            Assert.False(daemon.HasExited, "the refused second start stopped the first daemon");
        }
        finally
        {
            daemon.Terminate(TimeSpan.FromSeconds(5));
            output.WriteLine(Read(console));
        }
    }

    [Fact]
    [Trait("Tier", "Keepalived")]
    public void Stats_headings_and_labels_are_keepalived_227s_line_by_line()
    {
        using var lab = new DaemonLab(output);
        LabHost ours = lab.Topology.H171, theirs = lab.Topology.H172;
        string oursDir = Directory.CreateDirectory(Path.Combine(ours.RunDir, "tmp")).FullName;
        string theirsDir = Directory.CreateDirectory(Path.Combine(theirs.RunDir, "tmp")).FullName;
        string oursConfig = lab.WriteConfig(ours, Config("MASTER", 100, ""));
        string theirsConfig = lab.WriteConfig(theirs, Config("BACKUP", 80, ""));
        HostProcess keepsharp = ours.Spawn("keepsharp",
            ["env", $"TMPDIR={oursDir}", lab.Binary, "-n", "-l", "-f", oursConfig, "-p", Path.Combine(ours.RunDir, "ks.pid")],
            Path.Combine(ours.RunDir, "ks.log"));
        HostProcess keepalived = theirs.Spawn("keepalived",
            ["env", $"TMPDIR={theirsDir}", "keepalived", "-n", "-l", "-P", "-f", theirsConfig,
             "-p", Path.Combine(theirs.RunDir, "ka.pid"), "-r", Path.Combine(theirs.RunDir, "ka-vrrp.pid")],
            Path.Combine(theirs.RunDir, "ka.log"));
        try
        {
            Assert.True(DaemonLab.WaitFor(() => Read(Path.Combine(theirs.RunDir, "ka.log")).Contains("Entering BACKUP STATE"), TimeSpan.FromSeconds(8)));
            Assert.True(DaemonLab.WaitFor(() => Read(Path.Combine(ours.RunDir, "ks.log")).Contains("Entering MASTER STATE"), TimeSpan.FromSeconds(8)),
                Read(Path.Combine(ours.RunDir, "ks.log")));
            Thread.Sleep(2500);
            string ourStats = Signal(keepsharp, SIGUSR2, Path.Combine(oursDir, "keepalived.stats"), Path.Combine(ours.RunDir, "ks.log"));
            string theirStats = Signal(keepalived, SIGUSR2, Path.Combine(theirsDir, "keepalived.stats"), null);
            output.WriteLine(theirStats);
            string[] theirLabels = Labels(theirStats);
            string[] ourLabels = Labels(ourStats);
            Assert.Equal(20, theirLabels.Length); // 19 lines and the empty string after the last newline
            Assert.Equal(theirLabels, ourLabels[..theirLabels.Length]); // ours: the same 19, then a blank line
            Assert.Equal("KeepSharp details:", ourLabels[theirLabels.Length]);
            // Both heard each other: real counters on both sides.
            Assert.True(Counter(theirStats, "    Received: ") >= 1, theirStats + "\n" + ourStats);
            Assert.True(Counter(ourStats, "    Sent: ") >= 2, ourStats);
        }
        finally
        {
            keepalived.Terminate(TimeSpan.FromSeconds(5));
            keepsharp.Terminate(TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>Each line with its number removed: "    Sent: 3" becomes "    Sent: ".</summary>
    private static string[] Labels(string stats) => [.. stats.Split('\n').Select(l => Number().Replace(l, ""))];

    [GeneratedRegex(@"\d+$")]
    private static partial Regex Number();

    private static long Counter(string stats, string label) =>
        long.Parse(stats.Split('\n').First(l => l.StartsWith(label, StringComparison.Ordinal))[label.Length..]);

    private static string Signal(HostProcess daemon, int signal, string path, string? console)
    {
        File.Delete(path);
        daemon.Signal(signal);
        Assert.True(DaemonLab.WaitFor(() => File.Exists(path) && new FileInfo(path).Length > 0, TimeSpan.FromSeconds(5)),
            $"no {path} after signal {signal}\n{(console is null ? "" : Read(console))}");
        Thread.Sleep(50);
        return File.ReadAllText(path);
    }

    private static string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
}
