using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.HealthChecks;

/// <summary>
/// examples/dual-master (course notes 3-11): VI_1 mastered by keep_171, VI_2 by keep_172. Cutting either host's
/// link leaves the other answering the client on both VIPs; restoring it gives its VIP back.
/// </summary>
public sealed class DualMasterTests(ITestOutputHelper output)
{
    private const double MarginMs = 500;

    public static TheoryData<string, string> Pairs => HealthCheckLab.Pairs;

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Either_link_cut_leaves_the_other_host_answering_on_both_vips(string master, string backup)
    {
        var options = HealthCheckLab.Options(master, backup, DualMasterScenario.ExampleName);
        var result = DualMasterScenario.Run(options, HealthCheckLab.Timeline(output));
        output.WriteLine(result.Summary);
        var f = new List<string>();

        HealthCheckLab.Expect(f, result.Steps.Count == 9, $"all 9 steps should run; {result.Steps.Count} ran");
        foreach (var s in result.Steps)
        {
            HealthCheckLab.Expect(f, s.Happened, $"({s.Number}) {s.Name}: {s.ExpectedHolder} should answer on that VIP: {s.Detail}");
            if (s.Happened && s.ReferenceMs is { } r)
                HealthCheckLab.Expect(f, s.TakeoverMs <= r + MarginMs,
                    $"({s.Number}) {s.Name}: takeover {s.TakeoverMs:0} ms, expected within {s.ReferenceName} {r:0} ms + {MarginMs:0} ms");
        }
        HealthCheckLab.AssertAll(f, $"{master} (keep_171) / {backup} (keep_172)", result);
    }
}
