using System.Globalization;
using System.Net;

namespace KeepSharp.Linux;

/// <summary>One line of /proc/net/if_inet6: an IPv6 address of an interface and its IFA_F_* flags.</summary>
public sealed record Inet6InterfaceAddress(IPAddress Address, int InterfaceIndex, int PrefixLength, int Scope, int Flags, string InterfaceName)
{
    public const int FlagNoDad = 0x02;       // IFA_F_NODAD
    public const int FlagOptimistic = 0x04;  // IFA_F_OPTIMISTIC
    public const int FlagDadFailed = 0x08;   // IFA_F_DADFAILED
    public const int FlagDeprecated = 0x20;  // IFA_F_DEPRECATED
    public const int FlagTentative = 0x40;   // IFA_F_TENTATIVE
    public const int FlagPermanent = 0x80;   // IFA_F_PERMANENT

    /// <summary>Duplicate address detection has not finished: the kernel will not use it as a source yet.</summary>
    public bool IsTentative => (Flags & FlagTentative) != 0;

    public bool IsDadFailed => (Flags & FlagDadFailed) != 0;

    /// <summary>fe80::/10.</summary>
    public bool IsLinkLocal => Address.IsIPv6LinkLocal;
}

/// <summary>
/// IPv6 addresses of interfaces read from /proc/thread-self/net/if_inet6 (the calling thread's network
/// namespace), without netlink. Not for the per-packet path (allocates).
/// </summary>
public static class InterfaceAddresses
{
    private const string ThreadPath = "/proc/thread-self/net/if_inet6";
    private const string ProcessPath = "/proc/self/net/if_inet6";

    /// <summary>
    /// The first usable link-local (fe80::/10) address of <paramref name="interfaceName"/>, with the interface
    /// index as scope id; null when there is none, or only tentative (DAD still running) or DAD-failed ones.
    /// </summary>
    public static IPAddress? GetLinkLocal(string interfaceName)
    {
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        foreach (Inet6InterfaceAddress entry in GetIPv6Addresses())
        {
            if (entry.IsLinkLocal && !entry.IsTentative && !entry.IsDadFailed
                && string.Equals(entry.InterfaceName, interfaceName, StringComparison.Ordinal))
            {
                return entry.Address;
            }
        }

        return null;
    }

    /// <summary>Every IPv6 address in the calling thread's network namespace (empty when IPv6 is disabled).</summary>
    public static IReadOnlyList<Inet6InterfaceAddress> GetIPv6Addresses()
    {
        string text;
        try
        {
            text = File.ReadAllText(File.Exists(ThreadPath) ? ThreadPath : ProcessPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }

        return Parse(text);
    }

    /// <summary>Parses the if_inet6 format: "address(32 hex) ifindex prefixlen scope flags name", fields in hex.</summary>
    internal static List<Inet6InterfaceAddress> Parse(string text)
    {
        var result = new List<Inet6InterfaceAddress>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 6 || f[0].Length != 32)
            {
                continue;
            }

            byte[] bytes;
            try
            {
                bytes = Convert.FromHexString(f[0]);
            }
            catch (FormatException)
            {
                continue;
            }

            if (!int.TryParse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int ifIndex)
                || !int.TryParse(f[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int prefix)
                || !int.TryParse(f[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int scope)
                || !int.TryParse(f[4], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int flags))
            {
                continue;
            }

            bool linkLocal = bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0x80;
            var address = new IPAddress(bytes, linkLocal ? ifIndex : 0);
            result.Add(new Inet6InterfaceAddress(address, ifIndex, prefix, scope, flags, f[5]));
        }

        return result;
    }
}
