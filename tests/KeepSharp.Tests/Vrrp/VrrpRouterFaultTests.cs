using KeepSharp.Tests.Simulation;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Sync;
using static KeepSharp.Tests.Vrrp.RouterHarness;

namespace KeepSharp.Tests.Vrrp;

/// <summary>The fault set, priority changes, sync-group commands and the transition queue of <see cref="VrrpRouter"/>.</summary>
public sealed class VrrpRouterFaultTests
{
    private static readonly long Mdi100 = Seconds(3) + TimeSpan.FromSeconds(156 / 256.0).Ticks;

    [Fact]
    public void A_tracker_fault_makes_a_master_resign_with_priority_zero_and_go_silent()
    {
        var h = new RouterHarness();
        long m = h.StartAsMaster();
        h.Router.EnterFault(VrrpFaultReasons.Script);
        Assert.Equal(
        [
            new RecordedAction(m, "r", ActionKind.Advert, 0),
            new RecordedAction(m, "r", ActionKind.RemoveAddresses),
            new RecordedAction(m, "r", ActionKind.State, 0, VrrpState.Master, VrrpState.Fault, VrrpTransitionReason.TrackingFault),
        ], h.Actions.Calls);
        Assert.Equal(VrrpRouter.Never, h.Router.NextDeadline);
        h.RunUntil(m + Seconds(30));
        Assert.Equal(3, h.Actions.Calls.Count);
    }

    [Fact]
    public void Fault_is_left_only_when_every_reason_is_gone()
    {
        var h = new RouterHarness();
        h.Router.Start();
        h.Router.InterfaceDown();
        h.Router.EnterFault(VrrpFaultReasons.Script | VrrpFaultReasons.File);
        h.Router.InterfaceUp();
        Assert.Equal(VrrpState.Fault, h.Router.State);
        h.Router.LeaveFault(VrrpFaultReasons.Script);
        Assert.Equal(VrrpState.Fault, h.Router.State);
        // Swapping one tracker reason for another in one step never lets the router out.
        h.Router.SetFaultReasons(VrrpFaultReasons.Process, VrrpFaultReasons.Trackers);
        Assert.Equal(VrrpState.Fault, h.Router.State);
        Assert.Equal(VrrpFaultReasons.Process, h.Router.FaultReasons);
        h.Router.LeaveFault(VrrpFaultReasons.Process);
        Assert.Equal(VrrpState.Backup, h.Router.State);
        Assert.Equal(VrrpTransitionReason.TrackingRecovered, h.Actions.Of(ActionKind.State).Last().Reason);
    }

    [Fact]
    public void Faults_set_before_start_start_the_router_in_fault()
    {
        var h = new RouterHarness();
        h.Router.EnterFault(VrrpFaultReasons.Script);
        Assert.Equal(VrrpState.Initialize, h.Router.State);
        h.Router.Start();
        Assert.Equal(VrrpState.Fault, h.Router.State);
        Assert.Empty(h.Actions.Of(ActionKind.Advert));
    }

    [Fact]
    public void A_backup_priority_change_moves_its_master_down_timer_by_the_skew_difference()
    {
        var h = new RouterHarness();
        h.Router.Start();
        Assert.Equal(T0 + Mdi100, h.Router.NextDeadline);
        h.Router.SetPriority(200);
        Assert.Equal(T0 + Seconds(3) + TimeSpan.FromSeconds(56 / 256.0).Ticks, h.Router.NextDeadline);
        Assert.Equal(new RecordedAction(T0, "r", ActionKind.Priority, 200), h.Actions.Calls[^1]);
    }

    [Fact]
    public void A_master_priority_change_sends_nothing_at_once_and_the_next_advert_carries_it()
    {
        var h = new RouterHarness();
        long m = h.StartAsMaster();
        h.Router.SetPriority(50);
        Assert.Empty(h.Actions.Of(ActionKind.Advert));
        Assert.Equal(m + Seconds(1), h.Router.NextDeadline);
        h.Router.SetPriority(50);
        Assert.Single(h.Actions.Of(ActionKind.Priority)); // unchanged priority: no second notice
    }

    [Fact]
    public void Force_backup_releases_a_master_without_priority_zero_and_force_master_takes_over_at_once()
    {
        var h = new RouterHarness();
        long m = h.StartAsMaster();
        h.Router.ForceBackup();
        Assert.Equal(
        [
            new RecordedAction(m, "r", ActionKind.RemoveAddresses),
            new RecordedAction(m, "r", ActionKind.State, 0, VrrpState.Master, VrrpState.Backup, VrrpTransitionReason.SyncGroup),
        ], h.Actions.Calls);
        h.Actions.Clear();
        h.Router.ForceMaster();
        Assert.Equal(VrrpState.Master, h.Router.State);
        Assert.Equal(VrrpTransitionReason.SyncGroup, h.Actions.Of(ActionKind.State).Single().Reason);
        Assert.Equal(100, h.Actions.Of(ActionKind.Advert).Single().Value);

        h.Router.EnterFault(VrrpFaultReasons.SyncGroup);
        h.Router.ForceMaster();
        h.Router.ForceBackup();
        Assert.Equal(VrrpState.Fault, h.Router.State); // commands do not override a fault
    }

