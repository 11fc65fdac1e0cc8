namespace KeepSharp.Simulation.Cluster;

/// <summary>
/// <c>keepsharp check-cluster</c>: every host's configuration checked together. The instances are paired into
/// virtual routers, compared, and then elected by the real router state machines running together in virtual time
/// (<see cref="ClusterSimulation"/>): with every host healthy, then with each tracker, interface and host failing
/// alone. Pure: the caller loads the files.
/// </summary>
public static class ClusterCheck
{
    /// <param name="hosts">One loaded configuration per host.</param>
    /// <param name="configFindings">What loading the files reported (warnings), to list with the rest.</param>
    public static ClusterReport Run(IReadOnlyList<ClusterHost> hosts, IEnumerable<ClusterFinding>? configFindings = null)
    {
        var findings = new List<ClusterFinding>(configFindings ?? []);
        List<ClusterMember> members = VirtualRouterPairing.Members(hosts, findings);
        List<VirtualRouter> routers = VirtualRouterPairing.Pair(members);
        ClusterSimulation healthy = ClusterSimulation.Start(members);
        RouterOutcome[] outcomes = [.. routers.Select(r => FailureScenarios.Outcome(healthy, r, healthy.Masters(r), healthy.Lan.Now))];
        var byFirstHost = new Dictionary<ClusterHost, IReadOnlyDictionary<VirtualRouter, IReadOnlyList<ClusterMember>>>();
        foreach (ClusterHost host in hosts)
        {
            ClusterSimulation staggered = ClusterSimulation.Start(members, first: host);
            byFirstHost[host] = routers.ToDictionary(r => r, staggered.Masters);
        }
        findings.AddRange(ConsistencyChecks.Find(routers, healthy, outcomes));
        findings.AddRange(StartOrder(hosts, routers, outcomes, byFirstHost));
        List<FailureScenario> scenarios = FailureScenarios.Run(hosts, members, routers);
        findings.AddRange(HealthCheckFindings.Find(hosts, members, scenarios));
        return new ClusterReport
        {
            Hosts = hosts,
            VirtualRouters = routers,
            Healthy = outcomes,
            MastersByFirstHost = byFirstHost,
            Scenarios = scenarios,
            Findings = [.. findings.OrderBy(f => f.Severity)],
        };
    }

    /// <summary>Virtual routers whose healthy master depends on which host starts first.</summary>
    private static IEnumerable<ClusterFinding> StartOrder(IReadOnlyList<ClusterHost> hosts, IReadOnlyList<VirtualRouter> routers,
        IReadOnlyList<RouterOutcome> outcomes, Dictionary<ClusterHost, IReadOnlyDictionary<VirtualRouter, IReadOnlyList<ClusterMember>>> byFirstHost)
    {
        foreach (RouterOutcome outcome in outcomes)
        {
            VirtualRouter router = outcome.Router;
            IReadOnlyList<ClusterMember> together = outcome.MastersAfter;
            var differing = hosts.Where(h => router.Members.Any(m => m.Host == h) && !byFirstHost[h][router].SequenceEqual(together)).ToList();
            if (differing.Count == 0)
                continue;
            string Names(IReadOnlyList<ClusterMember> masters) => masters.Count == 0 ? "nobody" : string.Join(" and ", masters.Select(m => m.Label));
            string orders = string.Join("; ", hosts.Where(h => router.Members.Any(m => m.Host == h))
                .Select(h => $"{h.Name} first: {Names(byFirstHost[h][router])}"));
            yield return new ClusterFinding(FindingSeverity.Warning, "start-order", router.Name,
                $"who is master of {router.Name} depends on which host starts first: all at once: {Names(together)}; {orders} " +
                "(a backup of equal priority, or with nopreempt, leaves a running master in place; give the hosts distinct priorities, or accept it)",
                [.. router.Members.Select(m => m.Instance.LocationOf(m.Instance.NoPreempt ? "nopreempt" : "priority"))]);
        }
    }
}
