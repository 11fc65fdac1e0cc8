using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Protocol;

/// <summary>
/// The netns interop matrix (issue 8): {v2, v3 IPv4, v3 IPv6} × {multicast, unicast} × {keepsharp/keepsharp,
/// keepsharp master + keepalived 2.2.7 backup, keepalived master + keepsharp backup}. Each cell generates both hosts'
/// keepalived.conf and runs the lab's five steps: election, crash failover (link cut), preemption back, graceful
/// failover (SIGTERM: priority-0 advert), preemption back after restart, each asserted with its own message.
/// v2 runs at advert_int 1 (the only interval VRRPv2 has), v3 at 0.2 s to keep the matrix short.
/// </summary>
public sealed class InteropMatrixTests(ITestOutputHelper output)
{
    /// <summary>The measured takeover may exceed the protocol's time by the client's view of it: GARP/NA, probe cadence, scheduling.</summary>
    private const double SlackMs = 150;

    public static TheoryData<string> Cells()
    {
        var data = new TheoryData<string>();
        foreach (string proto in new[] { "v2-ipv4", "v3-ipv4", "v3-ipv6" })
            foreach (string transport in new[] { "multicast", "unicast" })
                foreach (string pair in new[] { "keepsharp→keepsharp", "keepsharp→keepalived", "keepalived→keepsharp" })
                    data.Add($"{proto}-{transport} {pair}");
        return data;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void Election_crash_failover_graceful_failover_and_preemption(string cellName) => RunCell(cellName);

    /// <summary>
    /// The harness's own baseline: keepalived alone over IPv6 (multicast and unicast) must pass the same steps and
    /// bounds, so an IPv6 cell that fails with keepsharp in it fails because of keepsharp, not the lab (dual-stack
    /// topology, probe over IPv6, unsolicited NAs, adverts watched over IPv6).
    /// </summary>
    [Theory]
    [InlineData("v3-ipv6-multicast keepalived→keepalived")]
    [InlineData("v3-ipv6-unicast keepalived→keepalived")]
    public void Baseline_keepalived_alone_over_ipv6(string cellName) => RunCell(cellName);

    private void RunCell(string cellName)
    {
        ProtocolLab.RequirePrerequisites();
        var cell = ProtocolLab.Parse(cellName, cellName.StartsWith("v2", StringComparison.Ordinal) ? 1 : 0.2);
        var timeline = new Timeline(output.WriteLine);
        ProtocolResult r = ProtocolScenario.Run(cell, ProtocolLab.Options(), timeline);
        output.WriteLine(r.Scenario.Summary);
        ProtocolLab.AssertCleanedUp(r.Scenario.WorkDir);

        var failures = new List<string>();
        var s1 = r.Step(1);
        if (!s1.Happened)
            failures.Add($"election: keep_171 (state MASTER, priority 150) should hold {cell.Vip} and answer the client, keep_172 not: {s1.Detail}");
        var s2 = r.Step(2);
        if (!s2.Happened)
            failures.Add($"link cut of the master: keep_172 should take over {cell.Vip}: {s2.Detail}");
        else if (s2.TakeoverMs > cell.MasterDownIntervalMs + SlackMs)
            failures.Add($"link cut of the master: first answer from keep_172 after {s2.TakeoverMs:0} ms, expected within " +
                         $"Master_Down_Interval {cell.MasterDownIntervalMs:0.0} ms + {SlackMs} ms; {s2.Detail}");
        var s3 = r.Step(3);
        if (!s3.Happened)
            failures.Add($"link restored: keep_171 (priority 150) should preempt back and keep_172 release {cell.Vip}: {s3.Detail}");
        var s4 = r.Step(4);
        if (!s4.Happened)
            failures.Add($"SIGTERM of keep_171's daemon: keep_172 should take over and keep_171 drop {cell.Vip}: {s4.Detail}");
        else if (s4.TakeoverMs > cell.SkewTimeMs + SlackMs)
            failures.Add($"SIGTERM of keep_171's daemon: first answer from keep_172 after {s4.TakeoverMs:0} ms, expected within " +
                         $"Skew_Time {cell.SkewTimeMs:0.0} ms + {SlackMs} ms (priority-0 advert); {s4.Detail}");
        var s5 = r.Step(5);
        if (!s5.Happened)
            failures.Add($"restart of keep_171's daemon: keep_171 should preempt back and keep_172 release {cell.Vip}: {s5.Detail}");

        Assert.True(failures.Count == 0, $"[{cell}]\n  " + string.Join("\n  ", failures) + "\n" + r.Scenario.Summary + "\n" + r.Logs);
    }
}
