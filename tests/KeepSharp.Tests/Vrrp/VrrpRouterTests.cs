using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Wire;
using static KeepSharp.Tests.Vrrp.RouterHarness;

namespace KeepSharp.Tests.Vrrp;

/// <summary>The RFC 3768 / RFC 9568 state machine, one router, exact virtual times.</summary>
public class VrrpRouterTests
{
    /// <summary>Master_Down_Interval for priority 100, advert_int 1 s: 3 + 156/256 = 3.609375 s.</summary>
    private static readonly long Mdi100 = Seconds(3.609375);

    /// <summary>Skew_Time for priority 100: 156/256 s.</summary>
    private static readonly long Skew100 = Seconds(0.609375);

    /// <summary>keepalived's vrrp_strict values of the lower-priority options: lower_prio_no_advert, no garp_lower_prio_repeat.</summary>
    private static VrrpRouterSettings Strict(VrrpRouterSettings s) => s with { LowerPriorityNoAdvert = true, GarpLowerPriorityRepeat = 0 };

    [Fact]
    public void Startup_waits_as_backup_then_becomes_master_with_addresses_advert_and_gratuitous_burst()
    {
        var h = new RouterHarness();
        Assert.Equal(VrrpState.Initialize, h.Router.State);
        Assert.Equal(VrrpRouter.Never, h.Router.NextDeadline);

        h.Router.Start();
        Assert.Equal(VrrpState.Backup, h.Router.State);
        Assert.Equal([new RecordedAction(T0, "r", ActionKind.State, 0, VrrpState.Initialize, VrrpState.Backup, VrrpTransitionReason.Startup)], h.Actions.Calls);
        Assert.Equal(Mdi100, h.Router.MasterDownInterval.Ticks);
        Assert.Equal(Skew100, h.Router.SkewTime.Ticks);
        Assert.Equal(T0 + Mdi100, h.Router.NextDeadline);

        h.RunUntil(T0 + Mdi100 - 1);
        Assert.Equal(VrrpState.Backup, h.Router.State);
        Assert.Single(h.Actions.Calls);

        h.RunUntil(T0 + Mdi100);
        long m = T0 + Mdi100;
        Assert.Equal(VrrpState.Master, h.Router.State);
        Assert.Equal(
        [
            new RecordedAction(m, "r", ActionKind.State, 0, VrrpState.Backup, VrrpState.Master, VrrpTransitionReason.MasterDownTimer),
            new RecordedAction(m, "r", ActionKind.AddAddresses),
            new RecordedAction(m, "r", ActionKind.Advert, 100),
            new RecordedAction(m, "r", ActionKind.Garp, 5),
        ], h.Actions.Calls.Skip(1));
        Assert.Equal(Self, h.Router.MasterAddress);

        h.Actions.Clear();
        h.RunUntil(m + Seconds(10.5));
        // An advert every advert_int, and the delayed burst of 5 after garp_master_delay (5 s), once.
        Assert.Equal(Enumerable.Range(1, 10).Select(k => m + Seconds(k)), h.Actions.Of(ActionKind.Advert).Select(a => a.Time));
        Assert.All(h.Actions.Of(ActionKind.Advert), a => Assert.Equal(100, a.Value));
        Assert.Equal([new RecordedAction(m + Seconds(5), "r", ActionKind.Garp, 5)], h.Actions.Of(ActionKind.Garp));
        Assert.Equal(m + Seconds(11), h.Router.NextDeadline);
        Assert.Equal(11, h.Router.Statistics.AdvertisementsSent);
        Assert.Equal(1, h.Router.Statistics.BecameMaster);
    }

    [Fact]
    public void Gratuitous_refresh_bursts_follow_the_delayed_burst()
    {
        var h = new RouterHarness(configure: s => s with { GarpMasterRefresh = TimeSpan.FromSeconds(10), GarpMasterRefreshRepeat = 2 });
        long m = h.StartAsMaster();
        h.RunUntil(m + Seconds(26));
        Assert.Equal(
        [
            new RecordedAction(m + Seconds(5), "r", ActionKind.Garp, 5),
            new RecordedAction(m + Seconds(15), "r", ActionKind.Garp, 2),
            new RecordedAction(m + Seconds(25), "r", ActionKind.Garp, 2),
        ], h.Actions.Of(ActionKind.Garp));
    }

