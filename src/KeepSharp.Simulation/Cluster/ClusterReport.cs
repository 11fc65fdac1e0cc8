using KeepSharp.Vrrp.StateMachine;

namespace KeepSharp.Simulation.Cluster;

/// <summary>One member of a virtual router as the election left it.</summary>
/// <param name="State">Its state once the election settled.</param>
/// <param name="Priority">The priority it advertises then.</param>
public sealed record MemberOutcome(ClusterMember Member, VrrpState State, byte Priority);

/// <summary>What one virtual router looks like after an event.</summary>
/// <param name="MastersBefore">Its masters before the event.</param>
/// <param name="Members">Every member after the event.</param>
/// <param name="After">From the failure to the last change of master (detection included); null when the master did not change.</param>
public sealed record RouterOutcome(VirtualRouter Router, IReadOnlyList<ClusterMember> MastersBefore, IReadOnlyList<MemberOutcome> Members, TimeSpan? After)
{
    public IReadOnlyList<ClusterMember> MastersAfter => [.. Members.Where(m => m.State == VrrpState.Master).Select(m => m.Member)];

    public bool MasterChanged => !MastersBefore.SequenceEqual(MastersAfter);
}

/// <summary>What is failed in a scenario.</summary>
public enum FailureKind
{
    /// <summary>A tracked script fails (after <c>fall</c> runs).</summary>
    Script,
    /// <summary>An interface goes down: an instance's own, or a <c>track_interface</c>.</summary>
    Interface,
    /// <summary>A tracked file is written non-zero.</summary>
    File,
    /// <summary>A tracked process loses its quorum.</summary>
    Process,
    /// <summary>The whole host is lost.</summary>
    Host,
}

/// <summary>One failure, alone, on a healthy cluster, and what every virtual router of the host does.</summary>
/// <param name="Detection">How long until the daemon knows (script: fall × interval; process: terminate_delay).</param>
/// <param name="DetectionText">How <paramref name="Detection"/> is made up, for the report.</param>
public sealed record FailureScenario(ClusterHost Host, FailureKind Kind, string? Name, TimeSpan Detection, string DetectionText, IReadOnlyList<RouterOutcome> Outcomes)
{
    public string Title => Kind switch
    {
        FailureKind.Host => $"{Host.Name} lost",
        FailureKind.Interface => $"{Host.Name}: interface {Name} down",
        FailureKind.Script => $"{Host.Name}: {Name} fails",
        FailureKind.File => $"{Host.Name}: track file {Name} non-zero",
        _ => $"{Host.Name}: process {Name} lost",
    };
}

/// <summary>Everything check-cluster found: the virtual routers, the election with every host healthy, each failure, and the findings.</summary>
public sealed class ClusterReport
{
    public const int ExitSound = 0, ExitBreaksFailover = 1, ExitLoadFailed = 2;

    public required IReadOnlyList<ClusterHost> Hosts { get; init; }
    public required IReadOnlyList<VirtualRouter> VirtualRouters { get; init; }

    /// <summary>Every virtual router with every host healthy, all hosts started at once.</summary>
    public required IReadOnlyList<RouterOutcome> Healthy { get; init; }

    /// <summary>
    /// The masters of each virtual router with every host healthy when one host starts first (and settles) before the
    /// others: by first host, by virtual router. Where these differ from <see cref="Healthy"/>, who is master depends on
    /// start order (ties, <c>nopreempt</c>).
    /// </summary>
    public required IReadOnlyDictionary<ClusterHost, IReadOnlyDictionary<VirtualRouter, IReadOnlyList<ClusterMember>>> MastersByFirstHost { get; init; }

    public required IReadOnlyList<FailureScenario> Scenarios { get; init; }

    /// <summary>Most severe first.</summary>
    public required IReadOnlyList<ClusterFinding> Findings { get; init; }

    /// <summary>0 when the cluster is sound, 1 when a finding breaks failover.</summary>
    public int ExitCode => Findings.Any(f => f.BreaksFailover) ? ExitBreaksFailover : ExitSound;
}
