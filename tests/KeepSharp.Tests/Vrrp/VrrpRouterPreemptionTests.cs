using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Wire;
using static KeepSharp.Tests.Vrrp.RouterHarness;

namespace KeepSharp.Tests.Vrrp;

/// <summary>
/// Preemption with keepalived's preempt_delay (vrrp.c vrrp_state_backup, preempt_time), higher_prio_send_advert
/// (vrrp_state_master_rx) and down_timer_adverts (vrrp.h VRRP_MS_DOWN_TIMER), in exact virtual time.
/// </summary>
public class VrrpRouterPreemptionTests
{
    /// <summary>Master_Down_Interval for priority 200, advert_int 1 s: 3 + 56/256 s.</summary>
    private static readonly long Mdi200 = Seconds(3 + 56 / 256.0);

    [Fact]
    public void Without_preempt_delay_a_higher_priority_backup_takes_over_one_master_down_interval_after_start()
    {
        var h = new RouterHarness(priority: 200);
        h.Router.Start();
        for (int k = 0; k <= 3; k++)
        {
            h.RunUntil(T0 + Seconds(k));
            Assert.Equal(VrrpDropReason.None, h.Receive(100, Lower));
            Assert.True(h.Router.NextDeadline == T0 + Mdi200,
                $"lower-priority advert at +{k}s must not reset Master_Down_Timer (deadline {h.Router.NextDeadline - T0} ticks after start)");
        }
        h.RunUntil(T0 + Mdi200 - 1);
        Assert.Equal(VrrpState.Backup, h.Router.State);
        h.RunUntil(T0 + Mdi200);
        Assert.True(h.Router.State == VrrpState.Master, "preempts at exactly Master_Down_Interval after start");
        Assert.Equal(0, h.Router.Statistics.PreemptDelaysStarted);
    }

    [Fact]
    public void Preempt_delay_follows_the_lower_priority_master_for_the_delay_then_preempts()
    {
        var h = new RouterHarness(priority: 200, configure: s => s with { PreemptDelay = TimeSpan.FromSeconds(5) });
        h.Router.Start();
        Assert.False(h.Router.PreemptDelayRunning, "the delay starts with the first lower-priority advert, not at startup");

        // Adverts of the lower-priority master every second from T0: the first one starts the delay (ends T0+5);
        // until then each is accepted and resets Master_Down_Timer, as if preemption were off.
        for (int k = 0; k <= 4; k++)
        {
            h.RunUntil(T0 + Seconds(k));
            Assert.Equal(VrrpDropReason.None, h.Receive(100, Lower));
            Assert.True(h.Router.NextDeadline == T0 + Seconds(k) + Mdi200,
                $"held advert at +{k}s resets Master_Down_Timer to +{k}s + Master_Down_Interval");
            Assert.True(h.Router.PreemptDelayRunning);
            Assert.Equal(Lower, h.Router.MasterAddress);
            Assert.Equal(VrrpState.Backup, h.Router.State);
        }
        Assert.Equal(1, h.Router.Statistics.PreemptDelaysStarted);

        // From T0+5 (preempt_time no longer in the future) the lower-priority adverts are discarded.
        long lastHeld = T0 + Seconds(4);
        for (int k = 5; k <= 7; k++)
        {
            h.RunUntil(T0 + Seconds(k));
            Assert.Equal(VrrpState.Backup, h.Router.State);
            h.Receive(100, Lower);
            Assert.True(h.Router.NextDeadline == lastHeld + Mdi200, $"advert at +{k}s after the delay must not reset Master_Down_Timer");
        }
        h.RunUntil(lastHeld + Mdi200 - 1);
        Assert.Equal(VrrpState.Backup, h.Router.State);
        h.RunUntil(lastHeld + Mdi200);
        RecordedAction change = Assert.Single(h.Actions.Of(ActionKind.State), a => a.To == VrrpState.Master);
        Assert.True(change.Time == T0 + Seconds(4) + Mdi200,
            "takes over Master_Down_Interval after the last advert heard inside the delay (about delay + Master_Down_Interval after the first)");
        Assert.Equal(VrrpTransitionReason.MasterDownTimer, change.Reason);
    }

    [Fact]
    public void An_equal_or_higher_priority_advert_stops_the_preempt_delay_and_the_next_lower_one_restarts_it()
    {
        var h = new RouterHarness(priority: 200, configure: s => s with { PreemptDelay = TimeSpan.FromSeconds(5) });
        h.Router.Start();
        h.Receive(100, Lower);
        Assert.True(h.Router.PreemptDelayRunning);
        h.RunUntil(T0 + Seconds(3));
        h.Receive(200, Higher);
        Assert.False(h.Router.PreemptDelayRunning, "keepalived: 'stop preempt delay' on an advert not lower than ours");

        // The delay starts afresh at +6 and holds until +11, although more than 5 s passed since the first.
        for (int k = 6; k <= 10; k++)
        {
            h.RunUntil(T0 + Seconds(k));
            h.Receive(100, Lower);
            Assert.True(h.Router.NextDeadline == T0 + Seconds(k) + Mdi200, $"advert at +{k}s is still inside the restarted delay");
        }
        h.RunUntil(T0 + Seconds(11));
        h.Receive(100, Lower);
        Assert.Equal(T0 + Seconds(10) + Mdi200, h.Router.NextDeadline);
        Assert.Equal(2, h.Router.Statistics.PreemptDelaysStarted);
    }

