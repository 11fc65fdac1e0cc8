using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Tracking;

namespace KeepSharp.Tests.Vrrp.Tracking;

/// <summary>How tracker results combine into keepalived's effective priority and fault reasons (vrrp_track.c, track_file.c).</summary>
public sealed class InstanceTrackingTests
{
    private static TrackedObject Script(string name, int weight, bool reverse = false) => new(TrackerKind.Script, name, weight, reverse);

    [Theory]
    // weight, reverse, status -> contribution
    [InlineData(20, false, TrackerStatus.Up, 20)]
    [InlineData(20, false, TrackerStatus.Down, 0)]
    [InlineData(-20, false, TrackerStatus.Up, 0)]
    [InlineData(-20, false, TrackerStatus.Down, -20)]
    [InlineData(20, true, TrackerStatus.Up, -20)]
    [InlineData(20, true, TrackerStatus.Down, 0)]
    [InlineData(-20, true, TrackerStatus.Up, 0)]
    [InlineData(-20, true, TrackerStatus.Down, 20)]
    [InlineData(20, false, TrackerStatus.Unknown, 0)]
    [InlineData(-20, false, TrackerStatus.Unknown, 0)]
    public void A_weight_counts_while_succeeding_if_positive_and_while_failing_if_negative(int weight, bool reverse, TrackerStatus status, int contribution)
    {
        var tracking = new InstanceTracking(100, [Script("chk", weight, reverse)]);
        tracking.Update(TrackerKind.Script, "chk", status);
        Assert.Equal(100 + contribution, tracking.EffectivePriority);
        Assert.Equal(VrrpFaultReasons.None, tracking.FaultReasons);
    }

    [Fact]
    public void Weight_zero_faults_while_failing_and_reverse_while_succeeding()
    {
        var plain = new InstanceTracking(100, [Script("chk", 0)]);
        Assert.Equal(VrrpFaultReasons.Script, plain.FaultReasons); // no result yet: held out, as num_script_init does
        Assert.True(plain.Update(TrackerKind.Script, "chk", TrackerStatus.Up));
        Assert.Equal(VrrpFaultReasons.None, plain.FaultReasons);
        Assert.True(plain.Update(TrackerKind.Script, "chk", TrackerStatus.Down));
        Assert.Equal(VrrpFaultReasons.Script, plain.FaultReasons);
        Assert.Equal(100, plain.EffectivePriority); // fault-only: the priority never moves

        var reversed = new InstanceTracking(100, [Script("chk", 0, reverse: true)]);
        reversed.Update(TrackerKind.Script, "chk", TrackerStatus.Up);
        Assert.Equal(VrrpFaultReasons.Script, reversed.FaultReasons);
        reversed.Update(TrackerKind.Script, "chk", TrackerStatus.Down);
        Assert.Equal(VrrpFaultReasons.None, reversed.FaultReasons);
    }

    [Fact]
    public void Weights_add_up_and_the_result_is_clamped_to_1_through_254()
    {
        var tracking = new InstanceTracking(200, [Script("a", 40), Script("b", 30), Script("c", -253), Script("d", -100)]);
        tracking.Update(TrackerKind.Script, "a", TrackerStatus.Up);
        tracking.Update(TrackerKind.Script, "b", TrackerStatus.Up);
        Assert.Equal(270, tracking.TotalPriority);
        Assert.Equal(254, tracking.EffectivePriority);
        tracking.Update(TrackerKind.Script, "c", TrackerStatus.Down);
        tracking.Update(TrackerKind.Script, "d", TrackerStatus.Down);
        Assert.Equal(270 - 353, tracking.TotalPriority);
        Assert.Equal(1, tracking.EffectivePriority);
        tracking.Update(TrackerKind.Script, "d", TrackerStatus.Up);
        Assert.Equal(17, tracking.EffectivePriority);
    }

    [Fact]
    public void The_address_owner_keeps_255_but_still_faults()
    {
        var tracking = new InstanceTracking(255, [Script("w", -50), Script("f", 0)]);
        tracking.Update(TrackerKind.Script, "w", TrackerStatus.Down);
        tracking.Update(TrackerKind.Script, "f", TrackerStatus.Up);
        Assert.Equal(255, tracking.EffectivePriority);
        tracking.Update(TrackerKind.Script, "f", TrackerStatus.Down);
        Assert.Equal(VrrpFaultReasons.Script, tracking.FaultReasons);
        Assert.Equal(255, tracking.EffectivePriority);
    }

