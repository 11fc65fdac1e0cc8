using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.HealthChecks;

/// <summary>
/// examples/nginx-weight: a check-only script, weight -20, fall 2, rise 2, interval 1 s, no killall. When nginx
/// dies on keep_171 (100 - 20 = 80 &lt; 90) keep_172 takes over within fall × interval + Master_Down_Interval; when
/// it is back, keep_171 wins back after rise successes (+ its own Master_Down_Interval).
/// </summary>
public sealed class NginxWeightTests(ITestOutputHelper output)
{
    /// <summary>Margin over the protocol bound: script start-up, probe cadence, a loaded CI machine.</summary>
    private const double MarginMs = 1500;

    public static TheoryData<string, string> Pairs => HealthCheckLab.Pairs;

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Negative_weight_fails_over_when_nginx_dies_and_fails_back_after_rise(string master, string backup)
    {
        var options = HealthCheckLab.Options(master, backup, NginxWeightScenario.ExampleName);
        var result = NginxWeightScenario.Run(options, HealthCheckLab.Timeline(output));
        output.WriteLine(result.Summary);
        var f = new List<string>();

        HealthCheckLab.Expect(f, result.Steps.Count == 3, $"all 3 steps should run; {result.Steps.Count} ran");
        HealthCheckLab.Expect(f, result.Step(1).Happened, $"(1) election: keep_171 (priority 100) should hold the VIP: {result.Step(1).Detail}");
        if (result.Steps.Count >= 2)
        {
            var s2 = result.Step(2);
            HealthCheckLab.Expect(f, s2.Happened, $"(2) nginx stopped on keep_171: after 2 failed checks keep_171 advertises 80 and keep_172 (90) should take over: {s2.Detail}");
            HealthCheckLab.Expect(f, !s2.Happened || s2.TakeoverMs <= s2.ReferenceMs + MarginMs,
                $"(2) keep_172 should answer within fall x interval + Master_Down_Interval = {s2.ReferenceMs:0} ms + {MarginMs:0} ms; took {s2.TakeoverMs:0} ms");
        }
        if (result.Steps.Count >= 3)
        {
            var s3 = result.Step(3);
            HealthCheckLab.Expect(f, s3.Happened, $"(3) nginx started on keep_171: after 2 good checks keep_171 (100) should preempt back: {s3.Detail}");
            HealthCheckLab.Expect(f, !s3.Happened || s3.TakeoverMs <= s3.ReferenceMs + MarginMs,
                $"(3) keep_171 should answer within rise x interval + Master_Down_Interval = {s3.ReferenceMs:0} ms + {MarginMs:0} ms; took {s3.TakeoverMs:0} ms");
        }
        HealthCheckLab.AssertAll(f, $"{master} (keep_171) / {backup} (keep_172)", result);
    }
}
