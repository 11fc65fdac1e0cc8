using KeepSharp.Config;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Sync;
using KeepSharp.Vrrp.Tracking;

namespace KeepSharp.Simulation.Cluster;

/// <summary>
/// The whole cluster on one <see cref="SimulatedLan"/>: every member's real <see cref="VrrpRouter"/>, with its
/// host's transition queue and sync groups, its <see cref="InstanceTracking"/> fed as if every tracker succeeded,
/// its adverts written and read by the production codec and receive path. Drops are recorded, not thrown: a
/// misconfigured cluster is what is being studied.
/// </summary>
internal sealed class ClusterSimulation
{
    private readonly Dictionary<ClusterMember, SimulatedNode> _nodes = [];
    private readonly Dictionary<ClusterMember, InstanceTracking> _tracking = [];

    private ClusterSimulation(IReadOnlyList<ClusterMember> members, int seed)
    {
        Members = members;
        Lan = new SimulatedLan(seed) { StrictReceive = false };
        foreach (IGrouping<ClusterHost, ClusterMember> host in members.GroupBy(m => m.Host))
        {
            var queue = new VrrpTransitionQueue(); // one process: its sync groups move together
            foreach (ClusterMember member in host)
            {
                SimulatedNode node = Lan.Add(member.Settings with { Name = member.ToString() }, member.Transport, host.Key.Name, queue);
                _nodes.Add(member, node);
                InstanceTracking tracking = member.Healthy();
                _tracking.Add(member, tracking);
                tracking.ApplyTo(node.Router);
                if (member.Instance.UnicastFaultNoPeer && member.Instance.UnicastPeers.Count == 0)
                    node.Router.EnterFault(VrrpFaultReasons.NoUnicastPeers);
            }
            foreach (VrrpSyncGroup group in host.Key.Config.VrrpSyncGroups)
            {
                SimulatedNode[] nodes = [.. host.Where(m => group.Instances.Contains(m.Instance.Name)).Select(m => _nodes[m])];
                if (nodes.Length > 0)
                    Lan.AddSyncGroup(group.Name, nodes);
            }
        }
        SettleTime = SettleTimeOf(members);
    }

    public IReadOnlyList<ClusterMember> Members { get; }
    public SimulatedLan Lan { get; }

    /// <summary>Long enough for any election to finish: two Master_Down_Intervals of the slowest member, its preempt delay, and margin.</summary>
    public TimeSpan SettleTime { get; }

    public SimulatedNode NodeOf(ClusterMember member) => _nodes[member];

    /// <summary>
    /// Starts the cluster and lets the election settle. By default every host starts at once; with
    /// <paramref name="first"/>, that host starts alone and settles (it is master of everything it runs) before the
    /// others start: a backup of equal priority, or with <c>nopreempt</c>, then leaves it master (RFC 3768 §6.4.2).
    /// </summary>
    public static ClusterSimulation Start(IReadOnlyList<ClusterMember> members, int seed = 1, ClusterHost? first = null)
    {
        var simulation = new ClusterSimulation(members, seed);
        if (first is null)
        {
            simulation.Lan.StartAll();
        }
        else
        {
            foreach (ClusterMember member in members.Where(m => m.Host == first))
                simulation.Lan.Act(simulation._nodes[member].Router.Start);
            simulation.Lan.RunFor(simulation.SettleTime);
            foreach (ClusterMember member in members.Where(m => m.Host != first))
                simulation.Lan.Act(simulation._nodes[member].Router.Start);
        }
        simulation.Lan.RunFor(simulation.SettleTime);
        return simulation;
    }

    /// <summary>The members of <paramref name="router"/> that are master now.</summary>
    public IReadOnlyList<ClusterMember> Masters(VirtualRouter router) =>
        [.. router.Members.Where(m => _nodes[m].Attached && _nodes[m].State == VrrpState.Master)];

    public VrrpState StateOf(ClusterMember member) => _nodes[member].Attached ? _nodes[member].State : VrrpState.Initialize;

    public byte PriorityOf(ClusterMember member) => _nodes[member].Priority;

    /// <summary>A tracker of <paramref name="host"/> fails: every member of the host that tracks it hears so at once.</summary>
    public void FailTracker(ClusterHost host, TrackerKind kind, string name) => Lan.Act(() =>
    {
        foreach ((ClusterMember member, InstanceTracking tracking) in _tracking)
        {
            if (member.Host != host || !tracking.Trackers.Any(t => t.Kind == kind && t.Name == name))
                continue;
            bool changed = kind == TrackerKind.File
                ? tracking.UpdateFile(name, 1)
                : tracking.Update(kind, name, TrackerStatus.Down);
            if (changed)
                tracking.ApplyTo(_nodes[member].Router);
        }
    });

    /// <summary>An interface of <paramref name="host"/> goes down: the instances on it leave the wire and go to FAULT; trackers of it fail.</summary>
    public void InterfaceDown(ClusterHost host, string interfaceName)
    {
        foreach (ClusterMember member in Members.Where(m => m.Host == host && m.Instance.Interface == interfaceName))
            Lan.InterfaceDown(_nodes[member]);
        FailTracker(host, TrackerKind.Interface, interfaceName);
    }

    /// <summary>The host is lost (power, kernel panic, cable): its routers fall silent without resigning.</summary>
    public void Lose(ClusterHost host)
    {
        foreach (ClusterMember member in Members.Where(m => m.Host == host))
            Lan.Disconnect(_nodes[member]);
    }

    /// <summary>The last transition at or after <paramref name="since"/> (virtual ticks) of <paramref name="members"/> into MASTER, or out of it; null when none.</summary>
    public long? LastTransition(IEnumerable<ClusterMember> members, long since, bool toMaster)
    {
        long? last = null;
        foreach (ClusterMember member in members)
        {
            foreach ((long time, VrrpState from, VrrpState to, _) in _nodes[member].Transitions)
            {
                bool matches = toMaster ? to == VrrpState.Master : from == VrrpState.Master;
                if (time >= since && matches && (last is null || time > last))
                    last = time;
            }
        }
        return last;
    }

    private static TimeSpan SettleTimeOf(IEnumerable<ClusterMember> members)
    {
        TimeSpan longest = TimeSpan.Zero;
        foreach (ClusterMember m in members)
        {
            TimeSpan down = (m.Settings.DownTimerAdverts + 1) * m.Settings.AdvertisementInterval;
            TimeSpan needed = 2 * down + m.Settings.PreemptDelay;
            if (needed > longest)
                longest = needed;
        }
        return longest + TimeSpan.FromSeconds(2);
    }
}
