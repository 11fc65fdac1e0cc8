using KeepSharp.Config;

namespace KeepSharp.Simulation.Cluster;

/// <summary>How bad a finding is; the report lists the most severe first.</summary>
public enum FindingSeverity
{
    /// <summary>Failover breaks: two masters, a failure that never fails over, an instance with no partner.</summary>
    Error,
    /// <summary>Works today, but by luck or with a trap (a default timeout, a tie decided by interface addresses).</summary>
    Warning,
    /// <summary>Worth knowing (what a tracker is needed for).</summary>
    Info,
}

/// <summary>One thing check-cluster found, with the configuration lines it concerns on every side.</summary>
/// <param name="Code">A stable identifier (<c>vip-mismatch</c>, <c>two-masters</c>, ...).</param>
/// <param name="VirtualRouter">The virtual router concerned, when there is one.</param>
public sealed record ClusterFinding(FindingSeverity Severity, string Code, string? VirtualRouter, string Message, IReadOnlyList<ConfigLocation> Locations)
{
    /// <summary>True when the finding breaks failover (exit status 1).</summary>
    public bool BreaksFailover => Severity == FindingSeverity.Error;
}
