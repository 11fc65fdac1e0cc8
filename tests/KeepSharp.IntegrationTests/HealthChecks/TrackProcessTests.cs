using System.Diagnostics;
using KeepSharp.IntegrationTests.Daemon;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.HealthChecks;

/// <summary>
/// vrrp_track_process with the real daemon in the netns lab: a tracked process (a copy of sleep under a name of
/// its own, so nothing else on the machine matches, started inside the lab host: the daemon sees that host's pid
/// namespace) dies, its weight moves the VIP to the backup (keepsharp or
/// keepalived), or with weight 0 the master goes to FAULT; the process comes back and the master recovers.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TrackProcessTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(DaemonKind.KeepSharp, -60)]
    [InlineData(DaemonKind.Keepalived, -60)]
    [InlineData(DaemonKind.KeepSharp, 0)]
    public void A_dead_tracked_process_moves_the_vip_and_its_return_brings_it_back(DaemonKind backupKind, int weight)
    {
        using var lab = new DaemonLab(output);
        LabTopology topology = lab.Topology;
        LabHost master = topology.H171, backup = topology.H172;
        string name = $"kstp{topology.RunId}"[..Math.Min(15, 4 + topology.RunId.Length)];
        string binary = Path.Combine(master.RunDir, name);
        File.Copy("/bin/sleep", binary, overwrite: true);
        File.SetUnixFileMode(binary, (UnixFileMode)0b111_101_101);
        HostProcess tracked = master.Spawn("tracked", [binary, "600"], Path.Combine(master.RunDir, "tracked.log"));
        try
        {
            string prefix = $"vrrp_track_process tp {{\n    process {name}\n    weight {weight}\n}}";
            LabDaemon m = lab.StartKeepSharp(master, TrackingLab.FullConfig("keep_171", "MASTER", 150, prefix: prefix, extra: "track_process {\n        tp\n    }"));
            Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(master), TimeSpan.FromSeconds(6)), $"no master:\n{lab.Log(m)}");
            LabDaemon b = TrackingLab.Start(lab, backup, backupKind, DaemonLab.Config("keep_172", "BACKUP", 100));
            Thread.Sleep(2500);
            Assert.False(topology.HoldsVip(backup), "the backup took the VIP from a healthy master");

            var clock = Stopwatch.StartNew();
            tracked.Signal(9);
            Assert.True(tracked.WaitForExit(TimeSpan.FromSeconds(5)), "the tracked process did not die");
            Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(backup) && !topology.HoldsVip(master), TimeSpan.FromSeconds(8)),
                $"the backup should take over:\n{lab.Log(m)}\n---\n{lab.Log(b)}");
            double takeover = clock.Elapsed.TotalSeconds;
            Assert.Contains(weight == 0 ? "(VI_1) Entering FAULT STATE" : "(VI_1) Changing effective priority from 150 to 90", lab.Log(m));

            clock.Restart();
            tracked.Dispose();
            tracked = master.Spawn("tracked", [binary, "600"], Path.Combine(master.RunDir, "tracked.log"));
            Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(master) && !topology.HoldsVip(backup), TimeSpan.FromSeconds(8)),
                $"the master should take the VIP back:\n{lab.Log(m)}");
            double failback = clock.Elapsed.TotalSeconds;
            lab.Timeline.Log("test", $"track_process keepsharp/{backupKind} weight {weight}: takeover {takeover:0.00} s, failback {failback:0.00} s");
            // /proc is read once a second; then the preempting side waits its Master_Down_Interval (≈ 3.6 s), unless
            // the master leaves for FAULT (it resigns with priority 0: the backup takes over after its skew time).
            Assert.InRange(takeover, 0, 1 + 3.7 + 1.5);
            Assert.InRange(failback, 0, 1 + 3.7 + 1.5);
        }
        finally
        {
            tracked.Dispose();
        }
    }
}
