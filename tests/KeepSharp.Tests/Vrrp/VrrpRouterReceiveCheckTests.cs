using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Wire;
using static KeepSharp.Tests.Vrrp.RouterHarness;

namespace KeepSharp.Tests.Vrrp;

/// <summary>
/// The receive checks that need the router's configuration (RFC 9568 §7.1, erratum EID 8299; keepalived's
/// vrrp_check_packet): what is dropped and counted by reason, what is accepted and counted as a statistic.
/// </summary>
public class VrrpRouterReceiveCheckTests
{
    /// <summary>Master_Down_Interval for priority 100, advert_int 1 s.</summary>
    private static readonly long Mdi100 = Seconds(3.609375);

    [Fact]
    public void Version3_max_adver_int_zero_is_dropped_and_counted()
    {
        var h = new RouterHarness(version: 3);
        h.Router.Start();
        h.RunUntil(T0 + Seconds(1));
        Assert.Equal(VrrpDropReason.AdvertisementIntervalZero, h.Receive(200, Higher, a => a.IntervalCentiseconds = 0));
        Assert.True(h.Router.NextDeadline == T0 + Mdi100, "a dropped advert does not reset Master_Down_Timer");
        Assert.Equal(TimeSpan.FromSeconds(1), h.Router.MasterAdvertisementInterval);
        Assert.Equal(1, h.Router.Statistics.Dropped(VrrpDropReason.AdvertisementIntervalZero));
        Assert.Equal(1, h.Router.Statistics.TotalDropped);
        Assert.Equal(0, h.Router.Statistics.AdvertisementsReceived);

        // Priority 0 with interval 0 is dropped too: no Skew_Time takeover.
        Assert.Equal(VrrpDropReason.AdvertisementIntervalZero, h.Receive(0, Higher, a => a.IntervalCentiseconds = 0));
        Assert.Equal(T0 + Mdi100, h.Router.NextDeadline);
        Assert.Equal(2, h.Router.Statistics.Dropped(VrrpDropReason.AdvertisementIntervalZero));
    }

    [Fact]
    public void Version3_max_adver_int_zero_does_not_make_a_master_step_down()
    {
        var h = new RouterHarness(version: 3);
        h.StartAsMaster();
        Assert.Equal(VrrpDropReason.AdvertisementIntervalZero, h.Receive(200, Higher, a => a.IntervalCentiseconds = 0));
        Assert.Equal(VrrpState.Master, h.Router.State);
        Assert.Empty(h.Actions.Calls);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void No_virtual_addresses_is_dropped_and_counted_even_with_skip_check(int version)
    {
        var h = new RouterHarness(version: version, configure: s => s with { SkipCheckAdvertisementAddresses = true });
        h.Router.Start();
        h.RunUntil(T0 + Seconds(1));
        Assert.Equal(VrrpDropReason.NoVirtualAddresses, h.Receive(200, Higher, a => a.Addresses = []));
        // The owner's adverts skip the address-list comparison, not this check.
        Assert.Equal(VrrpDropReason.NoVirtualAddresses, h.Receive(255, Higher, a => a.Addresses = []));
        Assert.True(h.Router.NextDeadline == T0 + Mdi100, "dropped adverts do not reset Master_Down_Timer");
        Assert.Equal(2, h.Router.Statistics.Dropped(VrrpDropReason.NoVirtualAddresses));
        Assert.Equal(0, h.Router.Statistics.AdvertisementsReceived);
    }

    [Fact]
    public void Version3_interval_mismatch_is_accepted_counted_and_learned_by_a_backup()
    {
        var h = new RouterHarness(version: 3);
        h.Router.Start();
        h.RunUntil(T0 + Seconds(1));
        Assert.Equal(VrrpDropReason.None, h.Receive(150, Higher, a => a.IntervalCentiseconds = 250));
        Assert.Equal(TimeSpan.FromSeconds(2.5), h.Router.MasterAdvertisementInterval);
        // 3 × 2.5 + 156 × 2.5 / 256
        Assert.Equal(T0 + Seconds(1) + Seconds(7.5 + 1.5234375), h.Router.NextDeadline);
        Assert.Equal(1, h.Router.Statistics.AdvertisementIntervalMismatches);
        Assert.Equal(0, h.Router.Statistics.TotalDropped);

        // The same interval as ours: no mismatch counted; the backup follows the master's interval back.
        h.RunUntil(T0 + Seconds(2));
        Assert.Equal(VrrpDropReason.None, h.Receive(150, Higher));
        Assert.Equal(1, h.Router.Statistics.AdvertisementIntervalMismatches);
        Assert.Equal(TimeSpan.FromSeconds(1), h.Router.MasterAdvertisementInterval);
        Assert.Equal(T0 + Seconds(2) + Mdi100, h.Router.NextDeadline);
    }

    [Fact]
    public void Version3_master_hearing_a_lower_priority_with_another_interval_counts_the_mismatch_and_keeps_its_own()
    {
        var h = new RouterHarness(version: 3);
        long m = h.StartAsMaster();
        Assert.Equal(VrrpDropReason.None, h.Receive(50, Higher, a => a.IntervalCentiseconds = 300));
        Assert.Equal(1, h.Router.Statistics.AdvertisementIntervalMismatches);
        Assert.Equal(TimeSpan.FromSeconds(1), h.Router.MasterAdvertisementInterval);
        Assert.Equal(m + Seconds(1), h.Router.NextDeadline);
    }

    [Fact]
    public void Version2_interval_mismatch_stays_a_drop()
    {
        var h = new RouterHarness();
        h.Router.Start();
        Assert.Equal(VrrpDropReason.AdvertisementIntervalMismatch, h.Receive(200, Higher, a => a.IntervalCentiseconds = 200));
        Assert.Equal(0, h.Router.Statistics.AdvertisementIntervalMismatches);
        Assert.Equal(1, h.Router.Statistics.Dropped(VrrpDropReason.AdvertisementIntervalMismatch));
    }
}
