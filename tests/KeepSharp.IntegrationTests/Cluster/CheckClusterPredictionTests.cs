using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Cluster;

/// <summary>
/// check-cluster's predictions proven with the real daemon (issue 9): each test generates a two- or three-host cluster
/// (VRRPv3, advert_int 0.1 s, mcast_src_ip set so ties are decidable), asks <c>check-cluster --json</c> who is master
/// with every host healthy and after each failure alone, then runs keepsharp on every host of the netns lab and
/// checks the observed masters (who holds the VIP) are the predicted ones: healthy, then for every scenario the
/// report lists (script failing, interface down, tracked file non-zero, host lost by SIGKILL), each from a fresh
/// healthy cluster, with the takeover time within a generous bound of the predicted one.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CheckClusterPredictionTests(ITestOutputHelper output)
{
    [Fact]
    public void A_priority_tie_is_decided_by_the_higher_primary_address()
    {
        using var lab = new ClusterLab(output,
            new ClusterHostSpec(171, "BACKUP", 100),
            new ClusterHostSpec(172, "BACKUP", 100));
        Assert.Contains("priority-tie", lab.Prediction.FindingCodes);
        Assert.Equal(["keep_172"], lab.Prediction.Router("VRID 51 IPv4").Masters);
        lab.ProveAll(expectedScenarios: 4);
    }

    [Fact]
    public void Nopreempt_on_both_sides_keeps_a_weakened_master()
    {
        // keep_171 (100, nopreempt, state BACKUP) wins the start; its chk failing takes it to 80, below keep_172's 90,
        // but keep_172 is nopreempt too: it accepts the lower master's adverts and never takes over.
        using var lab = new ClusterLab(output,
            new ClusterHostSpec(171, "BACKUP", 100, Nopreempt: true, ScriptWeight: -20),
            new ClusterHostSpec(172, "BACKUP", 90, Nopreempt: true));
        Assert.Equal(["keep_171"], lab.Prediction.Router("VRID 51 IPv4").Masters);
        lab.ProveAll(expectedScenarios: 5);
    }

    [Fact]
    public void A_weight_that_takes_the_master_below_the_backup_moves_it()
    {
        // The nginx-weight example: 100 vs 90, weight -20 on both.
        using var lab = new ClusterLab(output,
            new ClusterHostSpec(171, "MASTER", 100, ScriptWeight: -20),
            new ClusterHostSpec(172, "BACKUP", 90, ScriptWeight: -20));
        Assert.Equal(0, lab.Prediction.ExitCode);
        Assert.Equal(["keep_171"], lab.Prediction.Router("VRID 51 IPv4").Masters);
        lab.ProveAll(expectedScenarios: 6);
    }

    [Fact]
    public void A_positive_weight_that_never_takes_the_master_below_the_backup_leaves_it_master()
    {
        // The seed's trap (course notes 3-9): 100 + 10 healthy, 100 failing, the backup at 80 + 10.
        using var lab = new ClusterLab(output,
            new ClusterHostSpec(171, "MASTER", 100, ScriptWeight: 10),
            new ClusterHostSpec(172, "BACKUP", 80, ScriptWeight: 10));
        Assert.Contains("failure-never-fails-over", lab.Prediction.FindingCodes);
        Assert.Equal(["keep_171"], lab.Prediction.Router("VRID 51 IPv4").Masters);
        lab.ProveAll(expectedScenarios: 6);
    }

    [Fact]
    public void Different_vips_make_two_masters()
    {
        // The seed's mismatch: each side drops the other's adverts (address list), both hold their VIP.
        using var lab = new ClusterLab(output,
            new ClusterHostSpec(171, "MASTER", 100, Vip: "10.51.0.161"),
            new ClusterHostSpec(172, "BACKUP", 90, Vip: "10.51.0.162"));
        Assert.Equal(1, lab.Prediction.ExitCode);
        Assert.Contains("vip-mismatch", lab.Prediction.FindingCodes);
        Assert.Equal(["keep_171", "keep_172"], lab.Prediction.Router("VRID 51 IPv4").Masters.Order());
        lab.ProveAll(expectedScenarios: 4);
    }

    [Fact]
    public void Three_hosts_a_weight_drops_the_master_between_the_others()
    {
        // 100/90/80: chk failing takes keep_171 to 85, below keep_172, above keep_173; keep_173's tracked file
        // at 1 takes it from 80 to 50, which moves nothing.
        using var lab = new ClusterLab(output,
            new ClusterHostSpec(171, "MASTER", 100, ScriptWeight: -15),
            new ClusterHostSpec(172, "BACKUP", 90),
            new ClusterHostSpec(173, "BACKUP", 80, FileWeight: -30));
        Assert.Equal(["keep_171"], lab.Prediction.Router("VRID 51 IPv4").Masters);
        lab.ProveAll(expectedScenarios: 8);
    }
}
