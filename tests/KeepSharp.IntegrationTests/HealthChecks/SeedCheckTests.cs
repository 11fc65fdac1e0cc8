using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.HealthChecks;

/// <summary>
/// Course notes 3-9 with `timeout 5` added to the vrrp_script (longer than the script's `sleep 3`): keep_171's
/// check restarts a stopped nginx (the VIP stays), `killall`s its daemon when nginx cannot start (keep_172 then
/// serves the VIP with its own page), and the VIP returns once nginx is repaired and the daemon restarted.
/// </summary>
public sealed class SeedCheckTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Pairs => HealthCheckLab.Pairs;

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Check_script_restarts_nginx_then_hands_the_vip_over_when_nginx_cannot_start(string master, string backup)
    {
        var options = HealthCheckLab.Options(master, backup, "seed");
        var result = SeedCheckScenario.Run(options, HealthCheckLab.Timeline(output), SeedCheckVariant.WithTimeout);
        output.WriteLine(result.Summary);
        var f = new List<string>();

        HealthCheckLab.Expect(f, result.Steps.Count == 4, $"all 4 steps should run; {result.Steps.Count} ran");
        var s1 = result.Step(1);
        HealthCheckLab.Expect(f, s1.Happened, $"(1) election: keep_171 (priority 100 + weight 10) should hold the VIP: {s1.Detail}");
        if (result.Steps.Count >= 2)
        {
            var s2 = result.Step(2);
            HealthCheckLab.Expect(f, s2.Happened,
                $"(2) after `nginx -s stop` on keep_171 its check script (every 2 s) should restart nginx while keep_171 keeps the VIP: {s2.Detail}");
            // nginx is restarted by the first run after it died: within one interval, + 1 s margin for the run itself.
            HealthCheckLab.Expect(f, !s2.Happened || s2.TakeoverMs <= s2.ReferenceMs + 1000,
                $"(2) nginx should answer again within the check interval {s2.ReferenceMs:0} ms + 1000 ms; took {s2.TakeoverMs:0} ms");
        }
        if (result.Steps.Count >= 3)
        {
            var s3 = result.Step(3);
            HealthCheckLab.Expect(f, s3.Happened,
                $"(3) with nginx unable to start the script's `killall` should stop keep_171's daemon and keep_172 serve the VIP: {s3.Detail}");
            HealthCheckLab.Expect(f, !s3.Happened || s3.TakeoverMs <= s3.ReferenceMs + 2000,
                $"(3) keep_172 should answer within interval + sleep 3 + Skew_Time = {s3.ReferenceMs:0} ms + 2000 ms; took {s3.TakeoverMs:0} ms");
        }
        if (result.Steps.Count >= 4)
        {
            var s4 = result.Step(4);
            HealthCheckLab.Expect(f, s4.Happened,
                $"(4) with nginx repaired and keep_171's daemon restarted, keep_171 should take the VIP back: {s4.Detail}");
        }
        HealthCheckLab.AssertAll(f, $"{master} (keep_171, check script) / {backup} (keep_172)", result);
    }
}
