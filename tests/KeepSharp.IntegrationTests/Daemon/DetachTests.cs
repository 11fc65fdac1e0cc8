using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Daemon;

/// <summary>Operated like keepalived: forks into the background without -n, one daemon per pid file, GARP on becoming master.</summary>
public sealed class DetachTests(ITestOutputHelper output)
{
    [Fact]
    public void Without_dont_fork_it_detaches_and_a_second_start_is_refused()
    {
        using var lab = new DaemonLab(output);
        LabHost host = lab.Topology.H171;
        string config = lab.WriteConfig(host, DaemonLab.Config("keep_171", "MASTER", 100));
        string pidFile = Path.Combine(host.RunDir, "detached.pid");

        ShResult start = host.Exec(lab.Binary, "-f", config, "-p", pidFile, "-G");
        Assert.Equal(0, start.ExitCode);
        Assert.True(DaemonLab.WaitFor(() => File.Exists(pidFile), TimeSpan.FromSeconds(3)), "no pid file from the detached daemon");
        string pid = File.ReadAllText(pidFile).Trim();
        try
        {
            Assert.True(DaemonLab.WaitFor(() => lab.Topology.HoldsVip(host), TimeSpan.FromSeconds(6)), "the detached daemon did not become master");
            // Its own session: detached from the caller's terminal and process group.
            string session = host.Exec("ps", "-o", "sid=", "-p", pid).StdOut.Trim();
            Assert.Equal(pid, session);

            ShResult second = host.Exec(lab.Binary, "-n", "-l", "-f", config, "-p", pidFile);
            Assert.Equal(0, second.ExitCode);
            Assert.Contains($"daemon is already running (pid {pid}", second.StdOut);
            Assert.Equal(pid, File.ReadAllText(pidFile).Trim());
            Assert.True(lab.Topology.HoldsVip(host), "the refused second start disturbed the master");
        }
        finally
        {
            host.Exec("kill", "-TERM", pid);
        }
        Assert.True(DaemonLab.WaitFor(() => !File.Exists(pidFile), TimeSpan.FromSeconds(5)), "pid file not removed on SIGTERM");
        Assert.False(lab.Topology.HoldsVip(host), "the address was not released on SIGTERM");
    }

    [Fact]
    public void Becoming_master_sends_five_gratuitous_arps_then_five_more_after_garp_master_delay()
    {
        using var lab = new DaemonLab(output);
        using var capture = new System.Diagnostics.Process
        {
            StartInfo = new System.Diagnostics.ProcessStartInfo("ip",
                ["netns", "exec", lab.Topology.ClientNs, "tcpdump", "-l", "-nn", "-e", "-i", "eth0", "arp and src host 10.51.0.161"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            },
        };
        var frames = new List<(double Ms, string Line)>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        capture.OutputDataReceived += (_, e) => { if (e.Data is { } line) lock (frames) frames.Add((clock.Elapsed.TotalMilliseconds, line)); };
        capture.Start();
        capture.BeginOutputReadLine();
        try
        {
            Thread.Sleep(1000); // tcpdump attaches
            LabDaemon daemon = lab.StartKeepSharp(lab.Topology.H171, DaemonLab.Config("keep_171", "MASTER", 100));
            Assert.True(DaemonLab.WaitFor(() => lab.Topology.HoldsVip(lab.Topology.H171), TimeSpan.FromSeconds(6)), "no master");
            Assert.True(DaemonLab.WaitFor(() => { lock (frames) return frames.Count >= 10; }, TimeSpan.FromSeconds(8)),
                $"expected 10 gratuitous ARPs, saw {frames.Count}:\n{string.Join('\n', frames)}");
        }
        finally
        {
            capture.Kill();
            capture.WaitForExit();
        }
        lock (frames)
        {
            foreach (var f in frames)
                output.WriteLine($"{f.Ms:0} ms {f.Line}");
            Assert.All(frames, f =>
            {
                Assert.Contains("ff:ff:ff:ff:ff:ff", f.Line);
                // Byte for byte what keepalived 2.2.7 sends (captured the same way): an ARP request for the
                // address from the address, target hardware address broadcast, 42 bytes.
                Assert.Contains("ethertype ARP (0x0806), length 42: Request who-has 10.51.0.161 (ff:ff:ff:ff:ff:ff) tell 10.51.0.161, length 28", f.Line);
            });
            double firstBurst = frames[4].Ms - frames[0].Ms;
            double delay = frames[5].Ms - frames[0].Ms;
            Assert.True(firstBurst < 200, $"the first five were spread over {firstBurst:0} ms");
            Assert.InRange(delay, 4800, 5400);
        }
    }
}
