using KeepSharp.IntegrationTests.Daemon;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.HealthChecks;

/// <summary>track_interface with the real daemon: a tracked dummy link going down faults the master (weight 0) or lowers it (weighted).</summary>
public sealed class TrackInterfaceTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("", "(VI_1) Entering FAULT STATE")]
    [InlineData(" weight -60", "(VI_1) Changing effective priority from 150 to 90")]
    public void A_tracked_interface_going_down_hands_the_vip_to_the_backup_and_back(string weight, string expected)
    {
        using var lab = new DaemonLab(output);
        LabTopology topology = lab.Topology;
        LabHost master = topology.H171, backup = topology.H172;
        // A veth pair inside the host (no dummy module here): trk0 is up and running while both ends are up.
        Sh.Run("ip", "-n", master.Netns, "link", "add", "trk0", "type", "veth", "peer", "name", "trk1");
        Sh.Run("ip", "-n", master.Netns, "link", "set", "trk1", "up");
        Sh.Run("ip", "-n", master.Netns, "link", "set", "trk0", "up");
        LabDaemon m = lab.StartKeepSharp(master, DaemonLab.Config("keep_171", "MASTER", 150, extra: $"track_interface {{\n        trk0{weight}\n    }}"));
        Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(master), TimeSpan.FromSeconds(6)), $"no master:\n{lab.Log(m)}");
        LabDaemon b = lab.StartKeepSharp(backup, DaemonLab.Config("keep_172", "BACKUP", 100));
        Thread.Sleep(2000);
        Assert.False(topology.HoldsVip(backup));

        Sh.Run("ip", "-n", master.Netns, "link", "set", "trk0", "down");
        Assert.True(DaemonLab.WaitFor(() => lab.Log(m).Contains(expected), TimeSpan.FromSeconds(2)), lab.Log(m));
        Assert.Contains("Tracked interface trk0 is down", lab.Log(m));
        Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(backup) && !topology.HoldsVip(master), TimeSpan.FromSeconds(6)),
            $"the backup should take over:\n{lab.Log(m)}\n---\n{lab.Log(b)}");

        Sh.Run("ip", "-n", master.Netns, "link", "set", "trk0", "up");
        Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(master) && !topology.HoldsVip(backup), TimeSpan.FromSeconds(8)),
            $"the master should come back when trk0 is up:\n{lab.Log(m)}");
    }
}
