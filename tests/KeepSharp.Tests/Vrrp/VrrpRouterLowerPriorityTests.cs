using KeepSharp.Tests.Simulation;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Sync;
using KeepSharp.Vrrp.Wire;
using static KeepSharp.Tests.Vrrp.RouterHarness;

namespace KeepSharp.Tests.Vrrp;

/// <summary>
/// A master hearing a lower priority, as keepalived's vrrp_state_master_rx handles it: an advert at once
/// ("forcing new election") unless lower_prio_no_advert, a gratuitous burst of garp_lower_prio_repeat at once and
/// another after garp_lower_prio_delay (vrrp_lower_prio_gratuitous_arp_thread), and notify_master_rx_lower_pri.
/// </summary>
public class VrrpRouterLowerPriorityTests
{
    private static VrrpRouterSettings Lp(VrrpRouterSettings s) =>
        s with { GarpLowerPriorityRepeat = 2, GarpLowerPriorityDelay = TimeSpan.FromSeconds(3) };

    [Fact]
    public void Defaults_are_keepalived_defaults()
    {
        var s = new RouterHarness().Router.Settings;
        Assert.Equal(TimeSpan.FromSeconds(5), s.GarpLowerPriorityDelay);
        Assert.Equal(5, s.GarpLowerPriorityRepeat);
        Assert.False(s.LowerPriorityNoAdvert);
        Assert.False(s.HigherPrioritySendAdvert);
        Assert.Equal(3, s.DownTimerAdverts);
        Assert.Equal(TimeSpan.Zero, s.PreemptDelay);
        Assert.True(s.AcceptMode);
    }

    [Fact]
    public void Lower_priority_advert_makes_the_master_advertise_at_once_and_burst_now_and_after_the_delay()
    {
        var h = new RouterHarness(configure: Lp);
        long m = h.StartAsMaster();
        long t = m + Seconds(0.5);
        h.RunUntil(t);
        Assert.Equal(VrrpDropReason.None, h.Receive(99, Higher));
        Assert.Equal(
        [
            new RecordedAction(t, "r", ActionKind.Advert, 100),
            new RecordedAction(t, "r", ActionKind.Garp, 2),
            new RecordedAction(t, "r", ActionKind.LowerPriority, 99),
        ], h.Actions.Calls);
        Assert.Equal(VrrpState.Master, h.Router.State);
        Assert.True(h.Router.NextDeadline == t + Seconds(1), "the answering advert resets Adver_Timer");

        h.RunUntil(m + Seconds(6));
        Assert.Equal([t, t + Seconds(1), t + Seconds(2), t + Seconds(3), t + Seconds(4), t + Seconds(5)],
            h.Actions.Of(ActionKind.Advert).Select(a => a.Time));
        Assert.Equal(
        [
            new RecordedAction(t, "r", ActionKind.Garp, 2),
            new RecordedAction(t + Seconds(3), "r", ActionKind.Garp, 2), // garp_lower_prio_delay later
            new RecordedAction(m + Seconds(5), "r", ActionKind.Garp, 5), // the usual garp_master_delay burst
        ], h.Actions.Of(ActionKind.Garp));
        Assert.Equal(2, h.Router.Statistics.LowerPriorityGratuitousBursts);
        Assert.Equal(1, h.Router.Statistics.LowerPriorityReceived);
    }

    [Fact]
    public void A_flood_of_lower_priority_adverts_gets_one_burst_per_interval_and_one_delayed_burst()
    {
        // Deliberately bounded (keepalived answers each advert with two bursts): 100 adverts in 0.99 s from a
        // flooding host cost one burst now and one after the delay, not 200 bursts of repeat x addresses frames.
        var h = new RouterHarness(configure: Lp);
        long m = h.StartAsMaster();
        h.RunUntil(m + Seconds(0.5));
        for (int i = 0; i < 100; i++)
        {
            h.Receive(99, Higher);
            h.RunUntil(h.Time.Now + Seconds(0.0099));
        }
        Assert.Equal([m + Seconds(0.5)], h.Actions.Of(ActionKind.Garp).Select(a => a.Time));
        h.Actions.Clear();
        h.RunUntil(m + Seconds(1.55));
        h.Receive(99, Higher); // a new interval: a burst again, the delayed one is still the first one's
        h.RunUntil(m + Seconds(4.9));
        Assert.Equal([m + Seconds(1.55), m + Seconds(3.5)], h.Actions.Of(ActionKind.Garp).Select(a => a.Time));
        Assert.Equal(3, h.Router.Statistics.LowerPriorityGratuitousBursts);
    }

    [Fact]
    public void Lower_prio_no_advert_suppresses_the_advert_but_not_the_bursts()
    {
        var h = new RouterHarness(configure: s => Lp(s) with { LowerPriorityNoAdvert = true });
        long m = h.StartAsMaster();
        long t = m + Seconds(0.5);
        h.RunUntil(t);
        h.Receive(99, Higher);
        Assert.Equal([ActionKind.Garp, ActionKind.LowerPriority], h.Actions.Calls.Select(c => c.Kind));
        Assert.True(h.Router.NextDeadline == m + Seconds(1), "Adver_Timer keeps running");
        h.RunUntil(t + Seconds(3));
        Assert.Equal(2, h.Actions.Of(ActionKind.Garp).Count());
    }

