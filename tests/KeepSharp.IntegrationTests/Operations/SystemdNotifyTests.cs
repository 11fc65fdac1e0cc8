using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using KeepSharp.IntegrationTests.Daemon;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Operations;

/// <summary>
/// The native binary under systemd's Type=notify protocol, without systemd: NOTIFY_SOCKET names a datagram socket
/// this test listens on, and the daemon runs in a lab host (its own network and PID namespaces) as the unit runs it.
/// </summary>
public sealed class SystemdNotifyTests(ITestOutputHelper output)
{
    /// <summary>The priority-255 owner: master (its address installed) as soon as its instance starts.</summary>
    private static string OwnerConfig => DaemonLab.Config("keep_171", "MASTER", 255);

    [Fact]
    public void Ready_after_the_instance_is_up_then_watchdog_every_half_watchdog_sec_then_stopping_on_sigterm()
    {
        using var lab = new DaemonLab(output);
        LabHost host = lab.Topology.H171;
        using var listener = new Listener(Path.Combine(host.RunDir, "notify.sock"));
        using HostProcess daemon = Start(lab, host, listener.Path, "WATCHDOG_USEC=1000000");

        Listener.Message ready = listener.Next(TimeSpan.FromSeconds(10));
        // Checked the moment READY=1 arrives: the instance already holds its address.
        bool holdsVipAtReady = lab.Topology.HoldsVip(host);
        Assert.Equal("READY=1", ready.Text);
        Assert.True(holdsVipAtReady, "READY=1 arrived before the instance was up (the owner's address was not there yet)");

        // WATCHDOG=1 every WatchdogSec/2 = 500 ms, nothing else meanwhile.
        var watchdogs = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(3.2))
        {
            Listener.Message m = listener.Next(TimeSpan.FromSeconds(2));
            Assert.Equal("WATCHDOG=1", m.Text);
            watchdogs.Add(m.AtMs);
        }
        double[] gaps = [.. watchdogs.Zip(watchdogs.Skip(1), (a, b) => b - a)];
        output.WriteLine($"first WATCHDOG=1 {watchdogs[0] - ready.AtMs:0} ms after READY=1; gaps: {string.Join(", ", gaps.Select(g => g.ToString("0")))} ms");
        Assert.InRange(watchdogs[0] - ready.AtMs, 350, 750);
        Assert.InRange(watchdogs.Count, 6, 8);
        Assert.All(gaps, g => Assert.InRange(g, 250, 750));
        Assert.InRange(gaps.Average(), 450, 550);

