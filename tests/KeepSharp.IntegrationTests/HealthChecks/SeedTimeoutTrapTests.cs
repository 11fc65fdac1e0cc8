using System.Text.RegularExpressions;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.HealthChecks;

/// <summary>
/// Course notes 3-9 exactly as written: no `timeout`, so the default (the interval, 2 s) kills each failing run
/// during its `sleep 3`, before its `killall`. keepalived's outcome, which keepsharp must reproduce: with weight 10
/// keep_171 falls from 110 to 100, still above keep_172's 80, so the VIP never moves and nginx stays dead.
/// keepsharp also names the trap in its log the first time it happens.
/// </summary>
public sealed partial class SeedTimeoutTrapTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Pairs => HealthCheckLab.Pairs;

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Default_timeout_kills_the_check_before_its_killall_and_the_vip_never_moves(string master, string backup)
    {
        var options = HealthCheckLab.Options(master, backup, "seed");
        var result = SeedCheckScenario.Run(options, HealthCheckLab.Timeline(output), SeedCheckVariant.AsWritten);
        output.WriteLine(result.Summary);
        var f = new List<string>();

        HealthCheckLab.Expect(f, result.Steps.Count == 3, $"all 3 steps should run; {result.Steps.Count} ran");
        HealthCheckLab.Expect(f, result.Step(1).Happened, $"(1) election: keep_171 should hold the VIP: {result.Step(1).Detail}");
        if (result.Steps.Count >= 2)
            HealthCheckLab.Expect(f, result.Step(2).Happened,
                "(2) after `nginx -s stop` the script's first line restarts nginx before the default timeout kills it; " +
                $"keep_171 keeps the VIP: {result.Step(2).Detail}");
        if (result.Steps.Count >= 3)
            HealthCheckLab.Expect(f, result.Step(3).Happened,
                "(3) with nginx unable to start every run is killed at 2 s, before its killall: keep_171's daemon keeps running, " +
                $"keeps the VIP (100 > 80) and nginx stays dead: {result.Step(3).Detail}");

        if (options.Master == DaemonKind.KeepSharp)
        {
            string log = result.Log("keep_171");
            var line = log.Split('\n').FirstOrDefault(IsTrapLine);
            HealthCheckLab.Expect(f, line is not null,
                "keepsharp should log, the first time the default timeout kills check_nginx_alive, one line naming the script, " +
                "the default it hit (the interval) and the line to add (`timeout N`); none of keep_171's log lines did. " +
                $"Lines mentioning timeout: [{string.Join(" | ", log.Split('\n').Where(l => l.Contains("timeout", StringComparison.OrdinalIgnoreCase)).Take(5))}]");
            HealthCheckLab.Expect(f, log.Split('\n').Count(IsTrapLine) == 1,
                $"the trap should be named once (the first time), not on every run: {log.Split('\n').Count(IsTrapLine)} lines");
        }
        HealthCheckLab.AssertAll(f, $"{master} (keep_171, check script as written) / {backup} (keep_172)", result);
    }

    /// <summary>
    /// The named-trap line, matched loosely (its wording belongs to the tracking code): the script's name, the
    /// default it hit (`interval` or `default`), and the hint `timeout N`.
    /// </summary>
    internal static bool IsTrapLine(string line) =>
        line.Contains("check_nginx_alive", StringComparison.Ordinal) && TimeoutHintRe().IsMatch(line) && DefaultRe().IsMatch(line);

    [GeneratedRegex(@"\btimeout\s+\d+")]
    private static partial Regex TimeoutHintRe();

    [GeneratedRegex(@"(?i)\b(interval|default)\b")]
    private static partial Regex DefaultRe();
}
