using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Failover;

/// <summary>
/// Netns failover tests on the lab harness (the same topology, probe and steps as ./lab.sh):
/// mixed clusters of keepsharp and the real keepalived 2.2.7, seed configs adapted to the lab.
/// One test per (master, backup) pair runs all steps and asserts each with its own message.
/// </summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Pairs => new()
    {
        { "keepsharp", "keepsharp" },
        { "keepsharp", "keepalived" },
        { "keepalived", "keepsharp" },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Election_crash_failover_graceful_failover_and_preemption(string master, string backup)
    {
        Assert.True(Environment.IsPrivilegedProcess, "the netns failover tests need root (network namespaces)");
        string root = RepoRoot.Find(AppContext.BaseDirectory);
        string binary = RepoRoot.KeepSharpBinary(root);
        Assert.True(File.Exists(binary), $"keepsharp binary not found at {binary}: run ./build.sh");

        string seedDir = Path.Combine(root, "examples", "seed");
        Assert.True(SeedConfig.Exists(seedDir), $"the seed configs are missing from {seedDir}");
        var timeline = new Timeline(output.WriteLine);
        var options = new LabOptions
        {
            Master = LabDaemon.ParseKind(master),
            Backup = LabDaemon.ParseKind(backup),
            SeedDir = seedDir,
            KeepSharpBinary = binary,
            Settle = TimeSpan.FromSeconds(1.2),
            StepTimeout = TimeSpan.FromSeconds(10),
        };
        timeline.Log("test", $"master keep_171 = {master}, backup keep_172 = {backup}; seed {seedDir}");

        ScenarioResult result = FailoverScenario.Run(options, timeline);
        output.WriteLine(result.Summary);

        var failures = new List<string>();
        var s1 = result.Step(1);
        if (!s1.Happened)
            failures.Add($"election: keep_171 (state MASTER, priority 100) should hold the VIP and answer the client, keep_172 not: {s1.Detail}");

        var s2 = result.Step(2);
        if (!s2.Happened)
            failures.Add($"link cut: keep_172 should take over the VIP: {s2.Detail}");
        else if (s2.TakeoverMs > result.MasterDownIntervalMs + 100)
            failures.Add($"link cut: first answer from keep_172 after {s2.TakeoverMs:0} ms, expected within " +
                         $"Master_Down_Interval {result.MasterDownIntervalMs:0.0} ms + 100 ms (probe every {options.ProbeCadenceMs} ms)");

        var s3 = result.Step(3);
        if (!s3.Happened)
            failures.Add($"link restored: keep_171 (priority 100) should preempt back and keep_172 release the VIP: {s3.Detail}");

        var s4 = result.Step(4);
        if (!s4.Happened)
            failures.Add($"SIGTERM of keep_171's daemon: keep_172 should take over and keep_171 drop the VIP: {s4.Detail}");
        else if (s4.TakeoverMs > result.SkewTimeMs + 100)
            failures.Add($"SIGTERM of keep_171's daemon: first answer from keep_172 after {s4.TakeoverMs:0} ms, expected within " +
                         $"Skew_Time {result.SkewTimeMs:0.0} ms + 100 ms (priority-0 advert; probe every {options.ProbeCadenceMs} ms)");

        var s5 = result.Step(5);
        if (!s5.Happened)
            failures.Add($"restart of keep_171's daemon: keep_171 should preempt back and keep_172 release the VIP: {s5.Detail}");

        Assert.True(failures.Count == 0, $"{master} (master) / {backup} (backup):\n  " + string.Join("\n  ", failures) +
                                         "\n" + result.Summary);
    }
}
