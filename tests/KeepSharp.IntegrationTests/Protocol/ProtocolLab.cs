using System.Globalization;
using System.Text.RegularExpressions;
using KeepSharp.Lab;

namespace KeepSharp.IntegrationTests.Protocol;

/// <summary>
/// What the protocol tests share: the prerequisites (root, the keepsharp binary, keepalived, nginx, tshark: a missing
/// one fails the test, it does not skip it), the lab options, cell names, and the check that a run left no namespace.
/// </summary>
internal static partial class ProtocolLab
{
    public static string Binary { get; } = RepoRoot.KeepSharpBinary(RepoRoot.Find(AppContext.BaseDirectory));

    public static void RequirePrerequisites(bool tshark = false)
    {
        Assert.True(Environment.IsPrivilegedProcess, "the protocol netns tests need root (network namespaces)");
        Assert.True(File.Exists(Binary), $"keepsharp binary not found at {Binary}: run ./build.sh");
        foreach (string tool in tshark ? ["keepalived", "nginx", "tshark"] : new[] { "keepalived", "nginx" })
            Assert.True(OnPath(tool), $"{tool} is not installed (not on PATH): the protocol tests need it, they do not skip without it");
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':')
            .Append("/usr/sbin").Append("/sbin")
            .Any(d => File.Exists(Path.Combine(d, tool)));

    public static LabOptions Options(int probeCadenceMs = 10, double settleSeconds = 0.8, int probeTimeoutMs = 80) => new()
    {
        SeedDir = "",
        KeepSharpBinary = Binary,
        ProbeCadenceMs = probeCadenceMs,
        ProbeTimeoutMs = probeTimeoutMs,
        Settle = TimeSpan.FromSeconds(settleSeconds),
        StepTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Parses "v3-ipv6-unicast keepalived→keepsharp" (the theory's readable cell name).</summary>
    public static ProtocolCell Parse(string name, double advertInt)
    {
        var m = CellName().Match(name);
        Assert.True(m.Success, $"bad cell name '{name}'");
        static DaemonKind Kind(string s) => LabDaemon.ParseKind(s);
        return new ProtocolCell(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            m.Groups[2].Value == "ipv6" ? IpFamily.IPv6 : IpFamily.IPv4, m.Groups[3].Value == "unicast",
            Kind(m.Groups[4].Value), Kind(m.Groups[5].Value), advertInt);
    }

    [GeneratedRegex(@"^v([23])-(ipv4|ipv6)-(multicast|unicast) (keepsharp|keepalived)(?:→|->)(keepsharp|keepalived)$")]
    private static partial Regex CellName();

    /// <summary>The run's namespaces (ksl-RUNID-*) are all gone: the lab's cleanup ran.</summary>
    public static void AssertCleanedUp(string workDir)
    {
        string runId = Path.GetFileName(workDir).Replace("keepsharp-lab-", "", StringComparison.Ordinal);
        var left = Sh.Try("ip", "netns", "list").StdOut.Split('\n')
            .Where(l => l.StartsWith($"{LabTopology.Prefix}-{runId}-", StringComparison.Ordinal)).ToList();
        Assert.True(left.Count == 0, $"namespaces of run {runId} left behind: {string.Join(", ", left)}");
    }
}