    [Fact]
    public void Interfaces_fault_when_unweighted_and_weigh_otherwise()
    {
        var tracking = new InstanceTracking(100,
            [new TrackedObject(TrackerKind.Interface, "eth1"), new TrackedObject(TrackerKind.Interface, "eth2", -30)]);
        Assert.Equal(VrrpFaultReasons.None, tracking.FaultReasons); // an interface not yet reported does not fault
        tracking.Update(TrackerKind.Interface, "eth1", TrackerStatus.Up);
        tracking.Update(TrackerKind.Interface, "eth2", TrackerStatus.Down);
        Assert.Equal(70, tracking.EffectivePriority);
        tracking.Update(TrackerKind.Interface, "eth1", TrackerStatus.Down);
        Assert.Equal(VrrpFaultReasons.TrackedInterface, tracking.FaultReasons);
        Assert.Equal([tracking.Trackers[0]], tracking.FaultingTrackers);
    }

    [Theory]
    // weight, reverse, value -> fault, effective priority (base 100)
    [InlineData(0, false, 0, false, 100)]
    [InlineData(0, false, 5, true, 100)]
    [InlineData(0, false, -1, true, 100)]
    [InlineData(0, true, 0, true, 100)]
    [InlineData(0, true, 7, false, 100)]
    [InlineData(1, false, 20, false, 120)]
    [InlineData(2, false, -30, false, 40)]
    [InlineData(10, false, 30, false, 254)]   // 300 counts as 253: 353 → clamped
    [InlineData(-1, false, 200, false, 1)]    // −200 is added: -100 → clamped to 1
    [InlineData(1, false, -253, false, 1)]
    [InlineData(1, false, -254, true, 100)]   // ≤ −254: FAULT, nothing added
    [InlineData(-5, true, -60, true, 100)]    // −60 × −5 × −1 = −300
    public void A_tracked_file_multiplies_its_value_by_the_weight(int weight, bool reverse, long value, bool fault, int priority)
    {
        var tracking = new InstanceTracking(100, [new TrackedObject(TrackerKind.File, "f", weight, reverse)]);
        tracking.UpdateFile("f", value);
        Assert.Equal(fault ? VrrpFaultReasons.File : VrrpFaultReasons.None, tracking.FaultReasons);
        Assert.Equal(priority, tracking.EffectivePriority);
    }

    [Fact]
    public void A_process_weighs_by_quorum()
    {
        var tracking = new InstanceTracking(100, [new TrackedObject(TrackerKind.Process, "nginx", 25), new TrackedObject(TrackerKind.Process, "db", 0)]);
        tracking.Update(TrackerKind.Process, "nginx", TrackerStatus.Up);
        tracking.Update(TrackerKind.Process, "db", TrackerStatus.Up);
        Assert.Equal(125, tracking.EffectivePriority);
        tracking.Update(TrackerKind.Process, "db", TrackerStatus.Down);
        Assert.Equal(VrrpFaultReasons.Process, tracking.FaultReasons);
    }

    [Fact]
    public void Update_reports_a_change_only_when_priority_or_faults_moved()
    {
        var tracking = new InstanceTracking(100, [Script("a", 10), Script("b", -10)]);
        Assert.False(tracking.Update(TrackerKind.Script, "b", TrackerStatus.Up), "a negative weight adds nothing while succeeding");
        Assert.True(tracking.Update(TrackerKind.Script, "a", TrackerStatus.Up));
        Assert.False(tracking.Update(TrackerKind.Script, "unknown", TrackerStatus.Down));
        Assert.Throws<ArgumentException>(() => tracking.Update(TrackerKind.File, "a", TrackerStatus.Up));
    }

    [Fact]
    public void ApplyTo_hands_priority_and_tracker_faults_to_the_router_leaving_other_reasons_alone()
    {
        var h = new RouterHarness();
        h.Router.Start();
        h.Router.InterfaceDown();
        var tracking = new InstanceTracking(100, [Script("a", -30), Script("b", 0)]);
        tracking.Update(TrackerKind.Script, "a", TrackerStatus.Down);
        tracking.ApplyTo(h.Router);
        Assert.Equal(70, h.Router.Priority);
        Assert.Equal(VrrpFaultReasons.Interface | VrrpFaultReasons.Script, h.Router.FaultReasons);
        tracking.Update(TrackerKind.Script, "b", TrackerStatus.Up);
        tracking.ApplyTo(h.Router);
        Assert.Equal(VrrpFaultReasons.Interface, h.Router.FaultReasons);
        Assert.Equal(VrrpState.Fault, h.Router.State);
    }
}
