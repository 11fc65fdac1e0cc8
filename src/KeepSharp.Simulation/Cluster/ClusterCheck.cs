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
        findings.AddRange(ConsistencyChecks.Find(routers, healthy, outcomes));
        List<FailureScenario> scenarios = FailureScenarios.Run(hosts, members, routers);
        findings.AddRange(HealthCheckFindings.Find(hosts, members, scenarios));
        return new ClusterReport
        {
            Hosts = hosts,
            VirtualRouters = routers,
            Healthy = outcomes,
            Scenarios = scenarios,
            Findings = [.. findings.OrderBy(f => f.Severity)],
        };
    }
}