    [Fact]
    public void Garp_lower_prio_repeat_0_sends_no_bursts_and_delay_0_no_second_one()
    {
        var none = new RouterHarness(configure: s => s with { GarpLowerPriorityRepeat = 0, GarpMasterDelay = TimeSpan.Zero });
        long m = none.StartAsMaster();
        none.RunUntil(m + Seconds(0.5));
        none.Receive(99, Higher);
        none.RunUntil(m + Seconds(20));
        Assert.Empty(none.Actions.Of(ActionKind.Garp));

        var once = new RouterHarness(configure: s => s with { GarpLowerPriorityDelay = TimeSpan.Zero, GarpMasterDelay = TimeSpan.Zero });
        m = once.StartAsMaster();
        once.RunUntil(m + Seconds(0.5));
        once.Receive(99, Higher);
        once.RunUntil(m + Seconds(20));
        Assert.Equal([new RecordedAction(m + Seconds(0.5), "r", ActionKind.Garp, 5)], once.Actions.Of(ActionKind.Garp));
    }

    [Fact]
    public void Leaving_master_cancels_the_delayed_burst()
    {
        var h = new RouterHarness(configure: s => Lp(s) with { GarpMasterDelay = TimeSpan.Zero });
        long m = h.StartAsMaster();
        h.RunUntil(m + Seconds(0.5));
        h.Receive(99, Higher);
        h.RunUntil(m + Seconds(1.1));
        h.Receive(200, Higher);
        Assert.Equal(VrrpState.Backup, h.Router.State);
        h.Actions.Clear();
        h.RunUntil(m + Seconds(3.7)); // before this router would take over again
        Assert.Empty(h.Actions.Of(ActionKind.Garp));
    }

    [Fact]
    public void Equal_priority_from_a_lower_address_counts_as_lower()
    {
        var h = new RouterHarness(configure: Lp);
        long m = h.StartAsMaster();
        h.RunUntil(m + Seconds(0.5));
        h.Receive(100, Lower);
        Assert.Equal([ActionKind.Advert, ActionKind.Garp, ActionKind.LowerPriority], h.Actions.Calls.Select(c => c.Kind));
    }

    [Fact]
    public void Sync_group_masters_burst_with_their_own_settings()
    {
        var time = new VirtualTimeProvider(T0);
        var actions = new RecordingActions(time);
        var queue = new VrrpTransitionQueue();
        VrrpRouter Make(string name, byte vrid, int repeat) => new(new VrrpRouterSettings
        {
            Name = name, VirtualRouterId = vrid, Priority = 100, PrimaryAddress = Self, VirtualAddresses = [Vip1, Vip2],
            GarpMasterDelay = TimeSpan.Zero, GarpLowerPriorityRepeat = repeat, GarpLowerPriorityDelay = TimeSpan.FromSeconds(2),
        }, time, actions, queue);
        VrrpRouter a = Make("a", 51, 1), b = Make("b", 52, 3), c = Make("c", 53, 0);
        _ = new SyncGroup("g", [a, b, c], new NoGroupActions());
        a.Start();
        b.Start();
        c.Start();
        time.AdvanceTo(a.NextDeadline);
        a.OnTimer();
        b.OnTimer();
        c.OnTimer(); // every member wants master now: the group lets them all be
        Assert.All(new[] { a, b, c }, r => Assert.Equal(VrrpState.Master, r.State));
        actions.Clear();

        time.Advance(TimeSpan.FromSeconds(0.25));
        long t = time.Now;
        var advert = new Advert { Version = 2, VirtualRouterId = 51, Priority = 50, Source = Higher, Addresses = [Vip1, Vip2], IntervalCentiseconds = 100 };
        Assert.Equal(VrrpDropReason.None, VrrpReceiver.Read(advert.Encode(), out VrrpAdvertisement decoded));
        Assert.Equal(VrrpDropReason.None, a.ReceiveAdvertisement(decoded));
        Assert.Equal(
        [
            new RecordedAction(t, "a", ActionKind.Advert, 100),
            new RecordedAction(t, "a", ActionKind.Garp, 1),
            new RecordedAction(t, "b", ActionKind.Garp, 3),
            new RecordedAction(t, "a", ActionKind.LowerPriority, 50),
        ], actions.Calls);

        // The delayed bursts, each member with its own garp_lower_prio_delay and repeat.
        actions.Clear();
        VrrpRouter[] all = [a, b, c];
        while (all.Min(r => r.NextDeadline) is long next && next <= t + Seconds(2.5))
        {
            time.AdvanceTo(Math.Max(time.Now, next));
            foreach (VrrpRouter r in all)
            {
                if (r.NextDeadline <= time.Now)
                    r.OnTimer();
            }
        }
        Assert.Equal(
        [
            new RecordedAction(t + Seconds(2), "a", ActionKind.Garp, 1),
            new RecordedAction(t + Seconds(2), "b", ActionKind.Garp, 3),
        ], actions.Of(ActionKind.Garp));
    }

    private sealed class NoGroupActions : ISyncGroupActions
    {
        public void GroupStateChanged(SyncGroup group, VrrpState from, VrrpState to)
        {
        }
    }
}