    [Fact]
    public void Preempt_delay_is_cleared_on_entering_backup()
    {
        var h = new RouterHarness(priority: 200, configure: s => s with { PreemptDelay = TimeSpan.FromSeconds(5) });
        h.Router.Start();
        h.Receive(100, Lower);
        Assert.True(h.Router.PreemptDelayRunning);
        h.Router.InterfaceDown();
        h.RunUntil(T0 + Seconds(20));
        h.Router.InterfaceUp();
        Assert.False(h.Router.PreemptDelayRunning, "vrrp_state_leave_fault clears preempt_time on entering BACKUP");
        // So the next lower-priority advert starts a new delay (and resets Master_Down_Timer) rather than
        // being discarded because the old delay (ended +5) is over.
        h.RunUntil(T0 + Seconds(21));
        h.Receive(100, Lower);
        Assert.Equal(T0 + Seconds(21) + Mdi200, h.Router.NextDeadline);
        Assert.True(h.Router.PreemptDelayRunning);
    }

    [Fact]
    public void Preempt_delay_does_nothing_without_preempt()
    {
        var h = new RouterHarness(priority: 200, configure: s => s with { Preempt = false, PreemptDelay = TimeSpan.FromSeconds(2) });
        h.Router.Start();
        for (int k = 0; k <= 30; k++)
        {
            h.RunUntil(T0 + Seconds(k));
            h.Receive(100, Lower);
        }
        Assert.Equal(VrrpState.Backup, h.Router.State);
    }

    [Fact]
    public void Higher_prio_send_advert_sends_one_advert_before_stepping_down()
    {
        var h = new RouterHarness(configure: s => s with { HigherPrioritySendAdvert = true });
        long m = h.StartAsMaster();
        h.RunUntil(m + Seconds(0.5));
        Assert.Equal(VrrpDropReason.None, h.Receive(200, Higher));
        long t = m + Seconds(0.5);
        Assert.Equal(
        [
            new RecordedAction(t, "r", ActionKind.Advert, 100),
            new RecordedAction(t, "r", ActionKind.RemoveAddresses),
            new RecordedAction(t, "r", ActionKind.State, 0, VrrpState.Master, VrrpState.Backup, VrrpTransitionReason.HigherPriorityAdvertisement),
        ], h.Actions.Calls);
        Assert.Equal(VrrpState.Backup, h.Router.State);
        h.RunUntil(m + Seconds(3));
        Assert.True(h.Actions.Of(ActionKind.Advert).Count() == 1, "exactly one advert: the backup is silent afterwards");
    }

    [Fact]
    public void Higher_prio_send_advert_also_answers_an_equal_priority_from_a_higher_address()
    {
        var h = new RouterHarness(configure: s => s with { HigherPrioritySendAdvert = true });
        long m = h.StartAsMaster();
        h.RunUntil(m + Seconds(0.5));
        h.Receive(100, Higher);
        Assert.Equal([ActionKind.Advert, ActionKind.RemoveAddresses, ActionKind.State], h.Actions.Calls.Select(c => c.Kind));
    }

    [Fact]
    public void Without_higher_prio_send_advert_a_master_steps_down_silently()
    {
        var h = new RouterHarness();
        long m = h.StartAsMaster();
        h.RunUntil(m + Seconds(0.5));
        h.Receive(200, Higher);
        Assert.Equal([ActionKind.RemoveAddresses, ActionKind.State], h.Actions.Calls.Select(c => c.Kind));
    }

    [Fact]
    public void Down_timer_adverts_5_makes_master_down_interval_five_intervals_plus_skew()
    {
        var h = new RouterHarness(configure: s => s with { DownTimerAdverts = 5 });
        long mdi = Seconds(5 + 156 / 256.0);
        Assert.Equal(mdi, h.Router.MasterDownInterval.Ticks);
        h.Router.Start();
        h.RunUntil(T0 + mdi - 1);
        Assert.True(h.Router.State == VrrpState.Backup, "not master before 5 × 1 s + 156/256 s");
        h.RunUntil(T0 + mdi);
        Assert.Equal(VrrpState.Master, h.Router.State);
        Assert.Equal(VrrpTransitionReason.MasterDownTimer, h.Actions.Of(ActionKind.State).Last().Reason);

        // A backup's timer after an advert, and with a v3 master's learned interval, use it too.
        var b = new RouterHarness(version: 3, configure: s => s with { DownTimerAdverts = 5 });
        b.Router.Start();
        b.RunUntil(T0 + Seconds(1));
        b.Receive(200, Higher, a => a.IntervalCentiseconds = 50);
        Assert.Equal(TimeSpan.FromMilliseconds(500), b.Router.MasterAdvertisementInterval);
        Assert.Equal(T0 + Seconds(1) + Seconds(5 * 0.5 + 156 * 0.5 / 256), b.Router.NextDeadline);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Down_timer_adverts_outside_keepalived_range_is_refused(int adverts)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RouterHarness(configure: s => s with { DownTimerAdverts = adverts }));
    }

    [Fact]
    public void Down_timer_adverts_1_is_allowed()
    {
        var h = new RouterHarness(configure: s => s with { DownTimerAdverts = 1 });
        Assert.Equal(Seconds(1 + 156 / 256.0), h.Router.MasterDownInterval.Ticks);
    }
}
