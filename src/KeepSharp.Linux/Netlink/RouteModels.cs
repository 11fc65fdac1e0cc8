using System.Net;
using System.Net.Sockets;

namespace KeepSharp.Linux;

/// <summary>rtm_type of a route (linux/rtnetlink.h RTN_*).</summary>
public enum RouteType : byte
{
    Unicast = 1,
    Local = 2,
    Broadcast = 3,
    Anycast = 4,
    Multicast = 5,
    Blackhole = 6,
    Unreachable = 7,
    Prohibit = 8,
    Throw = 9,
}

/// <summary>rtm_scope (RT_SCOPE_*).</summary>
public enum RouteScope : byte
{
    Universe = 0,
    Site = 200,
    Link = 253,
    Host = 254,
    Nowhere = 255,
}

/// <summary>Well-known rtm_protocol values (RTPROT_*); any byte is accepted.</summary>
public static class RouteProtocol
{
    public const byte Boot = 3;
    public const byte Static = 4;

    /// <summary>RTPROT_KEEPALIVED (18): keepalived's default for virtual_routes (vrrp_iproute.c), and ours.</summary>
    public const byte Keepalived = 18;
}

/// <summary>Well-known routing table ids.</summary>
public static class RouteTable
{
    public const uint Default = 253;
    public const uint Main = 254;
    public const uint Local = 255;
}

/// <summary>
/// One route for <see cref="RtNetlink.AddRoute"/> / <see cref="RtNetlink.DeleteRoute"/> (keepalived's <c>virtual_routes</c> entry).
/// </summary>
public readonly record struct RouteRequest
{
    /// <summary>AF_INET or AF_INET6 routing table (<see cref="AddressFamily.InterNetwork"/> / <see cref="AddressFamily.InterNetworkV6"/>).</summary>
    public required AddressFamily Family { get; init; }

    /// <summary>Destination network; null with prefix 0 is the default route.</summary>
    public IPAddress? Destination { get; init; }

    public int DestinationPrefix { get; init; }

    /// <summary>RTA_SRC source-specific routing ("from" in iproute2; IPv6 only in practice).</summary>
    public IPAddress? Source { get; init; }

    public int SourcePrefix { get; init; }

    /// <summary>RTA_PREFSRC ("src" in iproute2 and keepalived): the source address chosen for locally generated traffic.</summary>
    public IPAddress? PreferredSource { get; init; }

    /// <summary>Next hop ("via"). Same family: RTA_GATEWAY; an IPv6 next hop for an IPv4 route: RTA_VIA.</summary>
    public IPAddress? Gateway { get; init; }

    /// <summary>RTA_OIF ("dev"); 0 for none.</summary>
    public int OutputInterfaceIndex { get; init; }

    /// <summary>Table id; above 255 it is sent in RTA_TABLE (rtm_table then RT_TABLE_UNSPEC), as keepalived does.</summary>
    public uint Table { get; init; } = RouteTable.Main;

    /// <summary>RTA_PRIORITY ("metric"/"preference"); null leaves it to the kernel (0 for IPv4, 1024 for IPv6).</summary>
    public uint? Metric { get; init; }

    /// <summary>rtm_scope; null means keepalived's choice: universe when adding, nowhere (wildcard) when deleting.</summary>
    public RouteScope? Scope { get; init; }

    /// <summary>rtm_protocol; default RTPROT_KEEPALIVED (18) as keepalived uses.</summary>
    public byte Protocol { get; init; } = RouteProtocol.Keepalived;

    public RouteType Type { get; init; } = RouteType.Unicast;

    /// <summary>RTNH_F_ONLINK: the gateway is on-link even without a matching connected route.</summary>
    public bool OnLink { get; init; }

    /// <summary>rtm_tos ("tos"/"dsfield").</summary>
    public byte Tos { get; init; }

    public RouteRequest()
    {
    }
}

/// <summary>fib_rule_hdr action (FR_ACT_*).</summary>
public enum RuleAction : byte
{
    /// <summary>"lookup TABLE".</summary>
    ToTable = 1,
    /// <summary>"goto PRIORITY".</summary>
    Goto = 2,
    Nop = 3,
    Blackhole = 6,
    Unreachable = 7,
    Prohibit = 8,
}

/// <summary>
/// One policy routing rule for <see cref="RtNetlink.AddRule"/> / <see cref="RtNetlink.DeleteRule"/> (keepalived's <c>virtual_rules</c> entry).
/// </summary>
public readonly record struct RuleRequest
{
    public required AddressFamily Family { get; init; }

    /// <summary>"from PREFIX" (FRA_SRC); null means all.</summary>
    public IPAddress? From { get; init; }

    public int FromPrefix { get; init; }

    /// <summary>"to PREFIX" (FRA_DST); null means all.</summary>
    public IPAddress? To { get; init; }

    public int ToPrefix { get; init; }

    public RuleAction Action { get; init; } = RuleAction.ToTable;

    /// <summary>For <see cref="RuleAction.ToTable"/>: the table (above 255 sent in FRA_TABLE).</summary>
    public uint Table { get; init; } = RouteTable.Main;

    /// <summary>FRA_PRIORITY ("priority"/"preference"); null lets the kernel choose (and matches any on delete).</summary>
    public uint? Priority { get; init; }

    /// <summary>FRA_IIFNAME ("iif").</summary>
    public string? InputInterface { get; init; }

    /// <summary>FRA_OIFNAME ("oif").</summary>
    public string? OutputInterface { get; init; }

    /// <summary>FRA_FWMARK ("fwmark").</summary>
    public uint? FirewallMark { get; init; }

    /// <summary>FRA_FWMASK ("fwmark MARK/MASK").</summary>
    public uint? FirewallMask { get; init; }

    /// <summary>fib_rule_hdr tos.</summary>
    public byte Tos { get; init; }

    /// <summary>For <see cref="RuleAction.Goto"/>: the priority of the rule to jump to (FRA_GOTO); the kernel refuses (-EINVAL) a target not above <see cref="Priority"/>.</summary>
    public uint? GotoTarget { get; init; }

    /// <summary>FIB_RULE_INVERT ("not").</summary>
    public bool Invert { get; init; }

    public RuleRequest()
    {
    }
}

/// <summary>IFLA_MACVLAN_MODE values.</summary>
public enum MacvlanMode : uint
{
    /// <summary>MACVLAN_MODE_PRIVATE: what keepalived uses for its VMAC interfaces.</summary>
    Private = 1,
    Vepa = 2,
    Bridge = 4,
    Passthru = 8,
    Source = 16,
}
