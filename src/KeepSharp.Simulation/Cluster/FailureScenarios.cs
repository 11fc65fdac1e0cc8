using KeepSharp.Config;
using KeepSharp.Vrrp.Tracking;

namespace KeepSharp.Simulation.Cluster;

/// <summary>
/// Each failure alone on a healthy cluster: every tracker of every host (script, tracked interface, file,
/// process; a sync group's trackers reach every member), every interface an instance runs on, and each host lost.
/// Each runs on a fresh <see cref="ClusterSimulation"/>: the cluster settles healthy, the failure happens, the
/// daemon learns of it after the tracker's detection time, and the election settles again.
/// </summary>
internal static class FailureScenarios
{
    public static List<FailureScenario> Run(IReadOnlyList<ClusterHost> hosts, IReadOnlyList<ClusterMember> members, IReadOnlyList<VirtualRouter> routers)
    {
        var scenarios = new List<FailureScenario>();
        foreach (ClusterHost host in hosts)
        {
            ClusterMember[] own = [.. members.Where(m => m.Host == host)];
            if (own.Length == 0)
                continue;
            foreach (TrackedObject tracker in own.SelectMany(m => m.Trackers).Where(t => t.Kind != TrackerKind.Interface).DistinctBy(t => (t.Kind, t.Name)))
            {
                if (tracker.Kind == TrackerKind.File && !own.SelectMany(m => m.Trackers).Any(t => t.Kind == TrackerKind.File && t.Name == tracker.Name && FileFailureHurts(t)))
                    continue; // a weighted file whose value 1 only adds priority: not a failure
                (TimeSpan detection, string text) = Detection(host.Config, tracker);
                FailureKind kind = tracker.Kind switch
                {
                    TrackerKind.Script => FailureKind.Script,
                    TrackerKind.File => FailureKind.File,
                    _ => FailureKind.Process,
                };
                scenarios.Add(Run(members, routers, host, kind, tracker.Name, detection, text,
                    s => s.FailTracker(host, tracker.Kind, tracker.Name)));
            }
            IEnumerable<string> interfaces = own.Select(m => m.Instance.Interface)
                .Concat(own.SelectMany(m => m.Trackers).Where(t => t.Kind == TrackerKind.Interface).Select(t => t.Name))
                .Where(i => i.Length > 0).Distinct(StringComparer.Ordinal);
            foreach (string name in interfaces)
            {
                scenarios.Add(Run(members, routers, host, FailureKind.Interface, name, TimeSpan.Zero, "link down: netlink tells at once",
                    s => s.InterfaceDown(host, name)));
            }
            scenarios.Add(Run(members, routers, host, FailureKind.Host, null, TimeSpan.Zero, "silence: no resignation is sent",
                s => s.Lose(host)));
        }
        return scenarios;
    }

    /// <summary>A file written 1 puts the instance in FAULT or lowers its priority.</summary>
    private static bool FileFailureHurts(TrackedObject tracker)
    {
        (bool fault, int contribution) = tracker.EvaluateFile(1);
        return fault || contribution < 0;
    }

    private static FailureScenario Run(IReadOnlyList<ClusterMember> members, IReadOnlyList<VirtualRouter> routers, ClusterHost host,
        FailureKind kind, string? name, TimeSpan detection, string detectionText, Action<ClusterSimulation> fail)
    {
        ClusterSimulation simulation = ClusterSimulation.Start(members);
        VirtualRouter[] concerned = [.. routers.Where(r => r.Members.Any(m => m.Host == host))];
        var before = concerned.ToDictionary(r => r, simulation.Masters);
        simulation.Lan.RunUntilNextDelivery(simulation.SettleTime); // the worst phase: an advert has just arrived
        long failed = simulation.Lan.Now;
        simulation.Lan.RunFor(detection);
        fail(simulation);
        simulation.Lan.RunFor(simulation.SettleTime);
        RouterOutcome[] outcomes = [.. concerned.Select(r => Outcome(simulation, r, before[r], failed))];
        return new FailureScenario(host, kind, name, detection, detectionText, outcomes);
    }

    /// <summary>
    /// The router as the simulation left it. The time runs from <paramref name="since"/> to the moment its masters
    /// settled: the last new master's takeover, or, when no new master came (one of two masters left, or nobody is
    /// left), the last master's departure (0 for a lost host: its silence is immediate).
    /// </summary>
    public static RouterOutcome Outcome(ClusterSimulation simulation, VirtualRouter router, IReadOnlyList<ClusterMember> mastersBefore, long since)
    {
        MemberOutcome[] members = [.. router.Members.Select(m => new MemberOutcome(m, simulation.StateOf(m), simulation.PriorityOf(m)))];
        var outcome = new RouterOutcome(router, mastersBefore, members, null);
        if (!outcome.MasterChanged)
            return outcome;
        ClusterMember[] newMasters = [.. outcome.MastersAfter.Except(mastersBefore)];
        long? last = newMasters.Length > 0
            ? simulation.LastTransition(newMasters, since, toMaster: true)
            : simulation.LastTransition(mastersBefore, since, toMaster: false);
        return outcome with { After = TimeSpan.FromTicks(last is long at ? at - since : 0) };
    }

    /// <summary>How long before the daemon acts on the tracker's failure, and why.</summary>
    private static (TimeSpan, string) Detection(KeepalivedConfig config, TrackedObject tracker)
    {
        switch (tracker.Kind)
        {
            case TrackerKind.Script when config.VrrpScripts.FirstOrDefault(s => s.Name == tracker.Name) is { } script:
                return (script.Fall * script.Interval, $"fall {script.Fall} × interval {Seconds(script.Interval)}");
            case TrackerKind.Process when config.VrrpTrackProcesses.FirstOrDefault(p => p.Name == tracker.Name) is { } process:
                return (process.TerminateDelay, process.TerminateDelay > TimeSpan.Zero ? $"terminate_delay {Seconds(process.TerminateDelay)}" : "at once");
            default:
                return (TimeSpan.Zero, "at once");
        }
    }

    public static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.###} s";
}