    [Fact]
    public void No_delayed_burst_when_garp_master_delay_is_zero()
    {
        var h = new RouterHarness(configure: s => s with { GarpMasterDelay = TimeSpan.Zero });
        long m = h.StartAsMaster();
        h.RunUntil(m + Seconds(60));
        Assert.Empty(h.Actions.Of(ActionKind.Garp));
    }

    [Theory]
    [InlineData(100, "10.0.0.1")] // equal priority, lower address
    [InlineData(100, "10.0.0.3")] // equal priority, higher address
    [InlineData(200, "10.0.0.1")]
    public void Backup_resets_master_down_timer_on_equal_or_higher_priority(byte priority, string source)
    {
        var h = new RouterHarness();
        h.Router.Start();
        h.RunUntil(T0 + Seconds(2));
        Assert.Equal(VrrpDropReason.None, h.Receive(priority, VrrpAddress.Parse(source)));
        Assert.Equal(T0 + Seconds(2) + Mdi100, h.Router.NextDeadline);
        Assert.Equal(VrrpAddress.Parse(source), h.Router.MasterAddress);

        // Adverts every second keep it backup for as long as they come.
        for (int k = 3; k <= 30; k++)
        {
            h.RunUntil(T0 + Seconds(k));
            h.Receive(priority, VrrpAddress.Parse(source));
        }
        Assert.Equal(VrrpState.Backup, h.Router.State);
        Assert.Equal(29, h.Router.Statistics.AdvertisementsReceived);

        // Silence: master after Master_Down_Interval from the last advert, to the tick.
        h.RunUntil(T0 + Seconds(30) + Mdi100 - 1);
        Assert.Equal(VrrpState.Backup, h.Router.State);
        h.RunUntil(T0 + Seconds(30) + Mdi100);
        Assert.Equal(VrrpState.Master, h.Router.State);
        Assert.Empty(h.Actions.Of(ActionKind.RemoveAddresses));
    }

    [Fact]
    public void Backup_with_preempt_ignores_a_lower_priority_master_and_takes_over_after_master_down_interval()
    {
        var h = new RouterHarness(priority: 200);
        long mdi200 = Seconds(3 + 56 / 256.0);
        Assert.Equal(mdi200, h.Router.MasterDownInterval.Ticks);
        h.Router.Start();
        for (int k = 0; k < 3; k++)
        {
            h.RunUntil(T0 + Seconds(k));
            Assert.Equal(VrrpDropReason.None, h.Receive(100, Higher));
        }
        Assert.Equal(T0 + mdi200, h.Router.NextDeadline); // never reset
        h.RunUntil(T0 + mdi200);
        Assert.Equal(VrrpState.Master, h.Router.State);
        RecordedAction change = Assert.Single(h.Actions.Of(ActionKind.State), a => a.To == VrrpState.Master);
        Assert.Equal(T0 + mdi200, change.Time);
        Assert.Equal(VrrpTransitionReason.MasterDownTimer, change.Reason);
        Assert.Equal(200, h.Actions.Of(ActionKind.Advert).Single().Value);
    }

    [Fact]
    public void Backup_without_preempt_follows_a_lower_priority_master()
    {
        var h = new RouterHarness(priority: 200, configure: s => s with { Preempt = false });
        h.Router.Start();
        for (int k = 0; k <= 60; k++)
        {
            h.RunUntil(T0 + Seconds(k));
            Assert.Equal(VrrpDropReason.None, h.Receive(100, Lower));
        }
        Assert.Equal(VrrpState.Backup, h.Router.State);
        Assert.Equal(Lower, h.Router.MasterAddress);
        Assert.Empty(h.Actions.Of(ActionKind.Advert));
    }

    [Fact]
    public void Priority_zero_advert_makes_the_backup_take_over_after_skew_time()
    {
        var h = new RouterHarness();
        h.Router.Start();
        h.RunUntil(T0 + Seconds(1));
        h.Receive(200, Higher);
        h.RunUntil(T0 + Seconds(2));
        Assert.Equal(VrrpDropReason.None, h.Receive(0, Higher));
        Assert.Equal(1, h.Router.Statistics.PriorityZeroReceived);
        Assert.Equal(T0 + Seconds(2) + Skew100, h.Router.NextDeadline);

        h.RunUntil(T0 + Seconds(2) + Skew100 - 1);
        Assert.Equal(VrrpState.Backup, h.Router.State);
        h.RunUntil(T0 + Seconds(2) + Skew100);
        Assert.Equal(VrrpState.Master, h.Router.State);
        Assert.Equal(VrrpTransitionReason.MasterStopped, h.Actions.Of(ActionKind.State).Last().Reason);
    }

