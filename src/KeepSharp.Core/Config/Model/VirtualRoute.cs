using System.Net;

namespace KeepSharp.Config;

/// <summary>The kind of a <c>virtual_routes</c> entry (rtnetlink RTN_*; keepalived vrrp_iproute.c).</summary>
public enum VirtualRouteType
{
    Unicast,
    Blackhole,
    Unreachable,
    Prohibit,
    Throw,
}

/// <summary>
/// One <c>virtual_routes</c> line, the subset keepalived.conf(5) documents:
/// <c>[src ADDR] [to] PREFIX|default [via|gw ADDR] [or ADDR] [dev IF] [scope S] [table N|NAME] [metric N]
/// [protocol P] [onlink] [no_track]</c>, or <c>blackhole|unreachable|prohibit|throw PREFIX ...</c>.
/// Installed when the instance becomes MASTER and removed when it leaves that state (keepalived vrrp_iproute.c).
/// </summary>
public sealed record VirtualRoute(IPAddress Destination, int PrefixLength, ConfigLocation Location)
{
    public VirtualRouteType Type { get; init; } = VirtualRouteType.Unicast;

    /// <summary><c>src ADDR</c>: the preferred source address.</summary>
    public IPAddress? Source { get; init; }

    /// <summary><c>via|gw ADDR</c>.</summary>
    public IPAddress? Gateway { get; init; }

    /// <summary><c>or ADDR</c>: keepalived's second gateway (an equal-cost multipath route of two next hops).</summary>
    public IPAddress? SecondGateway { get; init; }

    public string? Device { get; init; }

    /// <summary>rtnetlink scope (0 global, 200 site, 253 link, 254 host, 255 nowhere).</summary>
    public byte? Scope { get; init; }

    /// <summary>Routing table id (local 255, main 254, default 253); null means main.</summary>
    public uint? Table { get; init; }

    public uint? Metric { get; init; }

    /// <summary>rtnetlink protocol (RTPROT_*); null means keepalived's default (boot).</summary>
    public byte? Protocol { get; init; }

    public bool OnLink { get; init; }

    /// <summary><c>no_track</c>: the instance does not go to FAULT when the route is deleted behind its back.</summary>
    public bool NoTrack { get; init; }
}
