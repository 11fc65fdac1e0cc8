using System.Net;
using System.Net.Sockets;

namespace KeepSharp.Config;

/// <summary>What a <c>virtual_rules</c> entry does with matching packets (rtnetlink FR_ACT_*; keepalived vrrp_iprule.c).</summary>
public enum VirtualRuleAction
{
    ToTable,
    Blackhole,
    Unreachable,
    Prohibit,
    Goto,
}

/// <summary>
/// One <c>virtual_rules</c> line, the subset keepalived.conf(5) documents:
/// <c>[from PREFIX|all] [to PREFIX|all] [priority|preference|pref N] [table N|NAME] [iif IF] [oif IF]
/// [fwmark N[/MASK]] [tos N] [goto N] [blackhole|unreachable|prohibit] [no_track]</c>.
/// Installed when the instance becomes MASTER and removed when it leaves that state.
/// </summary>
public sealed record VirtualRule(AddressFamily Family, ConfigLocation Location)
{
    public VirtualRuleAction Action { get; init; } = VirtualRuleAction.ToTable;

    /// <summary><c>from PREFIX</c>; null for <c>all</c> or when not given.</summary>
    public IPAddress? From { get; init; }

    public int FromPrefix { get; init; }

    /// <summary><c>to PREFIX</c>; null for <c>all</c> or when not given.</summary>
    public IPAddress? To { get; init; }

    public int ToPrefix { get; init; }

    /// <summary>Routing table id (local 255, main 254, default 253) for <see cref="VirtualRuleAction.ToTable"/>.</summary>
    public uint? Table { get; init; }

    /// <summary><c>priority|preference|pref N</c>: the rule's position.</summary>
    public uint? Priority { get; init; }

    /// <summary><c>goto N</c>: the priority of the rule to continue at (<see cref="VirtualRuleAction.Goto"/>).</summary>
    public uint? GotoTarget { get; init; }

    public string? InputInterface { get; init; }

    public string? OutputInterface { get; init; }

    public uint? FwMark { get; init; }

    public uint? FwMask { get; init; }

    public byte? Tos { get; init; }

    public bool NoTrack { get; init; }
}