    [Fact]
    public void Priority_zero_then_a_new_master_restores_the_full_interval()
    {
        var h = new RouterHarness();
        h.Router.Start();
        h.Receive(0, Higher);
        h.RunUntil(T0 + Seconds(0.5));
        h.Receive(150, Lower);
        Assert.Equal(T0 + Seconds(0.5) + Mdi100, h.Router.NextDeadline);
        h.RunUntil(T0 + Seconds(0.5) + Mdi100);
        Assert.Equal(VrrpTransitionReason.MasterDownTimer, h.Actions.Of(ActionKind.State).Last().Reason);
    }

    [Fact]
    public void Master_with_equal_priority_ignores_a_lower_address()
    {
        // The RFC's behaviour, keepalived's under vrrp_strict: no answering advert, no lower-priority bursts.
        var h = new RouterHarness(configure: Strict);
        long m = h.StartAsMaster();
        h.RunUntil(m + Seconds(0.5));
        Assert.Equal(VrrpDropReason.None, h.Receive(100, Lower));
        Assert.Equal(VrrpState.Master, h.Router.State);
        // Nothing but keepalived's notify_master_rx_lower_pri event: no advert, no address change.
        Assert.Equal([new RecordedAction(m + Seconds(0.5), "r", ActionKind.LowerPriority, 100)], h.Actions.Calls);
        Assert.Equal(m + Seconds(1), h.Router.NextDeadline);
    }

    [Fact]
    public void Master_with_equal_priority_yields_to_a_higher_address()
    {
        var h = new RouterHarness();
        long m = h.StartAsMaster();
        h.RunUntil(m + Seconds(0.5));
        Assert.Equal(VrrpDropReason.None, h.Receive(100, Higher));
        AssertYielded(h, m + Seconds(0.5), Higher);
    }

    [Fact]
    public void Master_hearing_a_higher_priority_becomes_backup_and_removes_its_addresses()
    {
        var h = new RouterHarness();
        long m = h.StartAsMaster();
        h.RunUntil(m + Seconds(2.25));
        h.Actions.Clear();
        Assert.Equal(VrrpDropReason.None, h.Receive(101, Lower));
        AssertYielded(h, m + Seconds(2.25), Lower);

        // The delayed gratuitous burst is cancelled; no adverts; master again only after silence.
        h.RunUntil(m + Seconds(2.25) + Mdi100 - 1);
        Assert.Equal(2, h.Actions.Calls.Count);
        Assert.Equal(VrrpState.Backup, h.Router.State);
    }

    private static void AssertYielded(RouterHarness h, long at, VrrpAddress master)
    {
        Assert.Equal(VrrpState.Backup, h.Router.State);
        Assert.Equal(
        [
            new RecordedAction(at, "r", ActionKind.RemoveAddresses),
            new RecordedAction(at, "r", ActionKind.State, 0, VrrpState.Master, VrrpState.Backup, VrrpTransitionReason.HigherPriorityAdvertisement),
        ], h.Actions.Calls);
        Assert.Equal(at + Mdi100, h.Router.NextDeadline);
        Assert.Equal(master, h.Router.MasterAddress);
        Assert.Equal(1, h.Router.Statistics.ReleasedMaster);
    }

    [Fact]
    public void Master_hearing_a_lower_priority_discards_it()
    {
        // The RFC's behaviour, keepalived's under vrrp_strict: no answering advert, no lower-priority bursts.
        var h = new RouterHarness(configure: Strict);
        long m = h.StartAsMaster();
        h.RunUntil(m + Seconds(0.5));
        Assert.Equal(VrrpDropReason.None, h.Receive(99, Higher));
        Assert.Equal(VrrpState.Master, h.Router.State);
        // Nothing but keepalived's notify_master_rx_lower_pri event: no advert, no address change.
        Assert.Equal([new RecordedAction(m + Seconds(0.5), "r", ActionKind.LowerPriority, 99)], h.Actions.Calls);
        Assert.Equal(m + Seconds(1), h.Router.NextDeadline);
    }

    [Fact]
    public void Master_hearing_priority_zero_advertises_at_once()
    {
        var h = new RouterHarness();
        long m = h.StartAsMaster();
        h.RunUntil(m + Seconds(0.25));
        h.Receive(0, Higher);
        Assert.Equal([new RecordedAction(m + Seconds(0.25), "r", ActionKind.Advert, 100)], h.Actions.Calls);
        Assert.Equal(m + Seconds(1.25), h.Router.NextDeadline);
        Assert.Equal(VrrpState.Master, h.Router.State);
    }

