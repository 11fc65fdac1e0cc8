using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace KeepSharp.Config.Parsing;

/// <summary>Parsing of keyword values (numbers, timers, booleans, addresses) with positioned diagnostics.</summary>
internal static class ValueParsers
{
    /// <summary>The first argument; an error when it is missing.</summary>
    public static bool TryArg(ParseContext context, ConfigStatement statement, out string value, int index = 0)
    {
        if (statement.Args.Count > index && statement.Args[index].IsWord)
        {
            value = statement.Args[index].Text;
            return true;
        }

        value = "";
        context.Error(statement.Location, $"'{statement.Name}' requires a value");
        return false;
    }

    public static bool TryInt(ParseContext context, ConfigStatement statement, long min, long max, out int value, int index = 0)
    {
        value = 0;
        if (!TryArg(context, statement, out var text, index))
        {
            return false;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number))
        {
            context.Error(statement.Location, $"{statement.Name}: '{text}' is not a valid integer");
            return false;
        }

        if (number < min || number > max)
        {
            context.Error(statement.Location, $"{statement.Name} {text} is out of range (must be {min}..{max})");
            return false;
        }

        value = (int)number;
        return true;
    }

    /// <summary>A GARP repeat count: keepalived takes any unsigned value and raises 0 to 1 with a warning.</summary>
    public static bool TryRepeat(ParseContext context, ConfigStatement statement, out int value)
    {
        if (!TryInt(context, statement, 0, int.MaxValue, out value))
        {
            return false;
        }

        if (value == 0)
        {
            context.Warning(statement.Location, $"{statement.Name} must be greater than 0 - set to 1");
            value = 1;
        }

        return true;
    }

    /// <summary>A TIMER (seconds, fractions allowed, microsecond resolution) within [min, max] seconds.</summary>
    public static bool TryTimer(ParseContext context, ConfigStatement statement, double min, double max, out TimeSpan value, bool minExclusive = false)
    {
        value = TimeSpan.Zero;
        if (!TryArg(context, statement, out var text))
        {
            return false;
        }

        if (!TryParseSeconds(text, out double seconds))
        {
            context.Error(statement.Location, $"{statement.Name}: '{text}' is not a valid time in seconds");
            return false;
        }

        if (seconds < min || seconds > max || (minExclusive && seconds <= min))
        {
            string range = minExclusive ? $"> {Fmt(min)} and <= {Fmt(max)}" : $"{Fmt(min)}..{Fmt(max)}";
            context.Error(statement.Location, $"{statement.Name} {text} is out of range (must be {range})");
            return false;
        }

        value = TimeSpan.FromMicroseconds(Math.Round(seconds * 1_000_000));
        return true;
    }

    public static bool TryParseSeconds(string text, out double seconds) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seconds)
        && double.IsFinite(seconds);

    /// <summary>A flag keyword: no argument means true, else on|off|true|false|yes|no.</summary>
    public static bool TryFlag(ParseContext context, ConfigStatement statement, out bool value)
    {
        value = true;
        if (statement.Args.Count == 0)
        {
            return true;
        }

        switch (statement.Args[0].Text.ToLowerInvariant())
        {
            case "on" or "true" or "yes":
                return true;
            case "off" or "false" or "no":
                value = false;
                return true;
            default:
                context.Error(statement.Location, $"{statement.Name}: '{statement.Args[0].Text}' is not a boolean (on|off|true|false|yes|no)");
                return false;
        }
    }

    /// <summary>Strict IP address parsing: dotted-quad IPv4 or IPv6 (inet_pton rules, no inet_aton shortcuts).</summary>
    public static bool TryParseIp(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains(':'))
        {
            if (IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
            {
                address = v6;
                return true;
            }

            return false;
        }

        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        var bytes = new byte[4];
        for (int i = 0; i < 4; i++)
        {
            if (parts[i].Length is 0 or > 3 || !parts[i].All(char.IsAsciiDigit) || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out int b) || b > 255)
            {
                return false;
            }

            bytes[i] = (byte)b;
        }

        address = new IPAddress(bytes);
        return true;
    }

    public static bool TryIp(ParseContext context, ConfigStatement statement, out IPAddress address, int index = 0)
    {
        address = IPAddress.None;
        if (!TryArg(context, statement, out var text, index))
        {
            return false;
        }

        if (!TryParseIp(text, out address))
        {
            context.Error(statement.Location, $"{statement.Name}: invalid IP address '{text}'");
            return false;
        }

        return true;
    }

    /// <summary>"weight N [reverse]" inside a track entry, starting at <paramref name="index"/>.</summary>
    public static bool TryWeight(ParseContext context, ConfigStatement entry, int index, int limit, out int? weight, out bool reverse)
    {
        weight = null;
        reverse = false;
        for (int i = index; i < entry.Args.Count; i++)
        {
            string word = entry.Args[i].Text;
            if (word == "weight" && i + 1 < entry.Args.Count)
            {
                string text = entry.Args[++i].Text;
                if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int w) || w < -limit || w > limit)
                {
                    context.Error(entry.Location, $"{entry.Name}: weight '{text}' is invalid (must be {-limit}..{limit})");
                    return false;
                }

                if (Math.Abs(w) == 254)
                {
                    // keepalived: "weight for X cannot be +/-254. Setting to +/-253".
                    w = Math.Sign(w) * 253;
                    context.Warning(entry.Location, $"{entry.Name}: weight cannot be +/-254 - set to {w}");
                }

                weight = w;
            }
            else if (word == "reverse")
            {
                reverse = true;
            }
            else
            {
                context.Warning(entry.Location, $"{entry.Name}: unknown option '{word}' - ignored");
            }
        }

        return true;
    }

    private static string Fmt(double d) => d.ToString(CultureInfo.InvariantCulture);
}
