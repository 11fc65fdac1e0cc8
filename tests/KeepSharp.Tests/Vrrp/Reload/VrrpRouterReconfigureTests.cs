using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Sync;

namespace KeepSharp.Tests.Vrrp.Reload;

/// <summary>A router reconfigured by a reload keeps its state and its cadence; the changes take effect from then on.</summary>
public sealed class VrrpRouterReconfigureTests
{
    private static readonly VrrpAddress A = VrrpAddress.Parse("10.0.0.1");
    private static readonly VrrpAddress B = VrrpAddress.Parse("10.0.0.2");

    private static (SimulatedLan Lan, SimulatedNode Master, SimulatedNode Backup) Pair()
    {
        var lan = new SimulatedLan(seed: 5);
        SimulatedNode master = lan.Add(100, A), backup = lan.Add(90, B);
        lan.StartAll();
        lan.RunFor(TimeSpan.FromSeconds(6));
        Assert.Equal((VrrpState.Master, VrrpState.Backup), (master.State, backup.State));
        return (lan, master, backup);
    }

    private static long[] SendTimes(SimulatedLan lan, SimulatedNode node, long since) =>
        [.. lan.Trace.Where(l => l.Contains($" {node.Name} send ", StringComparison.Ordinal)).Select(l => long.Parse(l.Split(' ')[0])).Where(t => t >= since)];

    [Fact]
    public void The_same_settings_change_nothing_and_the_adverts_go_on_at_their_cadence()
    {
        (SimulatedLan lan, SimulatedNode master, SimulatedNode backup) = Pair();
        int transitions = master.Transitions.Count + backup.Transitions.Count;
        long at = lan.Now;
        lan.Act(() => master.Router.Reconfigure(master.Router.Settings with { }));
        lan.RunFor(TimeSpan.FromSeconds(5));
        Assert.Equal(transitions, master.Transitions.Count + backup.Transitions.Count);
        long[] sends = SendTimes(lan, master, at - TimeSpan.FromSeconds(1).Ticks);
        Assert.All(sends.Zip(sends.Skip(1)), p => Assert.Equal(TimeSpan.FromSeconds(1).Ticks, p.Second - p.First));
    }

    [Fact]
    public void A_new_vip_list_on_both_routers_is_advertised_and_accepted_without_an_election()
    {
        (SimulatedLan lan, SimulatedNode master, SimulatedNode backup) = Pair();
        VrrpAddress[] vips = [SimulatedLan.VirtualAddress, VrrpAddress.Parse("10.0.0.253")];
        lan.StrictReceive = true; // a mismatch would throw
        lan.Act(() =>
        {
            master.Router.Reconfigure(master.Router.Settings with { VirtualAddresses = vips });
            backup.Router.Reconfigure(backup.Router.Settings with { VirtualAddresses = vips });
        });
        // The nodes' writers still carry the old list: the daemon recreates its writer; here the check is the router's.
        Assert.Equal(vips, master.Router.Settings.VirtualAddresses);
        Assert.Equal((VrrpState.Master, VrrpState.Backup), (master.State, backup.State));
    }

    [Fact]
    public void A_shorter_interval_brings_the_masters_next_advert_within_it()
    {
        (SimulatedLan lan, SimulatedNode master, _) = Pair();
        lan.RunUntilNextDelivery(TimeSpan.FromSeconds(2)); // just after an advert: the next is ~1 s away
        long at = lan.Now;
        lan.Act(() => master.Router.Reconfigure(master.Router.Settings with { AdvertisementInterval = TimeSpan.FromMilliseconds(200) }));
        Assert.InRange(master.Router.NextDeadline - at, 1, TimeSpan.FromMilliseconds(200).Ticks);
        Assert.Equal(TimeSpan.FromMilliseconds(200), master.Router.MasterAdvertisementInterval);
    }

    [Fact]
    public void A_lower_configured_priority_moves_the_vip_once_tracking_applies_it()
    {
        (SimulatedLan lan, SimulatedNode master, SimulatedNode backup) = Pair();
        lan.Act(() =>
        {
            master.Router.Reconfigure(master.Router.Settings with { Priority = 80 });
            master.Router.SetPriority(80); // the daemon's tracking sets the effective priority after a reload
        });
        Assert.Equal((byte)80, master.Router.BasePriority);
        lan.RunFor(TimeSpan.FromSeconds(6));
        Assert.Equal((VrrpState.Backup, VrrpState.Master), (master.State, backup.State));
    }

    [Fact]
    public void Another_virtual_router_id_is_refused()
    {
        (SimulatedLan _, SimulatedNode master, _) = Pair();
        Assert.Throws<ArgumentException>(() => master.Router.Reconfigure(master.Router.Settings with { VirtualRouterId = 52 }));
    }

    [Fact]
    public void A_sync_group_rebuilt_over_running_members_takes_their_state_without_moving_them()
    {
        var lan = new SimulatedLan(seed: 9);
        var queue = new VrrpTransitionQueue();
        SimulatedNode x = lan.Add(100, A, virtualRouterId: 51, transitions: queue);
        SimulatedNode y = lan.Add(100, A, virtualRouterId: 52, transitions: queue);
        SimulatedNode x2 = lan.Add(90, B, virtualRouterId: 51);
        SimulatedNode y2 = lan.Add(90, B, virtualRouterId: 52);
        SyncGroup group = lan.AddSyncGroup("G", x, y);
        lan.StartAll();
        lan.RunFor(TimeSpan.FromSeconds(6));
        Assert.Equal(VrrpState.Master, group.State);
        int transitions = x.Transitions.Count + y.Transitions.Count;

        group.Dissolve();
        Assert.Null(x.Router.SyncGroup);
        SyncGroup rebuilt = lan.AddSyncGroup("G", x, y);
        rebuilt.Resynchronize();
        Assert.Equal(VrrpState.Master, rebuilt.State);
        Assert.Equal(transitions, x.Transitions.Count + y.Transitions.Count);

        // The rebuilt group works: x's interface fails, both members leave, both VIPs go to the other host.
        lan.InterfaceDown(x);
        lan.RunFor(TimeSpan.FromSeconds(6));
        Assert.Equal((VrrpState.Fault, VrrpState.Fault), (x.State, y.State));
        Assert.Equal((VrrpState.Master, VrrpState.Master), (x2.State, y2.State));
    }
}
