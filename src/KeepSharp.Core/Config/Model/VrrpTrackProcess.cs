namespace KeepSharp.Config;

/// <summary>
/// One <c>vrrp_track_process NAME { ... }</c> block: the number of running processes matching <see cref="Process"/>
/// (and <see cref="Parameters"/>) must stay within <see cref="Quorum"/>..<see cref="QuorumMaximum"/>
/// (keepalived's vrrp_parser.c <c>vrrp_tprocess_*_handler</c>, track_process.c).
/// </summary>
public sealed class VrrpTrackProcess
{
    /// <summary>keepalived's default <c>quorum_max</c> (UINT_MAX: no upper bound).</summary>
    public const long Unbounded = uint.MaxValue;

    public VrrpTrackProcess(string name, ConfigLocation location)
    {
        Name = name;
        Location = location;
    }

    public string Name { get; }

    public ConfigLocation Location { get; }

    /// <summary>The <c>process</c> name (compared with the 15-character comm) or path (argv[0], with <see cref="FullCommand"/>).</summary>
    public string Process { get; set; } = "";

    /// <summary>The arguments after the process name on the <c>process</c> line.</summary>
    public IReadOnlyList<string> Parameters { get; set; } = [];

    public ProcessParamMatch ParamMatch { get; set; }

    /// <summary>Match argv[0] of the command line instead of the comm; set by <c>full_command</c>, by parameters, by <c>param_match</c>.</summary>
    public bool FullCommand { get; set; }

    /// <summary>0..65535, default 1 (0 only with <c>quorum_max 0</c>).</summary>
    public int Quorum { get; set; } = 1;

    /// <summary>0..65535, default <see cref="Unbounded"/>.</summary>
    public long QuorumMaximum { get; set; } = Unbounded;

    /// <summary>How long a gained quorum waits before it counts (<c>fork_delay</c>, <c>delay</c>).</summary>
    public TimeSpan ForkDelay { get; set; }

    /// <summary>How long a lost quorum waits before it counts (<c>terminate_delay</c>, <c>delay</c>).</summary>
    public TimeSpan TerminateDelay { get; set; }

    /// <summary>−254..254; default 0 (fault-only).</summary>
    public int Weight { get; set; }

    public bool WeightReverse { get; set; }
}

/// <summary>How a process's arguments are compared with the configured ones (keepalived's <c>param_match</c>).</summary>
public enum ProcessParamMatch : byte
{
    /// <summary>Arguments are not looked at.</summary>
    None,
    /// <summary>Exactly the configured arguments (the default once arguments are given, or <c>param_match</c> alone).</summary>
    Exact,
    /// <summary>The configured arguments, the last one possibly a prefix of the process's (<c>param_match initial</c>).</summary>
    Initial,
    /// <summary>The process's arguments start with the configured ones; more may follow (<c>param_match partial</c>).</summary>
    Partial,
}

/// <summary>A <c>track_process</c> entry of an instance or sync group, with the weight it resolved to.</summary>
public sealed record TrackProcessReference(string Name, int Weight, bool WeightReverse, ConfigLocation Location);
