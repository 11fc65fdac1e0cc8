using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace KeepSharp.Config.Parsing;

/// <summary>
/// One <c>virtual_ipaddress</c> line: <c>ADDR[/PREFIX] [brd ADDR] [dev IF] [scope SCOPE] [label LABEL] [peer ADDR] ...</c>.
/// Malformed values are errors; unknown options are warnings.
/// </summary>
internal static class VirtualIpAddressParser
{
    /// <summary>Linux IFNAMSIZ (16) less the terminating NUL: the longest address label the kernel takes.</summary>
    public const int MaxLabelLength = 15;

    private static readonly HashSet<string> ScopeNames = new(["global", "site", "link", "host", "nowhere"], StringComparer.Ordinal);

    /// <summary>Options without a value that keepalived accepts.</summary>
    private static readonly HashSet<string> Flags =
        new(["home", "-nodad", "mngtmpaddr", "noprefixroute", "autojoin", "no_track", "track", "use_vmac"], StringComparer.Ordinal);

    public static VirtualIpAddress? Parse(ParseContext context, ConfigStatement entry)
    {
        var words = new List<string> { entry.Name };
        words.AddRange(entry.Args.Select(a => a.Text));
        var at = entry.Location;

        string addressText = words[0];
        string? prefixText = null;
        int slash = addressText.IndexOf('/');
        if (slash >= 0)
        {
            prefixText = addressText[(slash + 1)..];
            addressText = addressText[..slash];
        }

        if (!ValueParsers.TryParseIp(addressText, out var address))
        {
            context.Error(at, $"invalid virtual IP address '{words[0]}'");
            return null;
        }

        int maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        int prefix = maxPrefix;
        if (prefixText is not null &&
            (prefixText.Length == 0 || !prefixText.All(char.IsAsciiDigit) ||
             !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > maxPrefix))
        {
            context.Error(at, $"invalid prefix length '/{prefixText}' for {addressText} (must be 0..{maxPrefix})");
            return null;
        }

        string? device = null, label = null, scope = null;
        IPAddress? broadcast = null, peer = null;
        bool noDad = false, noTrack = false;
        string? broadcastForm = null; // "+" or "-": computed from the prefix once peer is known
        for (int i = 1; i < words.Count; i++)
        {
            string option = words[i];
            if (Flags.Contains(option))
            {
                noDad |= option == "-nodad";
                noTrack |= option == "no_track";
                if (option == "use_vmac" && i + 1 < words.Count && !IsOption(words[i + 1]))
                {
                    i++;
                }

                continue;
            }

            if (option is not ("brd" or "broadcast" or "dev" or "scope" or "label" or "peer" or "preferred_lft"))
            {
                context.Warning(at, $"unknown option '{option}' for virtual IP address {words[0]} - ignored");
                continue;
            }

            if (i + 1 >= words.Count)
            {
                context.Error(at, $"option '{option}' of virtual IP address {words[0]} requires a value");
                return null;
            }

            string value = words[++i];
            switch (option)
            {
                case "brd" or "broadcast":
                    if (address.AddressFamily != AddressFamily.InterNetwork)
                    {
                        context.Error(at, $"broadcast is only valid for IPv4 addresses ({words[0]})");
                        return null;
                    }

                    if (value is "+" or "-")
                    {
                        broadcastForm = value;
                    }
                    else if (!ValueParsers.TryParseIp(value, out var brd) || brd.AddressFamily != AddressFamily.InterNetwork)
                    {
                        context.Error(at, $"invalid broadcast address '{value}' for {words[0]}");
                        return null;
                    }
                    else
                    {
                        broadcast = brd;
                    }

                    break;
                case "dev":
                    device = value;
                    break;
                case "label":
                    if (value.Length > MaxLabelLength)
                    {
                        // keepalived: "Address label X is longer than maximum length 15 - removing address".
                        context.Warning(at, $"address label '{value}' is longer than {MaxLabelLength} characters - removing address {words[0]}");
                        return null;
                    }

                    label = value;
                    break;
                case "scope":
                    if (!ScopeNames.Contains(value) && !(byte.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                    {
                        context.Error(at, $"invalid scope '{value}' for {words[0]} (global|site|link|host|nowhere|0..255)");
                        return null;
                    }

                    scope = value;
                    break;
                case "peer":
                    if (!ValueParsers.TryParseIp(value, out var p) || p.AddressFamily != address.AddressFamily)
                    {
                        context.Error(at, $"invalid peer address '{value}' for {words[0]}");
                        return null;
                    }

                    if (prefix != maxPrefix)
                    {
                        // keepalived: "Cannot specify address prefix when specifying peer address - ignoring".
                        context.Warning(at, $"cannot specify an address prefix with a peer address ({words[0]}) - prefix ignored");
                        prefix = maxPrefix;
                    }

                    peer = p;
                    break;
            }
        }

        if ((broadcast is not null || broadcastForm is not null) && peer is not null)
        {
            // keepalived: "Cannot specify broadcast and peer addresses - ignoring broadcast address".
            context.Warning(at, $"cannot specify broadcast and peer addresses for {words[0]} - broadcast ignored");
            broadcast = null;
        }
        else if (broadcastForm is not null && prefix > 30)
        {
            // keepalived: "Address prefix length N too long for broadcast".
            context.Warning(at, $"address prefix length {prefix} of {words[0]} is too long for broadcast '{broadcastForm}' - ignored");
        }
        else if (broadcastForm is not null)
        {
            broadcast = BroadcastOf(address, prefix, broadcastForm == "+");
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (scope is not null && scope is not ("global" or "0"))
            {
                // keepalived: "Cannot specify scope for IPv6 addresses (X) - ignoring scope".
                context.Warning(at, $"cannot specify scope for IPv6 addresses ({words[0]}) - scope ignored");
                scope = null;
            }

            if (label is not null)
            {
                // keepalived: "Cannot specify label for IPv6 addresses (X) - ignoring label".
                context.Warning(at, $"cannot specify label for IPv6 addresses ({words[0]}) - label ignored");
                label = null;
            }
        }

        return new VirtualIpAddress(address, prefix, device, label, broadcast, scope, at) { Peer = peer, NoDad = noDad, NoTrack = noTrack };
    }

    private static bool IsOption(string word) =>
        Flags.Contains(word) || word is "brd" or "broadcast" or "dev" or "scope" or "label" or "peer" or "preferred_lft";

    /// <summary><c>brd +</c>: the address with all host bits set; <c>brd -</c>: with all host bits clear (keepalived, as ip(8)).</summary>
    private static IPAddress BroadcastOf(IPAddress address, int prefix, bool allOnes)
    {
        var bytes = address.GetAddressBytes();
        uint value = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        uint host = prefix >= 32 ? 0 : uint.MaxValue >> prefix;
        value = allOnes ? value | host : value & ~host;
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
    }
}
