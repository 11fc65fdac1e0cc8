using System.Text;
using System.Text.RegularExpressions;

namespace KeepSharp.Lab;

/// <summary>
/// The course-notes configurations (examples/seed/keep_171.conf, keep_172.conf), adapted to the lab:
/// ONLY the interface name and the addresses change; everything else is passed verbatim.
/// </summary>
public static partial class SeedConfig
{
    public const string MasterFile = "keep_171.conf";
    public const string BackupFile = "keep_172.conf";

    /// <summary>Both seed configs are in <paramref name="seedDir"/>.</summary>
    public static bool Exists(string seedDir) =>
        File.Exists(Path.Combine(seedDir, MasterFile)) && File.Exists(Path.Combine(seedDir, BackupFile));

    /// <summary>
    /// Rewrites `interface X` to the lab interface and every IPv4 address inside `virtual_ipaddress { }`
    /// to the lab VIP (any /prefix and trailing options such as `dev`, `label` are kept).
    /// </summary>
    public static string Adapt(string text, string iface, string vip) => Adapt(text, iface, _ => vip);

    /// <summary>
    /// As <see cref="Adapt(string, string, string)"/>, for configs with several VIPs (the dual-master example):
    /// each address inside `virtual_ipaddress { }` becomes its entry in <paramref name="vips"/>; an address
    /// the map lacks is an error, so a lab run never silently announces a course-notes address.
    /// </summary>
    public static string Adapt(string text, string iface, IReadOnlyDictionary<string, string> vips) =>
        Adapt(text, iface, seedVip => vips.TryGetValue(seedVip, out var lab) ? lab
            : throw new LabException($"no lab address for the VIP {seedVip}"));

    private static string Adapt(string text, string iface, Func<string, string> vipFor)
    {
        text = InterfaceRe().Replace(text, m => m.Groups[1].Value + iface);
        var sb = new StringBuilder();
        int pos = 0;
        foreach (Match m in VipBlockRe().Matches(text))
        {
            sb.Append(text, pos, m.Index - pos);
            // dev/interface names inside the block follow the interface too
            string body = Ipv4Re().Replace(m.Value, a => vipFor(a.Value));
            body = DevRe().Replace(body, mm => mm.Groups[1].Value + iface);
            body = LabelRe().Replace(body, mm => mm.Groups[1].Value + iface);
            sb.Append(body);
            pos = m.Index + m.Length;
        }
        sb.Append(text, pos, text.Length - pos);
        return sb.ToString();
    }

    [GeneratedRegex(@"(?m)^(\s*interface\s+)\S+")]
    private static partial Regex InterfaceRe();

    [GeneratedRegex(@"virtual_ipaddress\s*\{[^}]*\}")]
    private static partial Regex VipBlockRe();

    [GeneratedRegex(@"\b(?:\d{1,3}\.){3}\d{1,3}\b")]
    private static partial Regex Ipv4Re();

    [GeneratedRegex(@"(\bdev\s+)\S+")]
    private static partial Regex DevRe();

    [GeneratedRegex(@"(\blabel\s+)[^:\s]+")]
    private static partial Regex LabelRe();
}
