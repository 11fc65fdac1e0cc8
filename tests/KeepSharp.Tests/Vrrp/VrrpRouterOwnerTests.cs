using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Wire;
using static KeepSharp.Tests.Vrrp.RouterHarness;

namespace KeepSharp.Tests.Vrrp;

/// <summary>The address owner (priority 255): RFC 3768 §6.4.1 / RFC 9568 §6.4.1 and keepalived's vrrp_state_master_rx.</summary>
public class VrrpRouterOwnerTests
{
    [Fact]
    public void Owner_is_master_at_once_on_startup()
    {
        var h = new RouterHarness(priority: 255);
        h.Router.Start();
        Assert.Equal(
        [
            new RecordedAction(T0, "r", ActionKind.State, 0, VrrpState.Initialize, VrrpState.Master, VrrpTransitionReason.AddressOwner),
            new RecordedAction(T0, "r", ActionKind.AddAddresses),
            new RecordedAction(T0, "r", ActionKind.Advert, 255),
            new RecordedAction(T0, "r", ActionKind.Garp, 5),
        ], h.Actions.Calls);
        Assert.Equal(T0 + Seconds(1), h.Router.NextDeadline);
    }

    [Fact]
    public void Owner_leaving_fault_is_master_at_once()
    {
        var h = new RouterHarness(priority: 255);
        h.Router.EnterFault(VrrpFaultReasons.Script);
        h.Router.Start();
        Assert.Equal(VrrpState.Fault, h.Router.State);
        h.RunUntil(T0 + Seconds(10));
        h.Actions.Clear();
        h.Router.LeaveFault(VrrpFaultReasons.Script);
        Assert.Equal(VrrpState.Master, h.Router.State);
        RecordedAction change = Assert.Single(h.Actions.Of(ActionKind.State));
        Assert.Equal(T0 + Seconds(10), change.Time);
        Assert.Equal(VrrpState.Fault, change.From);
    }

    [Fact]
    public void Owner_stays_master_against_a_254_and_answers_it()
    {
        var h = new RouterHarness(priority: 255);
        h.Router.Start();
        for (int k = 1; k <= 10; k++)
        {
            h.RunUntil(T0 + Seconds(k - 0.5));
            Assert.Equal(VrrpDropReason.None, h.Receive(254, Higher));
            Assert.True(h.Router.State == VrrpState.Master, $"still master after the 254 advert at +{k - 0.5}s");
        }
        Assert.Empty(h.Actions.Of(ActionKind.RemoveAddresses));
        Assert.Equal(10, h.Actions.Of(ActionKind.LowerPriority).Count());
        Assert.Equal(10, h.Router.Statistics.LowerPriorityReceived);
        Assert.Equal(255, h.Router.Priority);
    }

    [Fact]
    public void Two_owners_the_local_one_drops_to_254_and_steps_down()
    {
        var h = new RouterHarness(priority: 255);
        h.Router.Start();
        h.Actions.Clear();
        h.RunUntil(T0 + Seconds(0.5));
        // Lower address than ours: no tie-break in keepalived; the conflict lowers our priority either way.
        Assert.Equal(VrrpDropReason.None, h.Receive(255, Lower));
        long t = T0 + Seconds(0.5);
        Assert.Equal(
        [
            new RecordedAction(t, "r", ActionKind.Priority, 254),
            new RecordedAction(t, "r", ActionKind.RemoveAddresses),
            new RecordedAction(t, "r", ActionKind.State, 0, VrrpState.Master, VrrpState.Backup, VrrpTransitionReason.HigherPriorityAdvertisement),
        ], h.Actions.Calls);
        Assert.Equal(254, h.Router.Priority);
        Assert.Equal(254, h.Router.BasePriority);
        Assert.Equal(1, h.Router.Statistics.OwnerConflicts);
        Assert.Equal(Lower, h.Router.MasterAddress);
        // As a 254 backup it follows the other owner: Master_Down_Interval with Skew_Time for 254.
        Assert.Equal(t + Seconds(3 + 2 / 256.0), h.Router.NextDeadline);
    }
}
