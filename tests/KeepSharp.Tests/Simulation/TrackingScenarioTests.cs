using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Sync;
using KeepSharp.Vrrp.Tracking;

namespace KeepSharp.Tests.Simulation;

/// <summary>Health checks moving the VIP on the simulated LAN, in virtual time, through the shipped tracking types.</summary>
public sealed class TrackingScenarioTests
{
    private static readonly VrrpAddress A = VrrpAddress.Parse("10.0.0.1");
    private static readonly VrrpAddress B = VrrpAddress.Parse("10.0.0.2");
    private static long S(double seconds) => TimeSpan.FromSeconds(seconds).Ticks;

    /// <summary>One script on node <paramref name="node"/>, fed results through ScriptResultTracker and InstanceTracking.</summary>
    private sealed class ScriptCheck(SimulatedLan lan, SimulatedNode node, int weight, int rise = 1, int fall = 1)
    {
        public ScriptResultTracker Script { get; } = new(rise, fall);
        public InstanceTracking Tracking { get; } = new(node.Router.Settings.Priority, [new TrackedObject(TrackerKind.Script, "chk", weight)]);

        public void Report(bool success) => lan.Act(() =>
        {
            if (Script.Report(success) && Tracking.Update(TrackerKind.Script, "chk", Script.Status))
                Tracking.ApplyTo(node.Router);
        });
    }

    private static (SimulatedLan Lan, SimulatedNode Master, SimulatedNode Backup) Pair(byte master, byte backup)
    {
        var lan = new SimulatedLan(seed: 7);
        SimulatedNode m = lan.Add(master, A), b = lan.Add(backup, B);
        lan.StartAll();
        lan.RunFor(TimeSpan.FromSeconds(5));
        Assert.Equal((VrrpState.Master, VrrpState.Backup), (m.State, b.State));
        return (lan, m, b);
    }

    [Fact]
    public void A_failing_script_with_negative_weight_moves_the_vip_and_preemption_brings_it_back()
    {
        (SimulatedLan lan, SimulatedNode master, SimulatedNode backup) = Pair(100, 90);
        var check = new ScriptCheck(lan, master, weight: -20);
        check.Report(true);
        Assert.Equal(100, master.Priority);

        long failed = lan.Now;
        check.Report(false);
        Assert.Equal(80, master.Priority);
        Assert.Equal(VrrpState.Master, master.State); // keepalived's master sends nothing at once
        // The backup ignores adverts of 80 and takes over when its Master_Down_Timer runs out.
        lan.RunFor(TimeSpan.FromSeconds(5));
        long takeover = backup.Transitions.Single(t => t.To == VrrpState.Master).Time;
        Assert.InRange(takeover - failed, 1, lan.MasterDownTicks(backup) + lan.MaxDelay);
        Assert.Equal(VrrpState.Backup, master.State);
        Assert.True(backup.HoldsAddresses && !master.HoldsAddresses);

        long recovered = lan.Now;
        check.Report(true);
        lan.RunFor(TimeSpan.FromSeconds(5));
        long back = master.Transitions.Last(t => t.To == VrrpState.Master).Time;
        Assert.InRange(back - recovered, 1, lan.MasterDownTicks(master) + lan.MaxDelay);
        Assert.Equal((VrrpState.Master, VrrpState.Backup), (master.State, backup.State));
    }

    [Fact]
    public void A_weight_zero_failure_faults_the_master_which_releases_the_vip_and_falls_silent()
    {
        (SimulatedLan lan, SimulatedNode master, SimulatedNode backup) = Pair(100, 90);
        var check = new ScriptCheck(lan, master, weight: 0, fall: 2);
        check.Report(true);
        check.Report(false);
        Assert.Equal(VrrpState.Master, master.State); // fall 2: one failure is not enough
        long failed = lan.Now;
        check.Report(false);
        Assert.Equal(VrrpState.Fault, master.State);
        Assert.False(master.HoldsAddresses);
        int sent = lan.Trace.Count(l => l.EndsWith($" {master.Name} send p0", StringComparison.Ordinal));
        Assert.Equal(1, sent);
        lan.RunFor(TimeSpan.FromSeconds(10));
        // The priority-0 advert lets the backup take over after Skew_Time, not Master_Down_Interval.
        long takeover = backup.Transitions.Single(t => t.To == VrrpState.Master).Time;
        Assert.InRange(takeover - failed, 1, backup.Router.SkewTime.Ticks + lan.MaxDelay);
        // Silent in FAULT: nothing sent after the resignation.
        Assert.DoesNotContain(lan.Trace, l => long.Parse(l.Split(' ')[0]) > failed && l.Contains($" {master.Name} send", StringComparison.Ordinal));

        check.Report(true);
        lan.RunFor(TimeSpan.FromSeconds(10));
        Assert.Equal((VrrpState.Master, VrrpState.Backup), (master.State, backup.State)); // back, by preemption
    }