    [Fact]
    public void Shutdown_from_master_sends_priority_zero_then_removes_addresses()
    {
        var h = new RouterHarness();
        long m = h.StartAsMaster();
        h.RunUntil(m + Seconds(1.5));
        h.Actions.Clear();
        h.Router.Shutdown();
        long t = m + Seconds(1.5);
        Assert.Equal(
        [
            new RecordedAction(t, "r", ActionKind.Advert, 0),
            new RecordedAction(t, "r", ActionKind.RemoveAddresses),
            new RecordedAction(t, "r", ActionKind.State, 0, VrrpState.Master, VrrpState.Initialize, VrrpTransitionReason.Shutdown),
        ], h.Actions.Calls);
        Assert.Equal(VrrpState.Initialize, h.Router.State);
        Assert.Equal(VrrpRouter.Never, h.Router.NextDeadline);
        Assert.Equal(1, h.Router.Statistics.PriorityZeroSent);

        // It can start again.
        h.Router.Start();
        Assert.Equal(VrrpState.Backup, h.Router.State);
        Assert.Equal(t + Mdi100, h.Router.NextDeadline);
    }

    [Fact]
    public void Shutdown_from_backup_sends_nothing()
    {
        var h = new RouterHarness();
        h.Router.Start();
        h.Actions.Clear();
        h.Router.Shutdown();
        RecordedAction only = Assert.Single(h.Actions.Calls);
        Assert.Equal(VrrpState.Initialize, only.To);
        Assert.Equal(VrrpRouter.Never, h.Router.NextDeadline);
        h.Router.Shutdown(); // idempotent
        Assert.Single(h.Actions.Calls);
    }

    [Fact]
    public void Priority_255_becomes_master_at_once()
    {
        var h = new RouterHarness(priority: 255);
        h.Router.Start();
        Assert.Equal(VrrpState.Master, h.Router.State);
        Assert.Equal(
        [
            new RecordedAction(T0, "r", ActionKind.State, 0, VrrpState.Initialize, VrrpState.Master, VrrpTransitionReason.AddressOwner),
            new RecordedAction(T0, "r", ActionKind.AddAddresses),
            new RecordedAction(T0, "r", ActionKind.Advert, 255),
            new RecordedAction(T0, "r", ActionKind.Garp, 5),
        ], h.Actions.Calls);
        Assert.Equal(T0 + Seconds(1), h.Router.NextDeadline);
        h.Router.Start(); // a second Start does nothing
        Assert.Equal(4, h.Actions.Calls.Count);
    }

    [Fact]
    public void Interface_down_faults_a_master_and_up_rejoins_as_backup()
    {
        var h = new RouterHarness();
        long m = h.StartAsMaster();
        h.RunUntil(m + Seconds(1.5));
        h.Actions.Clear();
        h.Router.InterfaceDown();
        long t = m + Seconds(1.5);
        Assert.Equal(
        [
            new RecordedAction(t, "r", ActionKind.RemoveAddresses),
            new RecordedAction(t, "r", ActionKind.State, 0, VrrpState.Master, VrrpState.Fault, VrrpTransitionReason.InterfaceDown),
        ], h.Actions.Calls);
        Assert.Equal(VrrpRouter.Never, h.Router.NextDeadline);

        // In fault: adverts change nothing, no timers run, a second down is ignored.
        h.Receive(0, Higher);
        h.Router.InterfaceDown();
        h.RunUntil(t + Seconds(30));
        Assert.Equal(VrrpState.Fault, h.Router.State);
        Assert.Equal(2, h.Actions.Calls.Count);

        h.Router.InterfaceUp();
        Assert.Equal(VrrpState.Backup, h.Router.State);
        Assert.Equal(VrrpTransitionReason.InterfaceUp, h.Actions.Calls[^1].Reason);
        Assert.Equal(t + Seconds(30) + Mdi100, h.Router.NextDeadline);
        h.Router.InterfaceUp(); // not in fault: ignored
        Assert.Equal(3, h.Actions.Calls.Count);
    }

    [Fact]
    public void Interface_down_from_backup_removes_nothing()
    {
        var h = new RouterHarness();
        h.Router.Start();
        h.Router.InterfaceDown();
        Assert.Equal(VrrpState.Fault, h.Router.State);
        Assert.Empty(h.Actions.Of(ActionKind.RemoveAddresses));
    }

