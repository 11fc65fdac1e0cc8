using KeepSharp.IntegrationTests.HealthChecks;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Chaos;

/// <summary>
/// kill -9 and SIGSTOP of a daemon in netns, with a client probing the VIP every 10 ms: the client-seen outage and the
/// time two hosts held the VIP, for KeepSharp (asserted) and keepalived 2.2.7 (the same scenario, printed alongside).
/// VRRPv3, advert_int 0.1: h171 priority 200 (master), h172 priority 100, Master_Down_Interval 361 ms.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CrashAndStallTests(ITestOutputHelper output)
{
    private const double AdvertInt = 0.1;
    private static readonly double MasterDownMs = ChaosLab.MasterDownMs(AdvertInt, 100);

    public static TheoryData<string> Daemons => new() { "keepsharp", "keepalived" };

    private static (ChaosLab Lab, LabDaemon Master, LabDaemon Backup) Elect(ITestOutputHelper output, DaemonKind kind)
    {
        var lab = new ChaosLab(output);
        try
        {
            LabDaemon master = lab.Start(lab.Topology.H171, kind, ChaosLab.Config("keep_171", "MASTER", 200, AdvertInt));
            LabDaemon backup = lab.Start(lab.Topology.H172, kind, ChaosLab.Config("keep_172", "BACKUP", 100, AdvertInt));
            lab.StartWatching();
            Assert.True(lab.WaitForSoleHolder(lab.Topology.H171, TimeSpan.FromSeconds(10)), $"h171 should be the sole VIP holder: {string.Join(",", lab.Holders())}");
            Assert.True(lab.WaitForClient(lab.Topology.H171, TimeSpan.FromSeconds(5)), "the client should be answered by keep_171");
            Thread.Sleep(500);
            return (lab, master, backup);
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    /// <summary>
    /// kill -9 of the whole daemon. keepalived is a parent (watchdog: it restarts its VRRP child) and the VRRP child:
    /// the child dies first, its parent at once after, before it can restart it. (Not SIGSTOP first: nsenter, the
    /// parent's parent, stops itself with a stopped child and would never reap it.)
    /// </summary>
    private static void Kill9(LabDaemon daemon)
    {
        int pid = daemon.Pid;
        Assert.True(pid > 0, "daemon not running");
        foreach (int child in daemon.Kind == DaemonKind.Keepalived ? TrackingLab.ChildrenOf(pid) : [])
            ChaosLab.Signal(child, ChaosLab.SIGKILL);
        ChaosLab.Signal(pid, ChaosLab.SIGKILL);
        Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(3)), "the daemon survived SIGKILL");
    }

    /// <summary>The process that runs VRRP: keepsharp itself, keepalived's VRRP child.</summary>
    private static int VrrpPid(LabDaemon daemon) =>
        daemon.Kind == DaemonKind.Keepalived ? Assert.Single(TrackingLab.ChildrenOf(daemon.Pid)) : daemon.Pid;

    [Theory]
    [MemberData(nameof(Daemons))]
    public void Kill9_of_the_master_the_backups_gratuitous_ARP_wins_the_client_back(string daemon)
    {
        var kind = LabDaemon.ParseKind(daemon);
        var (lab, master, _) = Elect(output, kind);
        using (lab)
        {
            double t0 = lab.Timeline.NowMs;
            Kill9(master);
            lab.Timeline.Log("test", $"SIGKILL to {daemon} on keep_171 (the VIP stays on its eth0)");
            bool taken = lab.WaitForClient(lab.Topology.H172, TimeSpan.FromSeconds(8));
            double outage = lab.OutageMs(t0, lab.Topology.H172);
            Thread.Sleep(300);
            Assert.True(LabTopology.HoldsAddress(lab.Topology.H171, lab.Topology.Vip), "the killed master's VIP should stay on its interface (nobody removes it)");
            double bound = MasterDownMs + 400;
            lab.Report("kill -9 master", daemon, outage, double.NaN,
                $"bound {bound:0} ms = Master_Down {MasterDownMs:0} + 400 (VIP stays on the dead host: dual by design)");
            if (kind == DaemonKind.KeepSharp)
            {
                Assert.True(taken, "the client should end up answered by keep_172 (its gratuitous ARP)");
                Assert.True(outage <= bound, $"outage {outage:0} ms > {bound:0} ms");
                Assert.True(LabTopology.HoldsAddress(lab.Topology.H172, lab.Topology.Vip), "keep_172 should hold the VIP");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Daemons))]
    public void Kill9_of_the_backup_causes_no_outage(string daemon)
    {
        var kind = LabDaemon.ParseKind(daemon);
        var (lab, _, backup) = Elect(output, kind);
        using (lab)
        {
            double t0 = lab.Timeline.NowMs;
            Kill9(backup);
            lab.Timeline.Log("test", $"SIGKILL to {daemon} on keep_172 (the backup)");
            Thread.Sleep(2000);
            double t1 = lab.Timeline.NowMs;
            double gap = lab.Probe!.LongestGap(t0, t1);
            int failed = lab.FailedRequests(t0, t1);
            double dual = lab.DualHoldingMs(t0, t1);
            const double bound = 250;
            lab.Report("kill -9 backup", daemon, gap, dual, $"{failed} failed requests; bound: none failed, longest gap between answers <= {bound:0} ms, h171 keeps the VIP");
            if (kind == DaemonKind.KeepSharp)
            {
                Assert.Equal(0, failed);
                Assert.True(gap <= bound, $"longest gap in the client's answers {gap:0} ms > {bound} ms");
                Assert.Equal(0, dual);
                Assert.True(lab.WaitForSoleHolder(lab.Topology.H171, TimeSpan.FromSeconds(1)), "keep_171 should still be the sole holder");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Daemons))]
    public void SIGSTOP_of_the_master_for_twice_Master_Down_then_SIGCONT_ends_dual_holding_within_an_advert_interval(string daemon)
    {
        var kind = LabDaemon.ParseKind(daemon);
        var (lab, master, _) = Elect(output, kind);
        using (lab)
        {
            int pid = VrrpPid(master);
            double t0 = lab.Timeline.NowMs;
            ChaosLab.Signal(pid, ChaosLab.SIGSTOP);
            lab.Timeline.Log("test", $"SIGSTOP to {daemon} on keep_171 for {2 * MasterDownMs:0} ms");
            Thread.Sleep(TimeSpan.FromMilliseconds(2 * MasterDownMs));
            double t1 = lab.Timeline.NowMs;
            bool backupHeld = LabTopology.HoldsAddress(lab.Topology.H172, lab.Topology.Vip);
            ChaosLab.Signal(pid, ChaosLab.SIGCONT);
            ChaosLab.ContinueParent(pid);
            lab.Timeline.Log("test", $"SIGCONT to {daemon} on keep_171");
            bool sole = lab.WaitForSoleHolder(lab.Topology.H171, TimeSpan.FromSeconds(5));
            Thread.Sleep(1500);
            double t2 = lab.Timeline.NowMs;
            double dualAfterCont = lab.LastDualEndMs(t1, t2) - t1;
            double takeover = lab.OutageMs(t0, lab.Topology.H172);
            double gapAfterCont = lab.Probe!.LongestGap(t1, t2);
            bool clientBack = lab.Probe.LastAnswersFrom("keep_171", 3);
            double bound = AdvertInt * 1000 + 300;
            double dualStopped = lab.DualHoldingMs(t0, t1);
            lab.Report("SIGSTOP master 2xMDI, SIGCONT", daemon, Math.Max(takeover, gapAfterCont), dualAfterCont,
                $"takeover {takeover:0} ms, gap after SIGCONT {gapAfterCont:0} ms; dual while stopped {dualStopped:0} ms (by design); bound: dual after SIGCONT <= {bound:0} ms = advert_int + 300");
            if (kind == DaemonKind.KeepSharp)
            {
                Assert.True(backupHeld, "keep_172 should have taken the VIP while keep_171 was stopped");
                Assert.True(sole, $"keep_171 (priority 200) should be the sole holder after SIGCONT: {string.Join(",", lab.Holders())}");
                Assert.True(dualAfterCont <= bound, $"dual holding lasted {dualAfterCont:0} ms after SIGCONT, bound {bound:0} ms");
                Assert.True(clientBack, "the client should be answered by keep_171 again");
                Assert.True(gapAfterCont <= 1000, $"the client saw a {gapAfterCont:0} ms gap after SIGCONT");
            }
        }
    }
}
