using KeepSharp.Vrrp.StateMachine;

namespace KeepSharp.Tests.Simulation;

/// <summary>
/// Election invariants of RFC 3768 / RFC 9568 over many seeded LANs (N = 2..8, random priorities with
/// ties, VRRPv2 and v3). Every assertion message carries <see cref="SimulatedLan.Describe"/>, seed first,
/// so a failure replays with that seed.
/// </summary>
public class SimulatedLanTests
{
    /// <summary>
    /// (seed, routers, version): N cycles 2..8, the version alternates every 7 seeds. Set KSSIM_SOAK=k
    /// to run k times as many seeds (a soak run; the default keeps the suite fast).
    /// </summary>
    public static TheoryData<int, int, int> Lans(int count, int firstSeed)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("KSSIM_SOAK"), out int soak) && soak > 1)
            count *= soak;
        var data = new TheoryData<int, int, int>();
        for (int i = 0; i < count; i++)
            data.Add(firstSeed + i, 2 + i % 7, (i / 7) % 2 == 0 ? 2 : 3);
        return data;
    }

    public static TheoryData<int, int, int> Election => Lans(56, 1000);
    public static TheoryData<int, int, int> Lossy => Lans(42, 2000);
    public static TheoryData<int, int, int> Partitions => Lans(42, 3000);
    public static TheoryData<int, int, int> Few => Lans(28, 4000);

    private static long Interval(SimulatedLan lan) => lan.AdvertisementInterval.Ticks;

    /// <summary>The longest Master_Down_Interval any node can have (lowest priority).</summary>
    private static long WorstMasterDown(SimulatedLan lan) => lan.Nodes.Max(lan.MasterDownTicks);

    private static void AssertOneBestMasterPerPartition(SimulatedLan lan, string when, bool byAddress = true)
    {
        foreach (IGrouping<int, SimulatedNode> partition in lan.Partitions)
        {
            IReadOnlyList<SimulatedNode> masters = lan.Masters(partition);
            Assert.True(masters.Count == 1, $"{when}: partition {partition.Key} has {masters.Count} masters; {lan.Describe()}");
            SimulatedNode best = SimulatedLan.Best(partition);
            if (byAddress)
                Assert.True(masters[0] == best, $"{when}: master {masters[0]} but best is {best}; {lan.Describe()}");
            else
                Assert.True(masters[0].Priority == best.Priority, $"{when}: master {masters[0]} has not the top priority {best.Priority}; {lan.Describe()}");
            Assert.True(masters[0].HoldsAddresses, $"{when}: master {masters[0]} does not hold the VIP; {lan.Describe()}");
            Assert.True(partition.Count(n => n.HoldsAddresses) == 1, $"{when}: several VIP holders; {lan.Describe()}");
        }
    }

    private static void AssertNoDualMasterLongerThan(SimulatedLan lan, long bound, long since = 0)
    {
        long longest = lan.LongestDualMaster(since);
        Assert.True(longest <= bound,
            $"two masters in one partition for {SimulatedLan.Seconds(longest)}s > {SimulatedLan.Seconds(bound)}s; {lan.Describe()} episodes: {string.Join(", ", lan.DualMasterEpisodes.Select(e => $"{SimulatedLan.Seconds(e.Start - SimulatedLan.Start):F6}+{SimulatedLan.Seconds(e.Duration):F6}"))}");
    }

    // ---- 1. election ----------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Election))]
    public void Startup_elects_the_best_router_after_its_master_down_interval(int seed, int count, int version)
    {
        var lan = SimulatedLan.CreateRandom(seed, count, version);
        // Random partitions from the start: each elects on its own.
        int groups = lan.Random.Next(1, Math.Min(count, 3) + 1);
        foreach (SimulatedNode node in lan.Nodes)
            node.Partition = lan.Random.Next(groups);
        lan.StartAll();

        long converged = lan.Partitions.Max(p => lan.MasterDownTicks(SimulatedLan.Best(p))) + lan.MaxDelay;
        lan.RunUntil(SimulatedLan.Start + lan.Nodes.Min(lan.MasterDownTicks) - 1);
        Assert.True(lan.Nodes.All(n => n.State == VrrpState.Backup), $"a master before any Master_Down_Interval; {lan.Describe()}");
        lan.RunUntil(SimulatedLan.Start + converged);
        AssertOneBestMasterPerPartition(lan, "after Master_Down_Interval + delay");
        // Each winner became master exactly at its Master_Down_Interval, and only once.
        foreach (IGrouping<int, SimulatedNode> partition in lan.Partitions)
        {
            SimulatedNode best = SimulatedLan.Best(partition);
            Assert.True(best.Transitions.Single(t => t.To == VrrpState.Master).Time == SimulatedLan.Start + lan.MasterDownTicks(best),
                $"{best} did not take over at its Master_Down_Interval; {lan.Describe()}");
            // The VIP went to the winner at that instant; every tied loser that held it briefly gave it back.
            Assert.True(best.AddressHistory.SequenceEqual([(SimulatedLan.Start + lan.MasterDownTicks(best), true)]), lan.Describe());
            Assert.All(partition.Where(n => n != best), n => Assert.True(n.AddressHistory.Count % 2 == 0 && !n.HoldsAddresses, lan.Describe()));
        }

        long settled = lan.Now;
        int transitions = lan.TransitionsToMaster(0);
        lan.RunFor(TimeSpan.FromSeconds(30));
        AssertOneBestMasterPerPartition(lan, "30 s later");
        Assert.True(lan.TransitionsToMaster(0) == transitions, $"state changes after convergence; {lan.Describe()}");
        AssertNoDualMasterLongerThan(lan, lan.MaxDelay);
        Assert.True(lan.LongestDualMaster(settled) == 0, $"dual master after convergence; {lan.Describe()}");
    }

    [Theory]
    [MemberData(nameof(Few))]
    public void Startup_with_long_delays_converges_within_one_more_interval(int seed, int count, int version)
    {
        // Delays larger than the skew between priorities: lower routers may claim master briefly,
        // until the best router's next advert reaches them.
        var lan = SimulatedLan.CreateRandom(seed, count, version);
        lan.BaseDelay = TimeSpan.FromMilliseconds(1);
        lan.Jitter = TimeSpan.FromMilliseconds(80);
        lan.StartAll();
        SimulatedNode best = SimulatedLan.Best(lan.Nodes);
        lan.RunUntil(SimulatedLan.Start + lan.MasterDownTicks(best) + Interval(lan) + lan.MaxDelay);
        AssertOneBestMasterPerPartition(lan, "after Master_Down_Interval + interval + delay");
        Assert.Single(best.Transitions, t => t.To == VrrpState.Master);
        AssertNoDualMasterLongerThan(lan, Interval(lan) + lan.MaxDelay);
        lan.RunFor(TimeSpan.FromSeconds(20));
        AssertOneBestMasterPerPartition(lan, "20 s later");
    }

    // ---- 2. loss --------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Lossy))]
    public void Loss_causes_only_bounded_flapping_and_heals_within_master_down_interval(int seed, int count, int version)
    {
        var lan = SimulatedLan.CreateRandom(seed, count, version);
        double[] losses = [0.01, 0.05, 0.1];
        lan.LossProbability = losses[seed % losses.Length];
        lan.Jitter = TimeSpan.FromMilliseconds(5);
        lan.StartAll();
        SimulatedNode best = SimulatedLan.Best(lan.Nodes);

        TimeSpan steady = TimeSpan.FromSeconds(200);
        lan.RunFor(TimeSpan.FromSeconds(10));
        long from = lan.Now;
        lan.RunFor(steady);

        // The best router can never be outranked: it became master once and never let go.
        Assert.True(best.Transitions.Count(t => t.To == VrrpState.Master) == 1 && best.State == VrrpState.Master,
            $"the best router flapped: {string.Join("; ", best.Transitions)}; {lan.Describe()}");
        // A backup takes over only after missing ~3 adverts in a row: about p^3 per backup per interval.
        double p = lan.LossProbability;
        double expected = (count - 1) * (steady.Ticks / (double)Interval(lan)) * p * p * p;
        int spurious = lan.TransitionsToMaster(from);
        Assert.True(spurious <= 3 + 10 * expected,
            $"{spurious} takeovers in {steady.TotalSeconds}s at loss {p} (expected ~{expected:F2}); {lan.Describe()}");
        // Each spurious master hears the best one again after a few lost adverts at most.
        AssertNoDualMasterLongerThan(lan, 8 * Interval(lan) + lan.MaxDelay, from);

        lan.LossProbability = 0;
        long stopped = lan.Now;
        lan.RunUntil(stopped + Math.Min(WorstMasterDown(lan), Interval(lan) + lan.MaxDelay));
        AssertOneBestMasterPerPartition(lan, "after loss stopped");
        lan.RunFor(TimeSpan.FromSeconds(30));
        AssertOneBestMasterPerPartition(lan, "30 s after loss stopped");
        Assert.True(lan.TransitionsToMaster(stopped + Interval(lan) + lan.MaxDelay) == 0, $"flapping without loss; {lan.Describe()}");
    }

    // ---- 3. partitions --------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Partitions))]
    public void Partitioned_master_is_replaced_and_takes_over_again_after_healing(int seed, int count, int version)
    {
        var lan = SimulatedLan.CreateRandom(seed, count, version);
        lan.StartAll();
        lan.RunFor(TimeSpan.FromSeconds(10));
        SimulatedNode old = SimulatedLan.Best(lan.Nodes);
        Assert.True(old.State == VrrpState.Master, lan.Describe());

        // Cut the master off at a random point within an advert interval.
        lan.RunFor(TimeSpan.FromTicks((long)(lan.Random.NextDouble() * Interval(lan))));
        long cut = lan.Now;
        lan.Partition([old]);
        SimulatedNode[] rest = lan.Nodes.Where(n => n != old).ToArray();
        SimulatedNode next = SimulatedLan.Best(rest);
        long nextMasterDown = lan.MasterDownTicks(next);
        lan.RunUntil(cut + nextMasterDown + lan.MaxDelay);
        AssertOneBestMasterPerPartition(lan, "after the cut", byAddress: false);
        Assert.True(old.State == VrrpState.Master, $"the isolated master gave up; {lan.Describe()}");
        (long took, _, _, _) = rest.SelectMany(n => n.Transitions).Where(t => t.Time >= cut && t.To == VrrpState.Master).MinBy(t => t.Time);
        Assert.True(took - cut <= nextMasterDown && took - cut > nextMasterDown - Interval(lan) - lan.MaxDelay,
            $"new master after {SimulatedLan.Seconds(took - cut)}s, Master_Down_Interval {SimulatedLan.Seconds(nextMasterDown)}s; {lan.Describe()}");

        lan.RunFor(TimeSpan.FromSeconds(5 + lan.Random.NextDouble() * 5));
        long healed = lan.Now;
        lan.Heal();
        // Two masters until the worse one hears the better one's next advert.
        lan.RunUntil(healed + Interval(lan) + lan.MaxDelay);
        AssertOneBestMasterPerPartition(lan, "after healing");
        Assert.True(old.State == VrrpState.Master, $"the best router did not preempt back; {lan.Describe()}");
        AssertNoDualMasterLongerThan(lan, Interval(lan) + lan.MaxDelay);
        lan.RunFor(TimeSpan.FromSeconds(20));
        AssertOneBestMasterPerPartition(lan, "20 s after healing");
    }

    [Theory]
    [MemberData(nameof(Partitions))]
    public void Random_partitions_always_settle_to_one_top_priority_master_each(int seed, int count, int version)
    {
        var lan = SimulatedLan.CreateRandom(seed, count, version);
        lan.StartAll();
        lan.RunFor(TimeSpan.FromSeconds(10));
        long settle = WorstMasterDown(lan) + Interval(lan) + lan.MaxDelay;
        for (int round = 0; round < 8; round++)
        {
            int groups = lan.Random.Next(1, Math.Min(count, 4) + 1);
            var assignment = lan.Nodes.GroupBy(_ => lan.Random.Next(groups)).Select(g => g.ToArray()).ToArray();
            lan.Partition(assignment);
            lan.RunUntil(lan.Now + settle);
            AssertOneBestMasterPerPartition(lan, $"round {round}", byAddress: false);
            lan.RunFor(TimeSpan.FromTicks((long)(lan.Random.NextDouble() * 5 * Interval(lan))));
        }
        lan.Heal();
        lan.RunUntil(lan.Now + Interval(lan) + lan.MaxDelay);
        AssertOneBestMasterPerPartition(lan, "healed", byAddress: false);
        // Merges and splits: two masters never outlive one advert interval + delay.
        AssertNoDualMasterLongerThan(lan, Interval(lan) + lan.MaxDelay);
    }

    // ---- 4. nopreempt ---------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Few))]
    public void Recovered_higher_priority_router_without_preempt_stays_backup(int seed, int count, int version)
    {
        // Node 0 gets priority 250, strictly the highest; the rest are random. Same LAN twice: once
        // with node 0 in nopreempt, once preempting, as the contrast.
        var template = SimulatedLan.CreateRandom(seed, count, version);
        RunNopreempt(Rebuild(template, seed, count, version, preemptHigh: false), preempt: false);
        RunNopreempt(Rebuild(template, seed, count, version, preemptHigh: true), preempt: true);
    }

    private static SimulatedLan Rebuild(SimulatedLan template, int seed, int count, int version, bool preemptHigh)
    {
        var lan = new SimulatedLan(seed, version, template.AdvertisementInterval);
        lan.Add(250, template.Nodes[0].Address, preemptHigh);
        foreach (SimulatedNode node in template.Nodes.Skip(1))
            lan.Add(node.Priority, node.Address);
        return lan;
    }

    private static void RunNopreempt(SimulatedLan lan, bool preempt)
    {
        SimulatedNode high = lan.Nodes[0];
        lan.StartAll();
        lan.RunFor(TimeSpan.FromSeconds(10));
        Assert.True(high.State == VrrpState.Master, $"nopreempt router did not win the initial election; {lan.Describe()}");

        lan.InterfaceDown(high);
        lan.RunFor(TimeSpan.FromSeconds(10));
        if (lan.Nodes.Count == 1)
            return;
        SimulatedNode second = SimulatedLan.Best(lan.Nodes.Skip(1));
        AssertOneBestMasterPerPartition(lan, "high router down", byAddress: false);

        long up = lan.Now;
        lan.InterfaceUp(high);
        Assert.Equal(VrrpState.Backup, high.State);
        lan.RunFor(TimeSpan.FromSeconds(30));
        if (preempt)
        {
            // It ignores the lower master's adverts and takes over after its Master_Down_Interval, exactly.
            Assert.True(high.State == VrrpState.Master, $"preempting router did not take over; {lan.Describe()}");
            Assert.True(high.Transitions.Last(t => t.To == VrrpState.Master).Time == up + lan.MasterDownTicks(high),
                $"preemption not at Master_Down_Interval; {lan.Describe()}");
        }
        else
        {
            Assert.True(high.State == VrrpState.Backup, $"nopreempt router took over; {lan.Describe()}");
            Assert.True(lan.Masters(lan.Nodes).Single().Priority == second.Priority, lan.Describe());
        }
    }

    // ---- 5. shutdown ----------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Election))]
    public void Master_shutdown_hands_over_after_skew_time(int seed, int count, int version)
    {
        var lan = SimulatedLan.CreateRandom(seed, count, version);
        lan.StartAll();
        lan.RunFor(TimeSpan.FromSeconds(10 + lan.Random.NextDouble()));
        SimulatedNode old = SimulatedLan.Best(lan.Nodes);
        Assert.True(old.State == VrrpState.Master, lan.Describe());

        long down = lan.Now;
        lan.Shutdown(old);
        Assert.False(old.HoldsAddresses);
        SimulatedNode[] rest = lan.Nodes.Where(n => n != old).ToArray();
        if (rest.Length == 0)
            return;
        byte top = rest.Max(n => n.Priority);
        long skew = rest.First(n => n.Priority == top).Router.SkewTime.Ticks;
        lan.RunUntil(down + lan.MaxDelay + skew + lan.MaxDelay);
        AssertOneBestMasterPerPartition(lan, "after shutdown", byAddress: false);

        // The first to take over has the top remaining priority and did so Skew_Time after the
        // priority-0 advert reached it: not after Master_Down_Interval.
        var first = rest.SelectMany(n => n.Transitions.Where(t => t.Time >= down && t.To == VrrpState.Master).Select(t => (Node: n, t.Time, t.Reason)))
            .OrderBy(x => x.Time).First();
        Assert.True(first.Node.Priority == top, $"{first.Node} took over first; {lan.Describe()}");
        Assert.Equal(VrrpTransitionReason.MasterStopped, first.Reason);
        long heard = first.Node.Received.Single(r => r.Time >= down && r.Priority == 0).Time;
        Assert.True(first.Time == heard + first.Node.Router.SkewTime.Ticks,
            $"took over {SimulatedLan.Seconds(first.Time - heard)}s after the priority-0 advert, Skew_Time {SimulatedLan.Seconds(skew)}s; {lan.Describe()}");
        Assert.True(first.Time - down < lan.MasterDownTicks(first.Node), lan.Describe());
        // Tied backups heard the priority-0 advert up to one jitter apart; the last to take over (if it
        // has the highest address) makes the others yield one delay later.
        AssertNoDualMasterLongerThan(lan, lan.Jitter.Ticks + lan.MaxDelay);

        // The old master comes back as a backup. With a strictly higher priority it ignores the new
        // master's adverts and preempts exactly one Master_Down_Interval later; with an equal one it
        // follows the new master (a backup does not preempt an equal priority, whatever the address).
        lan.RunFor(TimeSpan.FromSeconds(5));
        long restart = lan.Now;
        lan.Restart(old);
        lan.RunUntil(restart + lan.MasterDownTicks(old) + lan.MaxDelay);
        AssertOneBestMasterPerPartition(lan, "after restart", byAddress: false);
        if (old.Priority > top)
        {
            Assert.True(old.State == VrrpState.Master, $"{old} did not preempt; {lan.Describe()}");
            Assert.True(old.Transitions[^1].Time == restart + lan.MasterDownTicks(old), $"{old} preempted at the wrong time; {lan.Describe()}");
        }
        else
        {
            Assert.True(old.State == VrrpState.Backup, $"{old} preempted an equal priority; {lan.Describe()}");
        }
    }

    [Theory]
    [MemberData(nameof(Few))]
    public void Address_owner_is_master_at_once_and_takes_back_at_once(int seed, int count, int version)
    {
        var template = SimulatedLan.CreateRandom(seed, count, version);
        var lan = new SimulatedLan(seed, version, template.AdvertisementInterval);
        SimulatedNode owner = lan.Add(255, template.Nodes[0].Address);
        foreach (SimulatedNode node in template.Nodes.Skip(1))
            lan.Add(node.Priority, node.Address);
        lan.StartAll();
        Assert.Equal(VrrpState.Master, owner.State);
        lan.RunFor(TimeSpan.FromSeconds(20));
        AssertOneBestMasterPerPartition(lan, "owner running");
        Assert.Equal(1, lan.TransitionsToMaster(0));
        if (count == 1)
            return;

        lan.Shutdown(owner);
        lan.RunFor(TimeSpan.FromSeconds(10));
        AssertOneBestMasterPerPartition(lan, "owner shut down", byAddress: false);

        // Back: master at once; the other master yields as soon as the owner's advert reaches it.
        long back = lan.Now;
        lan.Restart(owner);
        Assert.Equal(VrrpState.Master, owner.State);
        lan.RunUntil(back + lan.MaxDelay);
        AssertOneBestMasterPerPartition(lan, "owner back");
        Assert.True(lan.LongestDualMaster(back) <= lan.MaxDelay, lan.Describe());
        AssertNoDualMasterLongerThan(lan, lan.Jitter.Ticks + lan.MaxDelay); // the hand-over after shutdown, with ties
    }

    [Theory]
    [MemberData(nameof(Few))]
    public void Lowering_the_master_priority_hands_over_to_the_best_backup(int seed, int count, int version)
    {
        // Tracking (SetPriority): the master drops below a backup, which stops accepting its adverts,
        // takes over after its Master_Down_Interval, and the old master yields on the new one's advert.
        var lan = SimulatedLan.CreateRandom(seed, count, version);
        lan.StartAll();
        lan.RunFor(TimeSpan.FromSeconds(10));
        SimulatedNode old = SimulatedLan.Best(lan.Nodes);
        if (count == 1)
            return;
        SimulatedNode next = SimulatedLan.Best(lan.Nodes.Where(n => n != old));
        long changed = lan.Now;
        old.Router.SetPriority((byte)(next.Priority - 1));
        lan.RunUntil(changed + lan.MasterDownTicks(next) + lan.Jitter.Ticks + lan.MaxDelay);
        // A router of the top remaining priority: ties whose timers were reset by the same advert up to
        // one jitter apart need not end with the highest address.
        AssertOneBestMasterPerPartition(lan, "after lowering", byAddress: false);
        Assert.True(old.State == VrrpState.Backup, lan.Describe());
        SimulatedNode taken = lan.Masters(lan.Nodes).Single();
        Assert.True(taken.Transitions[^1].Time - changed <= lan.MasterDownTicks(taken) + lan.Jitter.Ticks,
            $"{taken} took {SimulatedLan.Seconds(taken.Transitions[^1].Time - changed)}s; {lan.Describe()}");
        // The old master yields on the first advert it hears; a tie of the new master whose timer ran
        // out up to one jitter later yields one delay after that.
        AssertNoDualMasterLongerThan(lan, lan.Jitter.Ticks + lan.MaxDelay);
    }

    // ---- 6/7. chaos and determinism -------------------------------------------------------------

    private static SimulatedLan Chaos(int seed, int count, int version, double loss)
    {
        var lan = SimulatedLan.CreateRandom(seed, count, version);
        lan.LossProbability = loss;
        lan.StartAll();
        for (int step = 0; step < 25; step++)
        {
            lan.RunFor(TimeSpan.FromTicks((long)(lan.Random.NextDouble() * 6 * Interval(lan))));
            SimulatedNode node = lan.Nodes[lan.Random.Next(count)];
            switch (lan.Random.Next(6))
            {
                case 0:
                    int groups = lan.Random.Next(1, 4);
                    lan.Partition(lan.Nodes.GroupBy(_ => lan.Random.Next(groups)).Select(g => g.ToArray()).ToArray());
                    break;
                case 1:
                    lan.Heal();
                    break;
                case 2 when node.State != VrrpState.Initialize:
                    lan.Shutdown(node);
                    break;
                case 2:
                    lan.Restart(node);
                    break;
                case 3 when node.State == VrrpState.Fault:
                    lan.InterfaceUp(node);
                    break;
                case 3 when node.State != VrrpState.Initialize:
                    lan.InterfaceDown(node);
                    break;
                default:
                    break;
            }
        }
        // Back to a whole, healthy LAN.
        lan.Heal();
        foreach (SimulatedNode node in lan.Nodes)
        {
            if (node.State == VrrpState.Fault)
                lan.InterfaceUp(node);
            else if (node.State == VrrpState.Initialize)
                lan.Restart(node);
        }
        lan.LossProbability = 0;
        return lan;
    }

    [Theory]
    [MemberData(nameof(Partitions))]
    public void Chaos_without_loss_never_has_two_masters_longer_than_an_interval(int seed, int count, int version)
    {
        var lan = Chaos(seed, count, version, loss: 0);
        lan.RunUntil(lan.Now + WorstMasterDown(lan) + Interval(lan) + lan.MaxDelay);
        AssertOneBestMasterPerPartition(lan, "after chaos", byAddress: false);
        AssertNoDualMasterLongerThan(lan, Interval(lan) + lan.MaxDelay);
    }

    [Theory]
    [InlineData(7, 5, 2)]
    [InlineData(8, 8, 3)]
    [InlineData(9, 3, 2)]
    public void Same_seed_replays_the_same_trace(int seed, int count, int version)
    {
        SimulatedLan a = Chaos(seed, count, version, loss: 0.1);
        a.RunFor(TimeSpan.FromSeconds(10));
        SimulatedLan b = Chaos(seed, count, version, loss: 0.1);
        b.RunFor(TimeSpan.FromSeconds(10));
        Assert.True(a.Trace.Count > 100, $"trace too short to mean anything: {a.Trace.Count}");
        Assert.Equal(a.TraceText(), b.TraceText());

        SimulatedLan c = Chaos(seed + 1000, count, version, loss: 0.1);
        c.RunFor(TimeSpan.FromSeconds(10));
        Assert.NotEqual(a.TraceText(), c.TraceText());
    }
}
