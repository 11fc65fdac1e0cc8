using System.Net;
using System.Net.Sockets;

namespace KeepSharp.Config.Parsing;

/// <summary>
/// One <c>virtual_rules</c> line (keepalived vrrp_iprule.c alloc_rule), the subset keepalived.conf(5) documents:
/// <c>[from PREFIX|all] [to PREFIX|all] [priority|preference|order N] [table|lookup T] [iif|dev IF] [oif IF]
/// [fwmark N[/MASK]] [tos|dsfield N] [goto N] [blackhole|unreachable|prohibit] [no_track]</c>. keepalived's other
/// rule options (realms, uidrange, sport, ...) are reported as unsupported; a malformed rule is an error and is
/// dropped, as keepalived drops it.
/// </summary>
internal static class VirtualRuleParser
{
    private static readonly Dictionary<string, VirtualRuleAction> Actions = new(StringComparer.Ordinal)
    {
        ["blackhole"] = VirtualRuleAction.Blackhole, ["unreachable"] = VirtualRuleAction.Unreachable,
        ["prohibit"] = VirtualRuleAction.Prohibit,
    };

    /// <summary>Rule options keepalived knows that KeepSharp does not install.</summary>
    private static readonly HashSet<string> Unsupported = new(
        ["not", "realms", "suppress_prefixlength", "sup_pl", "suppress_ifgroup", "sup_group", "tunnel-id", "uidrange", "l3mdev",
         "protocol", "ipproto", "sport", "dport", "track_group", "nop", "type"],
        StringComparer.Ordinal);

    public static VirtualRule? Parse(ParseContext context, ConfigStatement entry, string tag)
    {
        var words = new List<string> { entry.Name };
        words.AddRange(entry.Args.Select(a => a.Text));
        var at = entry.Location;

        AddressFamily? family = null;
        IPAddress? from = null, to = null;
        int fromPrefix = 0, toPrefix = 0;
        uint? table = null, priority = null, gotoTarget = null, fwMark = null, fwMask = null;
        byte? tos = null;
        string? iif = null, oif = null;
        bool noTrack = false;
        VirtualRuleAction? action = null;

        bool Fail(string message)
        {
            context.Error(at, $"{tag} virtual_rules: {message}");
            return false;
        }

        bool SetAction(VirtualRuleAction a) =>
            action is null ? (action = a) is not null : Fail("cannot specify more than one of table/goto/blackhole/prohibit/unreachable");

        for (int i = 0; i < words.Count; i++)
        {
            string word = words[i];
            string? Value() => i + 1 < words.Count ? words[++i] : null;
            switch (word)
            {
                case "inet" or "inet6":
                    var named = word == "inet" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
                    if ((family ??= named) != named) { Fail($"{word} given for a rule of the other family"); return null; }
                    break;
                case "from" or "to":
                    if (Value() is not { } prefixText || !RouteValueParsers.TryPrefix(prefixText, allowAny: true, out var address, out int length))
                    {
                        Fail($"invalid rule {word} address {(i < words.Count ? words[i] : "")}");
                        return null;
                    }

                    if (address is not null && (family ??= address.AddressFamily) != address.AddressFamily)
                    {
                        Fail("rule specification has mixed IPv4 and IPv6");
                        return null;
                    }

                    if (word == "from") { from = address; fromPrefix = length; }
                    else { to = address; toPrefix = length; }
                    break;
                case "table" or "lookup":
                    if (Value() is not { } tableText || !RouteValueParsers.TryTable(tableText, out var t)) { Fail($"routing table {words[i]} not found"); return null; }
                    table = t;
                    if (!SetAction(VirtualRuleAction.ToTable)) { return null; }
                    break;
                case "preference" or "order" or "priority":
                    if (Value() is not { } prioText || !RouteValueParsers.TryUInt(prioText, uint.MaxValue, out var p)) { Fail($"invalid rule preference {words[i]}"); return null; }
                    priority = p;
                    break;
                case "tos" or "dsfield":
                    if (Value() is not { } tosText || !RouteValueParsers.TryTos(tosText, out var tv)) { Fail($"TOS value {words[i]} is invalid"); return null; }
                    tos = tv;
                    break;
                case "fwmark":
                    if (Value() is not { } markText || !TryMark(markText, out var mark, out var mask)) { Fail($"invalid rule fwmark {words[i]}"); return null; }
                    fwMark = mark;
                    fwMask = mask;
                    break;
                case "iif" or "dev":
                    if (Value() is not { } inName) { Fail($"{word} requires an interface name"); return null; }
                    iif = inName;
                    break;
                case "oif":
                    if (Value() is not { } outName) { Fail("oif requires an interface name"); return null; }
                    oif = outName;
                    break;
                case "goto":
                    if (Value() is not { } gotoText || !RouteValueParsers.TryUInt(gotoText, uint.MaxValue, out var g)) { Fail($"invalid rule goto target {words[i]}"); return null; }
                    gotoTarget = g;
                    if (!SetAction(VirtualRuleAction.Goto)) { return null; }
                    break;
                case "no_track":
                    noTrack = true;
                    break;
                default:
                    if (Actions.TryGetValue(word, out var a))
                    {
                        if (!SetAction(a)) { return null; }
                        break;
                    }

                    Fail(Unsupported.Contains(word) ? $"rule option '{word}' is not supported by KeepSharp" : $"unknown rule option '{word}'");
                    return null;
            }
        }

        if (action == VirtualRuleAction.Goto && (priority is not { } pref || pref >= gotoTarget))
        {
            Fail(priority is null
                ? $"goto target {gotoTarget} specified without preference"
                : $"preference {priority} >= goto target {gotoTarget}");
            return null;
        }

        if (action is null)
        {
            // keepalived: "No action specified for rule - ignoring".
            Fail("no action specified for rule (table, goto, blackhole, unreachable or prohibit)");
            return null;
        }

        if (priority is null)
        {
            // keepalived: "Rule has no preference specified - setting to N. This is probably not what you want." (fails -t);
            // KeepSharp leaves the choice to the kernel.
            context.Warning(at, $"{tag} virtual_rules: rule has no preference specified - this is probably not what you want");
        }

        return new VirtualRule(family ?? AddressFamily.InterNetwork, at)
        {
            Action = action.Value, From = from, FromPrefix = fromPrefix, To = to, ToPrefix = toPrefix, Table = table,
            Priority = priority, GotoTarget = gotoTarget, InputInterface = iif, OutputInterface = oif, FwMark = fwMark,
            FwMask = fwMask, Tos = tos, NoTrack = noTrack,
        };
    }

    /// <summary><c>N[/MASK]</c>, each decimal or 0x-hexadecimal.</summary>
    private static bool TryMark(string text, out uint mark, out uint? mask)
    {
        mask = null;
        int slash = text.IndexOf('/');
        if (slash < 0)
        {
            return RouteValueParsers.TryUInt(text, uint.MaxValue, out mark);
        }

        if (!RouteValueParsers.TryUInt(text[..slash], uint.MaxValue, out mark) || !RouteValueParsers.TryUInt(text[(slash + 1)..], uint.MaxValue, out var m))
        {
            return false;
        }

        mask = m;
        return true;
    }
}