    /// <summary>An observer that commands the other router and records what it saw, and when.</summary>
    private sealed class Commander(RecordingActions actions, VrrpRouter other) : IVrrpRouterObserver
    {
        public List<string> Seen { get; } = [];

        public void OnRouterEvent(in VrrpRouterEvent e)
        {
            Seen.Add($"{e.Router.Name} {e.Kind} {e.To} after {actions.Calls.Count} actions");
            if (e is { Kind: VrrpRouterEventKind.StateChanged, To: VrrpState.Master } && e.Router != other)
                other.ForceMaster();
        }
    }

    [Fact]
    public void Observers_hear_a_transition_after_it_completed_and_their_commands_are_queued_in_order()
    {
        var time = new VirtualTimeProvider(T0);
        var actions = new RecordingActions(time);
        var queue = new VrrpTransitionQueue();
        VrrpRouter Make(string name, byte vrid) => new(new VrrpRouterSettings
        {
            Name = name, VirtualRouterId = vrid, Priority = 100, PrimaryAddress = Self, VirtualAddresses = [Vip1],
            GarpMasterDelay = TimeSpan.Zero,
        }, time, actions, queue);
        VrrpRouter a = Make("a", 1), b = Make("b", 2);
        var commander = new Commander(actions, b);
        queue.Subscribe(commander);
        a.Start();
        b.Start();
        Assert.Equal(["a StateChanged Backup after 1 actions", "b StateChanged Backup after 2 actions"], commander.Seen);
        commander.Seen.Clear();
        actions.Clear();

        time.AdvanceTo(a.NextDeadline);
        a.OnTimer();
        // a's whole transition (state, addresses, advert, garp) came first; then b was commanded.
        Assert.Equal(["a", "a", "a", "a", "b", "b", "b", "b"], actions.Calls.Select(c => c.Router));
        Assert.Equal(["a StateChanged Master after 4 actions", "b StateChanged Master after 8 actions"], commander.Seen);
        Assert.False(queue.IsBusy);
    }

    [Fact]
    public void A_sync_group_member_waits_as_backup_until_every_member_wants_master()
    {
        var time = new VirtualTimeProvider(T0);
        var actions = new RecordingActions(time);
        var queue = new VrrpTransitionQueue();
        VrrpRouter Make(string name, byte vrid) => new(new VrrpRouterSettings
        {
            Name = name, VirtualRouterId = vrid, Priority = 100, PrimaryAddress = Self, VirtualAddresses = [Vip1],
        }, time, actions, queue);
        VrrpRouter a = Make("a", 1), b = Make("b", 2);
        var groupActions = new GroupRecorder();
        var group = new SyncGroup("g", [a, b], groupActions);
        a.Start();
        time.AdvanceTo(T0 + Seconds(1));
        b.Start();
        Assert.Equal(VrrpState.Backup, group.State);

        time.AdvanceTo(a.NextDeadline);
        a.OnTimer();
        Assert.Equal(VrrpState.Backup, a.State); // b still hears nothing-yet: it does not want master
        Assert.True(a.WantsMaster);
        Assert.Equal(time.Now + Mdi100, a.NextDeadline);

        time.AdvanceTo(b.NextDeadline);
        b.OnTimer();
        Assert.Equal(VrrpState.Master, b.State);
        Assert.Equal(VrrpState.Master, a.State);
        Assert.Equal(VrrpState.Master, group.State);
        Assert.Equal(["g Initialize->Backup", "g Backup->Master"], groupActions.Seen);

        // One member's fault takes the whole group to FAULT; its recovery brings all back as backups.
        a.EnterFault(VrrpFaultReasons.Script);
        Assert.Equal(VrrpState.Fault, b.State);
        Assert.Equal(VrrpFaultReasons.SyncGroup, b.FaultReasons);
        a.LeaveFault(VrrpFaultReasons.Script);
        Assert.Equal((VrrpState.Backup, VrrpState.Backup), (a.State, b.State));
        Assert.Equal(["g Initialize->Backup", "g Backup->Master", "g Master->Fault", "g Fault->Backup"], groupActions.Seen);

        a.Shutdown();
        Assert.Equal(VrrpState.Backup, group.State);
        b.Shutdown();
        Assert.Equal(VrrpState.Initialize, group.State); // STOP after the last member
    }

    private sealed class GroupRecorder : ISyncGroupActions
    {
        public List<string> Seen { get; } = [];

        public void GroupStateChanged(SyncGroup group, VrrpState from, VrrpState to) => Seen.Add($"{group.Name} {from}->{to}");
    }

    [Fact]
    public void A_sync_group_refuses_members_on_different_queues()
    {
        var time = new VirtualTimeProvider(T0);
        var actions = new RecordingActions(time);
        var settings = new VrrpRouterSettings { Name = "x", VirtualRouterId = 1, Priority = 100, PrimaryAddress = Self };
        var a = new VrrpRouter(settings, time, actions);
        var b = new VrrpRouter(settings, time, actions);
        Assert.Throws<ArgumentException>(() => new SyncGroup("g", [a, b], new GroupRecorder()));
    }
}
