using System.Diagnostics;
using KeepSharp.IntegrationTests.Daemon;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.HealthChecks;

/// <summary>
/// vrrp_track_file with the real daemon in the netns lab: the file's value × weight moves the master's priority
/// below the backup's and the VIP moves (to a keepsharp or a keepalived backup), and back when the value returns
/// to 0; with weight 0 a non-zero value is FAULT.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TrackFileTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(DaemonKind.KeepSharp)]
    [InlineData(DaemonKind.Keepalived)]
    public void A_file_value_times_weight_below_the_backup_moves_the_vip_and_back(DaemonKind backupKind)
    {
        using var lab = new DaemonLab(output);
        LabTopology topology = lab.Topology;
        LabHost master = topology.H171, backup = topology.H172;
        string file = Path.Combine(master.RunDir, "tf.value");
        File.WriteAllText(file, "0\n");
        string prefix = $"vrrp_track_file tf {{\n    file {file}\n    weight 10\n}}";
        LabDaemon m = lab.StartKeepSharp(master, TrackingLab.FullConfig("keep_171", "MASTER", 150, prefix: prefix, extra: "track_file {\n        tf\n    }"));
        Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(master), TimeSpan.FromSeconds(6)), $"no master:\n{lab.Log(m)}");
        LabDaemon b = TrackingLab.Start(lab, backup, backupKind, DaemonLab.Config("keep_172", "BACKUP", 100));
        Thread.Sleep(2500);
        Assert.False(topology.HoldsVip(backup), "the backup took the VIP from a healthy master");

        var clock = Stopwatch.StartNew();
        File.WriteAllText(file, "-6\n"); // 150 + (-6 × 10) = 90 < 100
        Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(backup) && !topology.HoldsVip(master), TimeSpan.FromSeconds(6)),
            $"the backup should take over:\n{lab.Log(m)}\n---\n{lab.Log(b)}");
        double takeover = clock.Elapsed.TotalSeconds;
        Assert.Contains("(VI_1) Changing effective priority from 150 to 90", lab.Log(m));

        clock.Restart();
        File.WriteAllText(file, "0\n");
        Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(master) && !topology.HoldsVip(backup), TimeSpan.FromSeconds(6)),
            $"the master should take the VIP back:\n{lab.Log(m)}");
        double failback = clock.Elapsed.TotalSeconds;
        lab.Timeline.Log("test", $"track_file keepsharp/{backupKind}: takeover {takeover:0.00} s, failback {failback:0.00} s");
        // inotify is immediate; the master's next advert (≤ 1 s) carries 90, which a preempting backup ignores
        // (RFC 3768 6.4.2, as keepalived): it takes over at its Master_Down_Interval (3 × 1 s + skew ≈ 3.6 s).
        // Failback likewise: the 150 router, now backup, ignores the 100 master's adverts until its own timer.
        Assert.InRange(takeover, 2.5, 1 + 3.7 + 1.5);
        Assert.InRange(failback, 2.5, 1 + 3.7 + 1.5);
    }

    [Fact]
    public void With_weight_0_a_non_zero_value_is_fault_and_zero_recovers()
    {
        using var lab = new DaemonLab(output);
        LabTopology topology = lab.Topology;
        LabHost master = topology.H171, backup = topology.H172;
        string file = Path.Combine(master.RunDir, "tf.value");
        File.WriteAllText(file, "0\n");
        string prefix = $"vrrp_track_file tf {{\n    file {file}\n    weight 0\n}}";
        LabDaemon m = lab.StartKeepSharp(master, TrackingLab.FullConfig("keep_171", "MASTER", 150, prefix: prefix, extra: "track_file {\n        tf\n    }"));
        Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(master), TimeSpan.FromSeconds(6)), $"no master:\n{lab.Log(m)}");
        LabDaemon b = lab.StartKeepSharp(backup, DaemonLab.Config("keep_172", "BACKUP", 100));
        Thread.Sleep(2000);

        File.WriteAllText(file, "1\n");
        Assert.True(DaemonLab.WaitFor(() => lab.Log(m).Contains("(VI_1) Entering FAULT STATE", StringComparison.Ordinal), TimeSpan.FromSeconds(3)), lab.Log(m));
        Assert.True(DaemonLab.WaitFor(() => !topology.HoldsVip(master) && topology.HoldsVip(backup), TimeSpan.FromSeconds(6)),
            $"the backup should take over from the faulty master:\n{lab.Log(b)}");

        File.WriteAllText(file, "0\n");
        Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(master) && !topology.HoldsVip(backup), TimeSpan.FromSeconds(8)),
            $"the master should come back:\n{lab.Log(m)}");
    }
}
