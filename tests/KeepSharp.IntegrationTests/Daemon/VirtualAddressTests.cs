using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Daemon;

/// <summary>Virtual addresses on the real kernel: prefix, label, device; released on stop; leftovers of a crash removed.</summary>
public sealed class VirtualAddressTests(ITestOutputHelper output)
{
    [Fact]
    public void Master_installs_prefix_and_label_and_releases_everything_on_SIGTERM()
    {
        using var lab = new DaemonLab(output);
        LabHost host = lab.Topology.H171;
        LabDaemon daemon = lab.StartKeepSharp(host, DaemonLab.Config("keep_171", "MASTER", 100,
            "10.51.0.161/24 dev eth0 label eth0:vip\n        10.51.0.162"));

        Assert.True(DaemonLab.WaitFor(() => lab.Addresses(host).Contains("10.51.0.162/32"), TimeSpan.FromSeconds(6)),
            $"the master did not install its addresses:\n{lab.Addresses(host)}\n{lab.Log(daemon)}");
        string addresses = lab.Addresses(host);
        Assert.Contains("inet 10.51.0.161/24", addresses);
        Assert.Matches(@"inet 10\.51\.0\.161/24 .*eth0:vip", addresses);
        Assert.True(File.Exists(daemon.PidFile), "pid file missing while running");

        Assert.True(daemon.StopGracefully(TimeSpan.FromSeconds(5)), "keepsharp did not exit after SIGTERM");
        addresses = lab.Addresses(host);
        Assert.DoesNotContain("10.51.0.161", addresses);
        Assert.DoesNotContain("10.51.0.162", addresses);
        Assert.Contains("inet 10.51.0.171/24", addresses);
        Assert.False(File.Exists(daemon.PidFile), "pid file left behind after a clean stop");
        Assert.Contains("(VI_1) sent 0 priority", lab.Log(daemon));
    }

    [Fact]
    public void Addresses_left_by_a_killed_daemon_are_removed_at_the_next_start()
    {
        using var lab = new DaemonLab(output);
        LabHost master = lab.Topology.H171;
        LabHost backup = lab.Topology.H172;
        lab.StartKeepSharp(master, DaemonLab.Config("keep_171", "MASTER", 100));
        Assert.True(DaemonLab.WaitFor(() => lab.Topology.HoldsVip(master), TimeSpan.FromSeconds(6)), "no master elected");

        // A crashed run on the backup host left the VIP behind.
        Sh.Run("ip", "-n", backup.Netns, "addr", "add", "10.51.0.161/32", "dev", "eth0");
        LabDaemon restarted = lab.StartKeepSharp(backup, DaemonLab.Config("keep_172", "BACKUP", 80));

        Assert.True(DaemonLab.WaitFor(() => !lab.Topology.HoldsVip(backup), TimeSpan.FromSeconds(2)),
            $"the leftover VIP is still on the backup:\n{lab.Log(restarted)}");
        Assert.Contains("removed leftover address 10.51.0.161/32", lab.Log(restarted));
        Thread.Sleep(1500);
        Assert.True(lab.Topology.HoldsVip(master), "the master lost the VIP");
        Assert.False(lab.Topology.HoldsVip(backup), "the backup took the VIP");
        Assert.Contains("(VI_1) Entering BACKUP STATE", lab.Log(restarted));
        Assert.DoesNotContain("Entering MASTER STATE", lab.Log(restarted));
    }
}
