using System.Net;
using System.Net.Sockets;
using KeepSharp.Config;
using KeepSharp.Daemon.Logging;
using KeepSharp.Linux;

namespace KeepSharp.Daemon.Runtime.Resources;

/// <summary>
/// An instance's <c>virtual_routes</c> and <c>virtual_rules</c> as rtnetlink requests, resolved against the interfaces
/// at startup: installed after the virtual addresses when the instance becomes MASTER (a route may use a VIP as its
/// source or gateway) and removed before them, rules around routes the same way (keepalived's
/// vrrp_state_become_master / vrrp_restore_interface order).
/// </summary>
internal sealed class VirtualRoutes
{
    private readonly string _instance;
    private readonly RouteRequest[] _routes;
    private readonly RuleRequest[] _rules;
    private readonly string[] _routeText;
    private readonly string[] _ruleText;

    private VirtualRoutes(string instance, RouteRequest[] routes, string[] routeText, RuleRequest[] rules, string[] ruleText)
    {
        _instance = instance;
        _routes = routes;
        _routeText = routeText;
        _rules = rules;
        _ruleText = ruleText;
    }

    public bool IsEmpty => _routes.Length == 0 && _rules.Length == 0;

    public int RouteCount => _routes.Length;

    public int RuleCount => _rules.Length;

    /// <summary>Builds the requests; a route's <c>dev</c> that does not exist stops the daemon with file:line.</summary>
    public static VirtualRoutes Create(VrrpInstance instance, RtNetlink netlink, Log log)
    {
        var routes = new List<RouteRequest>();
        var routeText = new List<string>();
        foreach (VirtualRoute r in instance.VirtualRoutes)
        {
            int ifIndex = 0;
            if (r.Device is { } device)
            {
                ifIndex = netlink.GetLink(device)?.InterfaceIndex
                    ?? throw new DaemonStartupException($"{r.Location.File}:{r.Location.Line}: ({instance.Name}) virtual route {r.Destination}/{r.PrefixLength}: device {device} does not exist");
            }
            if (r.SecondGateway is { } second)
                log.Warning($"{r.Location.File}:{r.Location.Line}: ({instance.Name}) virtual route {r.Destination}/{r.PrefixLength}: the second gateway (or {second}) is not supported; the route uses {r.Gateway} alone");
            routes.Add(new RouteRequest
            {
                Family = r.Destination.AddressFamily,
                Destination = r.PrefixLength == 0 && IsAny(r.Destination) ? null : r.Destination,
                DestinationPrefix = r.PrefixLength,
                PreferredSource = r.Source,
                Gateway = r.Gateway,
                OutputInterfaceIndex = ifIndex,
                Table = r.Table ?? RouteTable.Main,
                Metric = r.Metric,
                Scope = r.Scope is { } scope ? (RouteScope)scope : null,
                Protocol = r.Protocol ?? RouteProtocol.Keepalived,
                Type = r.Type switch
                {
                    VirtualRouteType.Blackhole => RouteType.Blackhole,
                    VirtualRouteType.Unreachable => RouteType.Unreachable,
                    VirtualRouteType.Prohibit => RouteType.Prohibit,
                    VirtualRouteType.Throw => RouteType.Throw,
                    _ => RouteType.Unicast,
                },
                OnLink = r.OnLink,
            });
            routeText.Add($"{(r.Type == VirtualRouteType.Unicast ? "" : r.Type.ToString().ToLowerInvariant() + " ")}{r.Destination}/{r.PrefixLength}"
                + (r.Gateway is null ? "" : $" via {r.Gateway}") + (r.Device is null ? "" : $" dev {r.Device}") + (r.Table is { } t ? $" table {t}" : ""));
        }
        var rules = new List<RuleRequest>();
        var ruleText = new List<string>();
        foreach (VirtualRule r in instance.VirtualRules)
        {
            rules.Add(new RuleRequest
            {
                Family = r.Family,
                From = r.From,
                FromPrefix = r.FromPrefix,
                To = r.To,
                ToPrefix = r.ToPrefix,
                Action = r.Action switch
                {
                    VirtualRuleAction.Blackhole => RuleAction.Blackhole,
                    VirtualRuleAction.Unreachable => RuleAction.Unreachable,
                    VirtualRuleAction.Prohibit => RuleAction.Prohibit,
                    VirtualRuleAction.Goto => RuleAction.Goto,
                    _ => RuleAction.ToTable,
                },
                Table = r.Table ?? RouteTable.Main,
                Priority = r.Priority,
                InputInterface = r.InputInterface,
                OutputInterface = r.OutputInterface,
                FirewallMark = r.FwMark,
                FirewallMask = r.FwMask,
                Tos = r.Tos ?? 0,
                GotoTarget = r.GotoTarget,
            });
            ruleText.Add($"from {(r.From is null ? "all" : $"{r.From}/{r.FromPrefix}")} to {(r.To is null ? "all" : $"{r.To}/{r.ToPrefix}")}"
                + (r.Table is { } t ? $" table {t}" : "") + (r.Priority is { } p ? $" priority {p}" : ""));
        }
        return new VirtualRoutes(instance.Name, [.. routes], [.. routeText], [.. rules], [.. ruleText]);
    }

    private static bool IsAny(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    /// <summary>Routes, then rules (a rule may send packets to a table the routes fill).</summary>
    public void Install(RtNetlink netlink, Log log)
    {
        for (int i = 0; i < _routes.Length; i++)
        {
            int rc = netlink.AddRoute(_routes[i]);
            if (rc != 0 && rc != -Errno.EEXIST)
                log.Error($"({_instance}) cannot add route {_routeText[i]}: {Errno.Describe(-rc)}{Detail(netlink)}");
        }
        for (int i = 0; i < _rules.Length; i++)
        {
            int rc = netlink.AddRule(_rules[i]);
            if (rc != 0 && rc != -Errno.EEXIST)
                log.Error($"({_instance}) cannot add rule {_ruleText[i]}: {Errno.Describe(-rc)}{Detail(netlink)}");
        }
    }

    /// <summary>Rules, then routes; what is already gone is not an error (a link went down and took its routes).</summary>
    public void Remove(RtNetlink netlink, Log log)
    {
        for (int i = 0; i < _rules.Length; i++)
        {
            int rc = netlink.DeleteRule(_rules[i]);
            if (rc != 0 && rc != -Errno.ENOENT && rc != -Errno.ESRCH)
                log.Error($"({_instance}) cannot remove rule {_ruleText[i]}: {Errno.Describe(-rc)}{Detail(netlink)}");
        }
        for (int i = 0; i < _routes.Length; i++)
        {
            int rc = netlink.DeleteRoute(_routes[i]);
            if (rc != 0 && rc != -Errno.ESRCH && rc != -Errno.ENODEV && rc != -Errno.ENOENT)
                log.Error($"({_instance}) cannot remove route {_routeText[i]}: {Errno.Describe(-rc)}{Detail(netlink)}");
        }
    }

    private static string Detail(RtNetlink netlink) => netlink.LastErrorMessage is { } m ? $" ({m})" : "";
}
