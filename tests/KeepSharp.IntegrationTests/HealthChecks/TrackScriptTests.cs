using System.Diagnostics;
using System.Net;
using KeepSharp.IntegrationTests.Daemon;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.HealthChecks;

/// <summary>
/// vrrp_script and track_script with the real daemon in the netns lab: weights move the election, weight 0
/// faults, a hanging script is killed at its (default) timeout and the trap is named, an unusable script
/// counts as failing, no zombies, and a keepalived backup takes over from a keepsharp master as from its own.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TrackScriptTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(DaemonKind.KeepSharp)]
    [InlineData(DaemonKind.Keepalived)]
    public void A_failing_weighted_script_hands_the_vip_to_the_backup_and_takes_it_back_after_rise(DaemonKind backupKind)
    {
        using var lab = new DaemonLab(output);
        LabTopology topology = lab.Topology;
        LabHost master = topology.H171, backup = topology.H172;
        string script = TrackingLab.FlagScript(master);
        string prefix = TrackingLab.VrrpScript("chk", script, "interval 1\n    weight -60\n    fall 2\n    rise 2");
        LabDaemon m = lab.StartKeepSharp(master, TrackingLab.Config("keep_171", "MASTER", 150, prefix, "track_script {\n        chk\n    }"));
        Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(master), TimeSpan.FromSeconds(6)), $"no master:\n{lab.Log(m)}");
        LabDaemon b = StartBackup(lab, backup, backupKind, DaemonLab.Config("keep_172", "BACKUP", 100));
        Thread.Sleep(2500);
        Assert.False(topology.HoldsVip(backup), "the backup took the VIP from a healthy master");

        var clock = Stopwatch.StartNew();
        File.WriteAllText(TrackingLab.FailFlag(master), "");
        Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(backup) && !topology.HoldsVip(master), TimeSpan.FromSeconds(12)),
            $"the backup should take over:\n{lab.Log(m)}\n---\n{lab.Log(b)}");
        double takeover = clock.Elapsed.TotalSeconds;
        lab.Timeline.Log("test", $"takeover {takeover:0.00} s after the flag");
        // fall × interval (2 s) + up to one interval of phase + Master_Down_Interval (3 × 1 + skew) + margin.
        Assert.InRange(takeover, 1.0, 2 + 1 + 3.7 + 2);
        Assert.Contains("VRRP_Script(chk) failed (exited with status 1)", lab.Log(m));
        Assert.Contains("(VI_1) Changing effective priority from 150 to 90", lab.Log(m));

        clock.Restart();
        File.Delete(TrackingLab.FailFlag(master));
        Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(master) && !topology.HoldsVip(backup), TimeSpan.FromSeconds(10)),
            $"the master should take the VIP back after rise:\n{lab.Log(m)}");
        double failback = clock.Elapsed.TotalSeconds;
        lab.Timeline.Log("test", $"failback {failback:0.00} s after the flag went");
        // rise × interval (2 s) + phase + one advert interval for the backup to hear 150 and the master to preempt.
        Assert.InRange(failback, 1.0, 2 + 1 + 1 + 2.5);
        Assert.Contains("VRRP_Script(chk) succeeded", lab.Log(m));
        Assert.True(TrackingLab.ZombieChildren(m.Pid) == 0, "the daemon has zombie children");
    }

    [Fact]
    public void A_failing_weight_0_script_puts_the_master_in_fault_and_silences_it()
    {
        using var lab = new DaemonLab(output);
        LabTopology topology = lab.Topology;
        LabHost master = topology.H171, backup = topology.H172;
        using var adverts = new AdvertWatcher(topology.ClientNs, topology.ClientAddress, lab.Timeline, a => a.ToString());
        adverts.Start();
        string script = TrackingLab.FlagScript(master);
        LabDaemon m = lab.StartKeepSharp(master, TrackingLab.Config("keep_171", "MASTER", 150,
            TrackingLab.VrrpScript("chk", script, "interval 1"), "track_script {\n        chk\n    }"));
        Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(master), TimeSpan.FromSeconds(6)), $"no master:\n{lab.Log(m)}");
        LabDaemon b = lab.StartKeepSharp(backup, DaemonLab.Config("keep_172", "BACKUP", 100));
        Thread.Sleep(2000);

        // A weight-0 script holds the instance in FAULT until its first result (keepalived's num_script_init).
        int faultsBefore = Faults(lab.Log(m));
        File.WriteAllText(TrackingLab.FailFlag(master), "");
        Assert.True(DaemonLab.WaitFor(() => Faults(lab.Log(m)) > faultsBefore, TimeSpan.FromSeconds(4)), lab.Log(m));
        double fault = lab.Timeline.NowMs;
        Assert.True(DaemonLab.WaitFor(() => !topology.HoldsVip(master), TimeSpan.FromSeconds(1)), "the VIP stayed on the faulty master");
        Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(backup), TimeSpan.FromSeconds(6)), $"the backup should take over:\n{lab.Log(b)}");
        Thread.Sleep(3000);
        IPAddress source = IPAddress.Parse(master.Address);
        Advert[] late = [.. adverts.Snapshot().Where(a => a.Source.Equals(source) && a.AtMs > fault + 500)];
        Assert.True(late.Length == 0, $"the master in FAULT (at {fault:0} ms) sent {late.Length} adverts: {string.Join(", ", late)}");

        File.Delete(TrackingLab.FailFlag(master));
        Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(master), TimeSpan.FromSeconds(8)), $"the master should come back:\n{lab.Log(m)}");
    }

    [Fact]
    public void A_hanging_script_is_killed_at_its_default_timeout_and_the_log_names_the_trap_once()
    {
        using var lab = new DaemonLab(output);
        LabHost host = lab.Topology.H171;
        string marker = $"hang-{lab.Topology.RunId}";
        string script = TrackingLab.Script(host, "hang.sh", $"exec sleep 30 # {marker}");
        LabDaemon d = lab.StartKeepSharp(host, TrackingLab.Config("keep_171", "MASTER", 150,
            TrackingLab.VrrpScript("check_nginx_alive", script, "interval 2\n    weight -20"), "track_script {\n        check_nginx_alive\n    }"));

        Assert.True(DaemonLab.WaitFor(() => lab.Log(d).Contains("was killed after"), TimeSpan.FromSeconds(10)), lab.Log(d));
        Thread.Sleep(4500);
        string log = lab.Log(d);
        string trap = Assert.Single(log.Split('\n'), l => l.Contains("was killed after", StringComparison.Ordinal));
        Assert.Contains("(check_nginx_alive)", trap);
        Assert.Contains("its timeout defaulted to its interval (2 s)", trap);
        Assert.Contains("add 'timeout 4'", trap);
        Assert.Contains("keepalived.conf:", trap);
        Assert.Contains("VRRP_Script(check_nginx_alive) timed_out", log);
        Assert.Contains("(VI_1) Changing effective priority from 150 to 130", log);
        Assert.Equal(0, TrackingLab.ZombieChildren(d.Pid));
        Assert.True(TrackingLab.ProcessesMatching(marker) <= 1, "more than one run of the hanging script at a time");

        Assert.True(d.StopGracefully(TimeSpan.FromSeconds(5)), "the daemon did not stop");
        Assert.True(DaemonLab.WaitFor(() => TrackingLab.ProcessesMatching(marker) == 0, TimeSpan.FromSeconds(2)), "a script outlived the daemon");
    }

    [Fact]
    public void An_unusable_script_counts_as_failing_and_is_logged_loudly()
    {
        using var lab = new DaemonLab(output);
        LabHost host = lab.Topology.H171;
        string missing = Path.Combine(host.RunDir, "no-such-check.sh");
        LabDaemon d = lab.StartKeepSharp(host, TrackingLab.Config("keep_171", "MASTER", 150,
            TrackingLab.VrrpScript("chk", missing, "interval 1"), "track_script {\n        chk\n    }"));

        Assert.True(DaemonLab.WaitFor(() => lab.Log(d).Contains("(VI_1) Entering FAULT STATE"), TimeSpan.FromSeconds(5)), lab.Log(d));
        string log = lab.Log(d);
        Assert.Contains($"vrrp_script chk ({missing}) cannot be run", log);
        Assert.Contains("KeepSharp counts it as FAILING", log);
        Thread.Sleep(1500);
        Assert.False(lab.Topology.HoldsVip(host), "an instance tracking an unusable weight-0 script must not be master");
    }

    private static int Faults(string log) => log.Split("(VI_1) Entering FAULT STATE").Length - 1;

    private static LabDaemon StartBackup(DaemonLab lab, LabHost host, DaemonKind kind, string config)
    {
        if (kind == DaemonKind.KeepSharp)
            return lab.StartKeepSharp(host, config);
        Assert.True(File.Exists("/usr/sbin/keepalived"), "keepalived 2.2.7 is needed at /usr/sbin/keepalived");
        var daemon = LabDaemon.Create(DaemonKind.Keepalived, host, lab.WriteConfig(host, config), lab.Binary, lab.Timeline);
        lab.Track(daemon);
        daemon.Start();
        return daemon;
    }
}