    [Fact]
    public void Owner_interface_up_is_master_at_once()
    {
        var h = new RouterHarness(priority: 255);
        h.Router.Start();
        h.Router.InterfaceDown();
        h.Router.InterfaceUp();
        Assert.Equal(VrrpState.Master, h.Router.State);
        Assert.Equal(VrrpTransitionReason.InterfaceUp, h.Actions.Of(ActionKind.State).Last().Reason);
    }

    [Fact]
    public void SetPriority_changes_the_next_advert()
    {
        var h = new RouterHarness();
        long m = h.StartAsMaster();
        h.Router.SetPriority(90);
        h.RunUntil(m + Seconds(1));
        Assert.Equal(90, h.Actions.Of(ActionKind.Advert).Single().Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Router.SetPriority(0));
    }

    // ---- configuration checks of RFC 3768 §7.1: dropped, counted, timer untouched -----------

    public static TheoryData<string, VrrpDropReason> Mismatches => new()
    {
        { "auth-type", VrrpDropReason.AuthenticationTypeMismatch },
        { "no-auth", VrrpDropReason.AuthenticationTypeMismatch },
        { "password", VrrpDropReason.AuthenticationFailure },
        { "password-prefix", VrrpDropReason.AuthenticationFailure },
        { "interval", VrrpDropReason.AdvertisementIntervalMismatch },
        { "version", VrrpDropReason.VersionMismatch },
        { "fewer-addresses", VrrpDropReason.AddressListMismatch },
        { "more-addresses", VrrpDropReason.AddressListMismatch },
        { "other-address", VrrpDropReason.AddressListMismatch },
        { "address-order", VrrpDropReason.AddressListMismatch },
        { "own-address", VrrpDropReason.OwnPacket },
    };

    private static void Spoil(string mismatch, Advert a)
    {
        switch (mismatch)
        {
            case "auth-type": a.AuthenticationType = VrrpAuthenticationType.IpAuthenticationHeader; break;
            case "no-auth": a.AuthenticationType = VrrpAuthenticationType.None; a.Password = ""; break;
            case "password": a.Password = "wrong"; break;
            case "password-prefix": a.Password = Password[..3]; break;
            case "interval": a.IntervalCentiseconds = 200; break;
            case "version": a.Version = 3; break;
            case "fewer-addresses": a.Addresses = [Vip1]; break;
            case "more-addresses": a.Addresses = [Vip1, Vip2, VrrpAddress.Parse("192.168.1.3")]; break;
            case "other-address": a.Addresses = [Vip1, VrrpAddress.Parse("192.168.1.3")]; break;
            case "address-order": a.Addresses = [Vip2, Vip1]; break;
            case "own-address": a.Source = Self; break;
        }
    }

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void Mismatched_advert_is_dropped_and_counted(string mismatch, VrrpDropReason expected)
    {
        var h = new RouterHarness();
        h.Router.Start();
        h.RunUntil(T0 + Seconds(1));
        Assert.Equal(expected, h.Receive(200, Higher, a => Spoil(mismatch, a)));
        Assert.Equal(1, h.Router.Statistics.Dropped(expected));
        Assert.Equal(1, h.Router.Statistics.TotalDropped);
        Assert.Equal(0, h.Router.Statistics.AdvertisementsReceived);
        Assert.Equal(T0 + Mdi100, h.Router.NextDeadline); // not reset
        Assert.Equal(VrrpAddress.None, h.Router.MasterAddress);

        // A dropped advert does not make a master yield either.
        var m = new RouterHarness();
        m.StartAsMaster();
        Assert.Equal(expected, m.Receive(200, Higher, a => Spoil(mismatch, a)));
        Assert.Equal(VrrpState.Master, m.Router.State);
    }

    [Theory]
    [InlineData("fewer-addresses")]
    [InlineData("other-address")]
    [InlineData("address-order")]
    public void Address_list_mismatch_is_accepted_from_the_owner(string mismatch)
    {
        var h = new RouterHarness();
        h.Router.Start();
        Assert.Equal(VrrpDropReason.None, h.Receive(255, Higher, a => Spoil(mismatch, a)));
        Assert.Equal(1, h.Router.Statistics.AdvertisementsReceived);
    }

    [Theory]
    [InlineData("fewer-addresses")]
    [InlineData("more-addresses")]
    [InlineData("address-order")]
    public void Address_list_mismatch_is_accepted_with_skip_check(string mismatch)
    {
        var h = new RouterHarness(configure: s => s with { SkipCheckAdvertisementAddresses = true });
        h.Router.Start();
        h.RunUntil(T0 + Seconds(1));
        Assert.Equal(VrrpDropReason.None, h.Receive(200, Higher, a => Spoil(mismatch, a)));
        Assert.Equal(T0 + Seconds(1) + Mdi100, h.Router.NextDeadline);
    }