    [Fact]
    public void The_seeds_trap_a_positive_weight_too_small_never_moves_the_vip()
    {
        // weight 10 on master 100: 110 while succeeding, 100 while failing; still above the backup's 80.
        (SimulatedLan lan, SimulatedNode master, SimulatedNode backup) = Pair(100, 80);
        var check = new ScriptCheck(lan, master, weight: 10);
        check.Report(true);
        Assert.Equal(110, master.Priority);
        check.Report(false);
        Assert.Equal(100, master.Priority);
        lan.RunFor(TimeSpan.FromSeconds(30));
        Assert.Equal((VrrpState.Master, VrrpState.Backup), (master.State, backup.State));
        Assert.DoesNotContain(backup.Transitions, t => t.To == VrrpState.Master);
    }

    [Fact]
    public void A_sync_group_of_two_instances_moves_together_between_two_routers()
    {
        var lan = new SimulatedLan(seed: 11);
        var queue1 = new VrrpTransitionQueue();
        var queue2 = new VrrpTransitionQueue();
        SimulatedNode x1 = lan.Add(100, A, virtualRouterId: 51, transitions: queue1);
        SimulatedNode y1 = lan.Add(100, A, virtualRouterId: 52, transitions: queue1);
        SimulatedNode x2 = lan.Add(90, B, virtualRouterId: 51, transitions: queue2);
        SimulatedNode y2 = lan.Add(90, B, virtualRouterId: 52, transitions: queue2);
        SyncGroup g1 = lan.AddSyncGroup("G1", x1, y1);
        SyncGroup g2 = lan.AddSyncGroup("G2", x2, y2);
        lan.StartAll();
        lan.RunFor(TimeSpan.FromSeconds(8));
        Assert.Equal((VrrpState.Master, VrrpState.Master, VrrpState.Backup, VrrpState.Backup), (x1.State, y1.State, x2.State, y2.State));
        Assert.Equal((VrrpState.Master, VrrpState.Backup), (g1.State, g2.State));

        // x1's weight-0 check fails: router 1's group goes to FAULT, router 2's group takes both VIPs.
        var check = new ScriptCheck(lan, x1, weight: 0);
        check.Report(true);
        long failed = lan.Now;
        check.Report(false);
        Assert.Equal((VrrpState.Fault, VrrpState.Fault), (x1.State, y1.State));
        Assert.Equal(VrrpState.Fault, g1.State);
        lan.RunFor(TimeSpan.FromSeconds(8));
        Assert.Equal((VrrpState.Master, VrrpState.Master), (x2.State, y2.State));
        Assert.Equal(VrrpState.Master, g2.State);
        Assert.True(x2.Transitions.Last().Time - failed <= lan.MasterDownTicks(x2) + lan.MaxDelay,
            "the group follows its slower member within one Master_Down_Interval of the priority-0 adverts");
        Assert.Equal(x2.Transitions.Last().Time, y2.Transitions.Last().Time); // together, in one step

        check.Report(true);
        lan.RunFor(TimeSpan.FromSeconds(10));
        Assert.Equal((VrrpState.Master, VrrpState.Master, VrrpState.Backup, VrrpState.Backup), (x1.State, y1.State, x2.State, y2.State));
        Assert.Equal(
            ["G1 Initialize->Backup", "G1 Backup->Master", "G1 Master->Fault", "G1 Fault->Backup", "G1 Backup->Master"],
            lan.GroupTransitions.Where(t => t.Group == "G1").Select(t => $"{t.Group} {t.From}->{t.To}"));
    }
}
