using KeepSharp.Config;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Tracking;

namespace KeepSharp.Simulation.Cluster;

/// <summary>
/// What the failure scenarios say about the health checks: a tracker of a master whose failure moves nothing
/// (the seed's trap), a tracker without which a master would not be master, and scripts whose timeout is the
/// default one.
/// </summary>
internal static class HealthCheckFindings
{
    public static IEnumerable<ClusterFinding> Find(IReadOnlyList<ClusterHost> hosts, IReadOnlyList<ClusterMember> members, IReadOnlyList<FailureScenario> scenarios)
    {
        var findings = new List<ClusterFinding>();
        foreach (FailureScenario scenario in scenarios.Where(s => s.Kind is FailureKind.Script or FailureKind.File or FailureKind.Process
                     || (s.Kind == FailureKind.Interface && !IsOwnInterface(members, s))))
        {
            foreach (RouterOutcome outcome in scenario.Outcomes)
            {
                ClusterMember? master = outcome.MastersBefore.SingleOrDefault(m => m.Host == scenario.Host);
                if (master is null || outcome.MastersBefore.Count != 1 || outcome.Router.Members.Count < 2)
                    continue; // the host was not the one master: its failure need not move anything
                TrackedObject? tracker = master.Trackers.FirstOrDefault(t => t.Kind == TrackerOf(scenario.Kind) && t.Name == scenario.Name);
                if (tracker is null)
                    continue;
                MemberOutcome after = outcome.Members.Single(m => m.Member == master);
                MemberOutcome best = outcome.Members.Where(m => m.Member != master).MaxBy(m => m.Priority)!;
                if (!outcome.MasterChanged && after.State == VrrpState.Master)
                {
                    findings.Add(new ClusterFinding(FindingSeverity.Error, "failure-never-fails-over", outcome.Router.Name,
                        $"{scenario.Name} failing leaves {master.Label} at {after.Priority}, above {best.Member.Label}'s {best.Priority}: the VIP never moves " +
                        $"({Weight(tracker)}; a weight that takes it below {best.Priority}, or weight 0 for FAULT, would move it)",
                        [.. TrackerLocations(master, tracker), best.Member.Instance.LocationOf("priority")]));
                }
                else if (outcome.MasterChanged && tracker.Weight * (tracker.Reverse ? -1 : 1) > 0 && master.BasePriority <= best.Priority)
                {
                    findings.Add(new ClusterFinding(FindingSeverity.Info, "master-needs-tracker", outcome.Router.Name,
                        $"{master.Label} is master of {outcome.Router.Name} only while {scenario.Name} succeeds: its {Weight(tracker)} lifts it from {master.BasePriority} to {master.EffectivePriority}, above {best.Member.Label}'s {best.Priority}",
                        [.. TrackerLocations(master, tracker)]));
                }
            }
        }
        foreach (ClusterHost host in hosts)
        {
            var tracked = members.Where(m => m.Host == host).SelectMany(m => m.Trackers)
                .Where(t => t.Kind == TrackerKind.Script).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            foreach (VrrpScript script in host.Config.VrrpScripts.Where(s => tracked.Contains(s.Name) && s.Timeout is null))
            {
                findings.Add(new ClusterFinding(FindingSeverity.Warning, "script-default-timeout", null,
                    $"{host.Name}: vrrp_script {script.Name} has no timeout: it inherits its interval, {FailureScenarios.Seconds(script.Interval)}; a run slower than that is killed and counts as a failure " +
                    "(a script that restarts a service, or stops the daemon, may never finish its work)",
                    [script.Location]));
            }
        }
        return findings;
    }

    private static bool IsOwnInterface(IReadOnlyList<ClusterMember> members, FailureScenario scenario) =>
        members.Any(m => m.Host == scenario.Host && m.Instance.Interface == scenario.Name);

    private static TrackerKind TrackerOf(FailureKind kind) => kind switch
    {
        FailureKind.Script => TrackerKind.Script,
        FailureKind.File => TrackerKind.File,
        FailureKind.Process => TrackerKind.Process,
        _ => TrackerKind.Interface,
    };

    private static string Weight(TrackedObject t) => t.Weight == 0 ? "weight 0" : $"weight {t.Weight:+0;-0}{(t.Reverse ? " reverse" : "")}";

    /// <summary>The track_* line of the instance (or its sync group) and the tracker's own block.</summary>
    private static IEnumerable<ConfigLocation> TrackerLocations(ClusterMember member, TrackedObject tracker)
    {
        KeepalivedConfig config = member.Host.Config;
        ConfigLocation? reference = tracker.Kind switch
        {
            TrackerKind.Script => member.Instance.TrackScripts.FirstOrDefault(r => r.Name == tracker.Name)?.Location,
            TrackerKind.Interface => member.Instance.TrackInterfaceReferences.FirstOrDefault(r => r.Name == tracker.Name)?.Location,
            TrackerKind.File => member.Instance.TrackFiles.FirstOrDefault(r => r.Name == tracker.Name)?.Location,
            _ => member.Instance.TrackProcesses.FirstOrDefault(r => r.Name == tracker.Name)?.Location,
        };
        ConfigLocation? block = tracker.Kind switch
        {
            TrackerKind.Script => config.VrrpScripts.FirstOrDefault(s => s.Name == tracker.Name)?.Location,
            TrackerKind.File => config.VrrpTrackFiles.FirstOrDefault(s => s.Name == tracker.Name)?.Location,
            TrackerKind.Process => config.VrrpTrackProcesses.FirstOrDefault(s => s.Name == tracker.Name)?.Location,
            _ => null,
        };
        return new[] { block, reference }.OfType<ConfigLocation>();
    }
}
