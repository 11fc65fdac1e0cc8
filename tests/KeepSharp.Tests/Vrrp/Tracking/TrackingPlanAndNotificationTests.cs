using KeepSharp.Vrrp.Notification;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Tracking;

namespace KeepSharp.Tests.Vrrp.Tracking;

public sealed class TrackingPlanAndNotificationTests
{
    private static readonly TrackedObject[] Own =
    [
        new(TrackerKind.Script, "weighted", -20),
        new(TrackerKind.Script, "faultonly", 0),
        new(TrackerKind.Interface, "eth1", -10),
        new(TrackerKind.File, "default", TrackingPlan.DefaultFileWeight),
        new(TrackerKind.File, "heavy", 5),
        new(TrackerKind.Process, "nginx", 15),
    ];

    [Fact]
    public void Without_sync_group_tracking_weight_a_group_member_keeps_only_fault_trackers()
    {
        var ignored = new List<string>();
        IReadOnlyList<TrackedObject> plan = TrackingPlan.ForInstance(100, Own, [new(TrackerKind.Script, "group", 30)],
            inSyncGroup: true, syncGroupTrackingWeight: false, groupHasAddressOwner: false, ignored);
        Assert.Equal(
        [
            new(TrackerKind.Script, "faultonly", 0),
            new(TrackerKind.Interface, "eth1", 0),
            new(TrackerKind.File, "default", 0),
            new(TrackerKind.Process, "nginx", 15), // keepalived 2.2.7 leaves processes alone
            new(TrackerKind.Script, "group", 30), // the group's own trackers keep their weights
        ], plan);
        Assert.Equal(4, ignored.Count);

        Assert.Equal(Own, TrackingPlan.ForInstance(100, Own, [], inSyncGroup: true, syncGroupTrackingWeight: true, groupHasAddressOwner: false));
    }

    [Fact]
    public void The_address_owner_drops_weighted_interfaces_and_a_group_with_an_owner_clears_group_weights()
    {
        IReadOnlyList<TrackedObject> plan = TrackingPlan.ForInstance(255, Own, [new(TrackerKind.Script, "group", 30)],
            inSyncGroup: false, syncGroupTrackingWeight: false, groupHasAddressOwner: true);
        Assert.DoesNotContain(plan, t => t.Name is "weighted" or "eth1" or "heavy");
        Assert.Contains(new TrackedObject(TrackerKind.Script, "group", 0), plan);
    }

    [Fact]
    public void Notifications_carry_keepalived_argv_and_fifo_line()
    {
        var h = new RouterHarness(priority: 150);
        h.Router.Start();
        VrrpNotification instance = VrrpNotification.ForInstance(h.Router, VrrpState.Backup);
        Assert.Equal(["INSTANCE", "r", "BACKUP", "150"], instance.NotifyArguments());
        Assert.Equal("INSTANCE \"r\" BACKUP 150\n", instance.FifoLine());
        Assert.Equal("STOP", VrrpNotification.ForInstance(h.Router, VrrpState.Initialize).EventWord);
        Assert.Equal("MASTER_RX_LOWER_PRI", VrrpNotification.ForLowerPriorityAdvert(h.Router).EventWord);
        Assert.False(VrrpNotification.ForPriorityChange(h.Router).IsStateChange);
        Assert.Equal("BACKUP_PRIORITY", VrrpNotification.ForPriorityChange(h.Router).EventWord);
    }
}
