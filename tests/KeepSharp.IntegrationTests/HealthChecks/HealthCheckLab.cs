using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.HealthChecks;

/// <summary>
/// Shared setup of the health-check and example acceptance tests: the daemon pairings (keepsharp on both hosts,
/// mixed both ways, and keepalived on both as the reference), the options and the timeline of one run.
/// </summary>
internal static class HealthCheckLab
{
    /// <summary>(keep_171, keep_172) pairings; keepalived/keepalived is the reference the others must match.</summary>
    public static TheoryData<string, string> Pairs => new()
    {
        { "keepsharp", "keepsharp" },
        { "keepsharp", "keepalived" },
        { "keepalived", "keepsharp" },
        { "keepalived", "keepalived" },
    };

    /// <summary>Options for a run on the example folder <paramref name="example"/> (examples/&lt;name&gt;).</summary>
    public static LabOptions Options(string master, string backup, string example)
    {
        Assert.True(Environment.IsPrivilegedProcess, "the netns health-check tests need root (network namespaces)");
        string root = RepoRoot.Find(AppContext.BaseDirectory);
        var kinds = new[] { LabDaemon.ParseKind(master), LabDaemon.ParseKind(backup) };
        string binary = RepoRoot.KeepSharpBinary(root);
        if (kinds.Contains(DaemonKind.KeepSharp))
            Assert.True(File.Exists(binary), $"keepsharp binary not found at {binary}: run ./build.sh");
        if (kinds.Contains(DaemonKind.Keepalived))
            Assert.True(File.Exists("/usr/sbin/keepalived"), "keepalived 2.2.7 is missing: install the 'keepalived' package");
        string dir = Path.Combine(root, "examples", example);
        Assert.True(SeedConfig.Exists(dir) || File.Exists(Path.Combine(dir, SeedCheckScenario.MasterCheckFile)),
            $"the example configs are missing from {dir}");
        return new LabOptions
        {
            Master = kinds[0],
            Backup = kinds[1],
            SeedDir = dir,
            KeepSharpBinary = binary,
            Settle = TimeSpan.FromSeconds(1.2),
            StepTimeout = TimeSpan.FromSeconds(12),
        };
    }

    public static Timeline Timeline(ITestOutputHelper output) => new(output.WriteLine);

    /// <summary>Collects one message per failed expectation, so a run reports every step, not only the first.</summary>
    public static void Expect(List<string> failures, bool condition, string message)
    {
        if (!condition) failures.Add(message);
    }

    public static void AssertAll(List<string> failures, string pairing, LabRunResult result) =>
        Assert.True(failures.Count == 0, $"{pairing}:\n  " + string.Join("\n  ", failures) + "\n" + result.Summary);
}
