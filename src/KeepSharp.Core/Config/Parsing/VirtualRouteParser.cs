using System.Net;

namespace KeepSharp.Config.Parsing;

/// <summary>
/// One <c>virtual_routes</c> line (keepalived vrrp_iproute.c alloc_route), the subset keepalived.conf(5) documents:
/// <c>[src ADDR] [to] [TYPE] PREFIX|default [via|gw ADDR] [or ADDR] [dev|oif IF] [scope S] [table T]
/// [metric|priority|preference N] [protocol P] [onlink] [no_track]</c>, TYPE one of unicast, blackhole, unreachable,
/// prohibit, throw. keepalived's other route options (mtu, encap, nexthop, ...) are reported as unsupported; a
/// malformed value is an error and the line is dropped, as keepalived drops it.
/// </summary>
internal static class VirtualRouteParser
{
    private static readonly Dictionary<string, VirtualRouteType> Types = new(StringComparer.Ordinal)
    {
        ["unicast"] = VirtualRouteType.Unicast, ["blackhole"] = VirtualRouteType.Blackhole,
        ["unreachable"] = VirtualRouteType.Unreachable, ["prohibit"] = VirtualRouteType.Prohibit, ["throw"] = VirtualRouteType.Throw,
    };

    /// <summary>Route options keepalived knows that KeepSharp does not install.</summary>
    private static readonly HashSet<string> Unsupported = new(
        ["from", "tos", "dsfield", "as", "encap", "expires", "mtu", "hoplimit", "advmss", "rtt", "rttvar", "reordering", "window",
         "cwnd", "ssthresh", "realms", "rto_min", "initcwnd", "initrwnd", "features", "quickack", "congctl", "pref",
         "ttl-propagate", "fastopen_no_cookie", "nexthop", "track_group", "vrf", "local", "broadcast", "anycast", "multicast", "nat",
         "add", "append", "prepend"],
        StringComparer.Ordinal);

