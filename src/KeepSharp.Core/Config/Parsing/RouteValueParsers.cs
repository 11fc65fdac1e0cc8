using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace KeepSharp.Config.Parsing;

/// <summary>
/// Values shared by <c>virtual_routes</c> and <c>virtual_rules</c>: prefixes, routing tables, scopes and protocols
/// by number or by iproute2's names (keepalived rttables.c; the built-in names only, not /etc/iproute2).
/// </summary>
internal static class RouteValueParsers
{
    private static readonly Dictionary<string, uint> Tables = new(StringComparer.Ordinal)
    {
        ["default"] = 253, ["main"] = 254, ["local"] = 255,
    };

    private static readonly Dictionary<string, byte> Scopes = new(StringComparer.Ordinal)
    {
        ["global"] = 0, ["universe"] = 0, ["site"] = 200, ["link"] = 253, ["host"] = 254, ["nowhere"] = 255,
    };

    private static readonly Dictionary<string, byte> Protocols = new(StringComparer.Ordinal)
    {
        ["unspec"] = 0, ["redirect"] = 1, ["kernel"] = 2, ["boot"] = 3, ["static"] = 4, ["ra"] = 9, ["dhcp"] = 16,
        ["keepalived"] = 18, ["babel"] = 42, ["bgp"] = 186, ["isis"] = 187, ["ospf"] = 188, ["rip"] = 189,
    };

    /// <summary><c>ADDR[/LEN]</c>, or <c>default</c>/<c>all</c>/<c>any</c> (address null, length 0) when <paramref name="allowAny"/>.</summary>
    public static bool TryPrefix(string text, bool allowAny, out IPAddress? address, out int length)
    {
        address = null;
        length = 0;
        if (allowAny && text is "default" or "all" or "any")
        {
            return true;
        }

        int slash = text.IndexOf('/');
        string addressText = slash >= 0 ? text[..slash] : text;
        if (!ValueParsers.TryParseIp(addressText, out var parsed))
        {
            return false;
        }

        int max = parsed.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        length = max;
        if (slash >= 0)
        {
            string lengthText = text[(slash + 1)..];
            if (lengthText.Length == 0 || !lengthText.All(char.IsAsciiDigit)
                || !int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > max)
            {
                return false;
            }
        }

        address = parsed;
        return true;
    }

    /// <summary>A routing table: 1..2^32-1 or default/main/local.</summary>
    public static bool TryTable(string text, out uint table) =>
        Tables.TryGetValue(text, out table) || (TryUInt(text, uint.MaxValue, out table) && table != 0);

    public static bool TryScope(string text, out byte scope) =>
        Scopes.TryGetValue(text, out scope) || TryByte(text, out scope);

    public static bool TryProtocol(string text, out byte protocol) =>
        Protocols.TryGetValue(text, out protocol) || TryByte(text, out protocol);

    /// <summary>A TOS/dsfield value: decimal, or hexadecimal with 0x (as <c>ip</c> takes it).</summary>
    public static bool TryTos(string text, out byte tos) => TryByte(text, out tos);

    public static bool TryByte(string text, out byte value)
    {
        value = 0;
        if (!TryUInt(text, byte.MaxValue, out uint v))
        {
            return false;
        }

        value = (byte)v;
        return true;
    }

    /// <summary>An unsigned number, decimal or 0x-hexadecimal, at most <paramref name="max"/>.</summary>
    public static bool TryUInt(string text, uint max, out uint value)
    {
        value = 0;
        bool ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        return ok && value <= max;
    }
}