        daemon.Signal(15); // SIGTERM
        Listener.Message stopping = listener.NextOtherThan("WATCHDOG=1", TimeSpan.FromSeconds(3));
        Assert.Equal("STOPPING=1", stopping.Text);
        Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(10)), "the daemon did not exit after SIGTERM");
        Assert.False(lab.Topology.HoldsVip(host), "the address was not released");
        string log = File.ReadAllText(Path.Combine(host.RunDir, "keepsharp.log"));
        Assert.Contains("systemd watchdog: WatchdogSec=1s, feeding it every 0.5s", log);
    }

    [Fact]
    public void A_reload_sends_reloading_with_the_monotonic_clock_then_ready_and_a_rejected_one_only_ready()
    {
        using var lab = new DaemonLab(output);
        LabHost host = lab.Topology.H171;
        using var listener = new Listener(Path.Combine(host.RunDir, "notify.sock"));
        using HostProcess daemon = Start(lab, host, listener.Path);
        Assert.Equal("READY=1", listener.Next(TimeSpan.FromSeconds(10)).Text);

        // An accepted configuration (another VIP): RELOADING=1 with MONOTONIC_USEC (systemd's Type=notify-reload), then READY=1.
        lab.WriteConfig(host, DaemonLab.Config("keep_171", "MASTER", 255, "10.51.0.161\n        10.51.0.169"));
        long before = Environment.TickCount64 * 1000;
        daemon.Signal(1); // SIGHUP
        string reloading = listener.Next(TimeSpan.FromSeconds(5)).Text;
        Assert.StartsWith("RELOADING=1\nMONOTONIC_USEC=", reloading);
        long usec = long.Parse(reloading.Split('\n')[1].Split('=')[1]);
        Assert.InRange(usec, before - 5_000_000, Environment.TickCount64 * 1000 + 5_000_000); // CLOCK_MONOTONIC, as TickCount64
        Assert.Equal("READY=1", listener.Next(TimeSpan.FromSeconds(5)).Text);
        Assert.True(DaemonLab.WaitFor(() => LabTopology.HoldsAddress(host, "10.51.0.169"), TimeSpan.FromSeconds(2)), "the reload's new VIP is not there");

        // A broken one: rejected before anything is applied, so no RELOADING=1; READY=1 says the daemon runs on.
        lab.WriteConfig(host, "vrrp_instance VI_1 {\n    virtual_router_id 300\n}\n");
        daemon.Signal(1);
        Assert.Equal("READY=1", listener.Next(TimeSpan.FromSeconds(5)).Text);
        Assert.True(lab.Topology.HoldsVip(host) && LabTopology.HoldsAddress(host, "10.51.0.169"), "a rejected reload changed the addresses");
        Assert.False(daemon.HasExited);
    }

    [Fact]
    public void Another_process_watchdog_pid_gets_ready_and_stopping_but_no_watchdog()
    {
        using var lab = new DaemonLab(output);
        LabHost host = lab.Topology.H171;
        using var listener = new Listener(Path.Combine(host.RunDir, "notify.sock"));
        // PID 1 of the lab host is its init, never the daemon.
        using HostProcess daemon = Start(lab, host, listener.Path, "WATCHDOG_USEC=400000", "WATCHDOG_PID=1");

        Assert.Equal("READY=1", listener.Next(TimeSpan.FromSeconds(10)).Text);
        Assert.True(listener.IsQuiet(TimeSpan.FromSeconds(1.5)), "a watchdog meant for another process was fed");

        daemon.Signal(15); // SIGTERM
        Assert.Equal("STOPPING=1", listener.Next(TimeSpan.FromSeconds(3)).Text);
        Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_notify_socket_nobody_listens_on_does_not_stop_the_daemon()
    {
        using var lab = new DaemonLab(output);
        LabHost host = lab.Topology.H171;
        string absent = Path.Combine(host.RunDir, "nobody.sock");
        using HostProcess daemon = Start(lab, host, absent, "WATCHDOG_USEC=200000");

        Assert.True(DaemonLab.WaitFor(() => lab.Topology.HoldsVip(host), TimeSpan.FromSeconds(6)), "no master");
        Thread.Sleep(600); // a few watchdog periods: failed sends are logged, not fatal
        Assert.False(daemon.HasExited, "the daemon exited");
        string log = File.ReadAllText(Path.Combine(host.RunDir, "keepsharp.log"));
        Assert.Contains($"systemd: cannot send READY=1 to {absent}", log);
        Assert.Single(log.Split('\n'), l => l.Contains("cannot send WATCHDOG=1", StringComparison.Ordinal));

        daemon.Signal(15); // SIGTERM
        Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(10)));
        Assert.False(lab.Topology.HoldsVip(host));
    }

    /// <summary>As keepsharp.service runs it: --dont-fork, with systemd's variables in its environment.</summary>
    private static HostProcess Start(DaemonLab lab, LabHost host, string notifySocket, params string[] environment)
    {
        string config = lab.WriteConfig(host, OwnerConfig);
        List<string> argv = ["env", $"NOTIFY_SOCKET={notifySocket}", .. environment,
            lab.Binary, "--dont-fork", "-l", "-D", "-f", config, "-p", Path.Combine(host.RunDir, "keepsharp.pid")];
        return host.Spawn("keepsharp", argv, Path.Combine(host.RunDir, "keepsharp.log"));
    }

    /// <summary>systemd's side: an AF_UNIX datagram socket at a path; each datagram with its arrival time.</summary>
    private sealed class Listener : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public Listener(string path)
        {
            Path = path;
            _socket.Bind(new UnixDomainSocketEndPoint(path));
        }

        public string Path { get; }

        public readonly record struct Message(string Text, double AtMs);

        public Message Next(TimeSpan timeout)
        {
            Assert.True(_socket.Poll(timeout, SelectMode.SelectRead), $"no notify message within {timeout.TotalSeconds:0.#} s");
            var buffer = new byte[4096];
            int n = _socket.Receive(buffer);
            return new Message(Encoding.ASCII.GetString(buffer, 0, n), _clock.Elapsed.TotalMilliseconds);
        }

        public Message NextOtherThan(string skipped, TimeSpan timeout)
        {
            var deadline = _clock.Elapsed + timeout;
            while (true)
            {
                TimeSpan left = deadline - _clock.Elapsed;
                Message m = Next(left > TimeSpan.Zero ? left : TimeSpan.Zero);
                if (m.Text != skipped)
                    return m;
            }
        }

        public bool IsQuiet(TimeSpan wait) => !_socket.Poll(wait, SelectMode.SelectRead);

        public void Dispose()
        {
            _socket.Dispose();
            File.Delete(Path);
        }
    }
}