    public static VirtualRoute? Parse(ParseContext context, ConfigStatement entry, string tag)
    {
        var words = new List<string> { entry.Name };
        words.AddRange(entry.Args.Select(a => a.Text));
        var at = entry.Location;

        IPAddress? destination = null, source = null, gateway = null, second = null;
        int prefix = 0;
        bool haveDestination = false, onLink = false, noTrack = false;
        string destinationText = "";
        string? device = null;
        byte? scope = null, protocol = null;
        uint? table = null, metric = null;
        var type = VirtualRouteType.Unicast;
        System.Net.Sockets.AddressFamily? family = null;

        bool Fail(string message)
        {
            context.Error(at, $"{tag} virtual_routes: {message}");
            return false;
        }

        bool Family(IPAddress address, string what)
        {
            family ??= address.AddressFamily;
            return address.AddressFamily == family || Fail($"cannot mix IPv4 and IPv6 addresses in a route ({what} {address})");
        }

        for (int i = 0; i < words.Count; i++)
        {
            string word = words[i];
            string? Value() => i + 1 < words.Count ? words[++i] : null;
            switch (word)
            {
                case "src":
                    if (Value() is not { } srcText || !ValueParsers.TryParseIp(srcText, out var src)) { Fail("invalid src address"); return null; }
                    if (!Family(src, "src")) { return null; }
                    source = src;
                    break;
                case "via" or "gw":
                    if (word == "gw")
                    {
                        // keepalived: "\"gw\" for routes is deprecated. Please use \"via\"" (fails -t).
                        context.Warning(at, $"{tag} virtual_routes: \"gw\" for routes is deprecated, use \"via\"");
                    }

                    if (Value() is not { } viaText || !ValueParsers.TryParseIp(viaText, out var via)) { Fail($"invalid {word} address"); return null; }
                    if (!Family(via, word)) { return null; }
                    gateway = via;
                    break;
                case "or":
                    // keepalived: "\"or\" for routes is deprecated. Please use \"nexthop\"" (fails -t).
                    context.Warning(at, $"{tag} virtual_routes: \"or\" for routes is deprecated");
                    if (gateway is null) { Fail("\"or\" needs a preceding via address"); return null; }
                    if (Value() is not { } orText || !ValueParsers.TryParseIp(orText, out var or)) { Fail("invalid \"or\" address"); return null; }
                    if (!Family(or, "or")) { return null; }
                    second = or;
                    break;
                case "dev" or "oif":
                    if (Value() is not { } dev) { Fail($"{word} requires an interface name"); return null; }
                    device = dev;
                    break;
                case "scope":
                    if (Value() is not { } scopeText || !RouteValueParsers.TryScope(scopeText, out var s)) { Fail($"scope {words[i]} is not valid"); return null; }
                    scope = s;
                    break;
                case "table":
                    if (Value() is not { } tableText || !RouteValueParsers.TryTable(tableText, out var t)) { Fail($"routing table {words[i]} not found"); return null; }
                    table = t;
                    break;
                case "metric" or "priority" or "preference":
                    if (Value() is not { } metricText || !RouteValueParsers.TryUInt(metricText, uint.MaxValue, out var m)) { Fail($"invalid metric {words[i]}"); return null; }
                    metric = m;
                    break;
                case "protocol":
                    if (Value() is not { } protoText || !RouteValueParsers.TryProtocol(protoText, out var p)) { Fail($"protocol {words[i]} not found or invalid"); return null; }
                    protocol = p;
                    break;
                case "onlink":
                    onLink = true;
                    break;
                case "no_track":
                    noTrack = true;
                    break;
                case "inet" or "inet6":
                    break;
                default:
                    if (Unsupported.Contains(word))
                    {
                        Fail($"route option '{word}' is not supported by KeepSharp");
                        return null;
                    }

                    if (word == "to")
                    {
                        if (i + 1 >= words.Count) { Fail("to requires a destination"); return null; }
                        word = words[++i];
                    }

                    if (Types.TryGetValue(word, out var routeType))
                    {
                        type = routeType;
                        if (i + 1 >= words.Count) { Fail($"{word} requires a destination"); return null; }
                        word = words[++i];
                    }

                    if (!RouteValueParsers.TryPrefix(word, allowAny: true, out var dst, out prefix))
                    {
                        Fail($"unknown route keyword or invalid destination '{word}'");
                        return null;
                    }

                    if (dst is not null && !Family(dst, "destination")) { return null; }
                    destination = dst;
                    destinationText = word;
                    haveDestination = true;
                    break;
            }
        }

        if (!haveDestination)
        {
            Fail("route must have a destination");
            return null;
        }

        family ??= System.Net.Sockets.AddressFamily.InterNetwork;
        if (!noTrack && protocol is { } proto && proto != KeepalivedProtocol)
        {
            // keepalived: "Route cannot be tracked if protocol is not RTPROT_KEEPALIVED(18), resetting protocol".
            context.Warning(at, $"{tag} virtual_routes: a tracked route's protocol must be keepalived ({KeepalivedProtocol}) - reset");
            protocol = KeepalivedProtocol;
        }

        if (!noTrack && device is null)
        {
            // keepalived: "Warning - cannot track route X with no interface specified, not tracking".
            context.Warning(at, $"{tag} virtual_routes: cannot track route {destinationText} with no interface specified - not tracking");
            noTrack = true;
        }

        var any = family == System.Net.Sockets.AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any;
        return new VirtualRoute(destination ?? any, prefix, at)
        {
            Type = type, Source = source, Gateway = gateway, SecondGateway = second, Device = device, Scope = scope, Table = table,
            Metric = metric, Protocol = protocol, OnLink = onLink, NoTrack = noTrack,
        };
    }

    /// <summary>RTPROT_KEEPALIVED: the protocol keepalived marks its tracked routes and rules with.</summary>
    public const byte KeepalivedProtocol = 18;
}