    [Fact]
    public void Drops_are_counted_per_reason()
    {
        var h = new RouterHarness();
        h.Router.Start();
        h.Receive(100, Higher, a => a.Password = "x");
        h.Receive(100, Higher, a => a.Password = "y");
        h.Receive(100, Higher, a => a.IntervalCentiseconds = 300);
        h.Receive(100, Higher);
        Assert.Equal(2, h.Router.Statistics.Dropped(VrrpDropReason.AuthenticationFailure));
        Assert.Equal(1, h.Router.Statistics.Dropped(VrrpDropReason.AdvertisementIntervalMismatch));
        Assert.Equal(3, h.Router.Statistics.TotalDropped);
        Assert.Equal(1, h.Router.Statistics.AdvertisementsReceived);
    }

    [Fact]
    public void Version3_has_no_authentication_or_interval_check()
    {
        var h = new RouterHarness(version: 3);
        h.Router.Start();
        Assert.Equal(VrrpDropReason.VersionMismatch, h.Receive(200, Higher, a => a.Version = 2));
        Assert.Equal(VrrpDropReason.None, h.Receive(200, Higher, a => a.IntervalCentiseconds = 250));
    }

    // ---- VRRPv3 timers (RFC 9568 §6.1) ------------------------------------------------------

    [Fact]
    public void Version3_backup_learns_the_master_interval()
    {
        var h = new RouterHarness(version: 3);
        h.Router.Start();
        Assert.Equal(Mdi100, h.Router.MasterDownInterval.Ticks);
        h.RunUntil(T0 + Seconds(1));
        Assert.Equal(VrrpDropReason.None, h.Receive(150, Higher, a => a.IntervalCentiseconds = 200));
        Assert.Equal(TimeSpan.FromSeconds(2), h.Router.MasterAdvertisementInterval);
        // Skew_Time = (256 − 100) × 2 s / 256 = 1.21875 s; Master_Down_Interval = 3 × 2 + 1.21875.
        Assert.Equal(Seconds(1.21875), h.Router.SkewTime.Ticks);
        Assert.Equal(T0 + Seconds(1) + Seconds(7.21875), h.Router.NextDeadline);

        // Priority zero: take over after the (learned) Skew_Time.
        h.RunUntil(T0 + Seconds(2));
        h.Receive(0, Higher, a => a.IntervalCentiseconds = 200);
        Assert.Equal(T0 + Seconds(2) + Seconds(1.21875), h.Router.NextDeadline);
        h.RunUntil(T0 + Seconds(2) + Seconds(1.21875));
        Assert.Equal(VrrpState.Master, h.Router.State);
        // As master it advertises at its own interval again.
        Assert.Equal(TimeSpan.FromSeconds(1), h.Router.MasterAdvertisementInterval);
        Assert.Equal(T0 + Seconds(4.21875), h.Router.NextDeadline);
    }

    [Fact]
    public void Version3_master_yielding_takes_the_new_master_interval()
    {
        var h = new RouterHarness(version: 3);
        long m = h.StartAsMaster();
        h.Receive(101, Lower, a => a.IntervalCentiseconds = 50);
        Assert.Equal(VrrpState.Backup, h.Router.State);
        Assert.Equal(TimeSpan.FromMilliseconds(500), h.Router.MasterAdvertisementInterval);
        // 3 × 0.5 + 156 × 0.5 / 256 = 1.5 + 0.3046875
        Assert.Equal(m + Seconds(1.8046875), h.Router.NextDeadline);
    }

    [Fact]
    public void Version3_centisecond_interval_as_master()
    {
        var h = new RouterHarness(version: 3, configure: s => s with { Version = 3, AdvertisementInterval = TimeSpan.FromMilliseconds(200) });
        h.Router.Start();
        // 3 × 0.2 + 156 × 0.2 / 256 = 0.721875 s
        Assert.Equal(Seconds(0.721875), h.Router.MasterDownInterval.Ticks);
        long m = h.StartAsMasterFromStarted();
        h.RunUntil(m + Seconds(1));
        Assert.Equal([m + Seconds(0.2), m + Seconds(0.4), m + Seconds(0.6), m + Seconds(0.8), m + Seconds(1)],
            h.Actions.Of(ActionKind.Advert).Select(a => a.Time));
    }
}
