using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Protocol;

/// <summary>
/// use_vmac in a mixed cluster: the master answers for the VIP with the virtual MAC 00:00:5e:00:01:33 (VRID 51), so
/// the client's neighbour entry for the VIP holds that MAC after the election and still holds it after every failover
/// (the point of the VMAC: the MAC does not move), while the VIP answers from the new master.
/// </summary>
public sealed class VmacInteropTests(ITestOutputHelper output)
{
    public static TheoryData<string> Pairs => new()
    {
        "keepsharp→keepalived", "keepalived→keepsharp", "keepsharp→keepsharp",
        "keepalived→keepalived", // the harness's baseline: keepalived alone must pass the same checks
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void The_client_sees_the_virtual_mac_before_and_after_failover(string pair)
    {
        ProtocolLab.RequirePrerequisites();
        var cell = ProtocolLab.Parse($"v3-ipv4-multicast {pair}", 0.2) with { UseVmac = true };
        var timeline = new Timeline(output.WriteLine);
        ProtocolResult r = ProtocolScenario.Run(cell, ProtocolLab.Options(), timeline);
        output.WriteLine(r.Scenario.Summary);
        ProtocolLab.AssertCleanedUp(r.Scenario.WorkDir);

        var failures = new List<string>();
        string[] holders = ["", "keep_171 (master, after the election)", "keep_172 (after the link cut)", "keep_171 (preempted back)",
            "keep_172 (after SIGTERM)", "keep_171 (restarted, preempted back)"];
        for (int n = 1; n <= 5; n++)
        {
            var s = r.Step(n);
            if (!s.Happened)
            {
                failures.Add($"({n}) {s.Name}: {s.Detail}");
                continue;
            }
            string? mac = r.VipMacs.GetValueOrDefault(n);
            if (mac != cell.VirtualMac)
                failures.Add($"({n}) {s.Name}: the client's neighbour entry for {cell.Vip} is {mac ?? "missing"}, expected the VMAC " +
                             $"{cell.VirtualMac} of {holders[n]}");
        }
        Assert.True(failures.Count == 0, $"[{cell}]\n  " + string.Join("\n  ", failures) + "\n" + r.Scenario.Summary + "\n" + r.Logs);
    }
}
