using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Cluster;

/// <summary>
/// Who is master with every host healthy can depend on which host starts first: an equal-priority backup accepts a
/// running master's adverts (RFC 3768 §6.4.2, keepalived's vrrp_state_backup), and so does a nopreempt backup of
/// higher priority. check-cluster predicts each start order (<c>mastersByFirstHost</c>) and reports a
/// <c>start-order</c> finding; here the hosts start one after the other (the loser of a simultaneous start first,
/// 150 ms ahead, a gap far below any boot-time difference) and the observed master is the one predicted for that order.
/// (This case was found by these tests: the first prediction assumed every host elects at the same moment.)
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CheckClusterStartOrderTests(ITestOutputHelper output)
{
    [Fact]
    public void A_tie_started_lower_address_first_stays_with_the_first_host_as_predicted()
    {
        using var lab = new ClusterLab(output,
            new ClusterHostSpec(171, "BACKUP", 100),
            new ClusterHostSpec(172, "BACKUP", 100));
        PredictedRouter router = lab.Prediction.Router("VRID 51 IPv4");
        Assert.Equal(["keep_172"], router.Masters); // started together: the higher address
        Assert.Equal(["keep_171"], router.MastersByFirstHost["keep_171"]);
        Assert.Contains("start-order", lab.Prediction.FindingCodes);
        lab.ProveHealthyStartedInOrder(TimeSpan.FromMilliseconds(150), "keep_171", "keep_172");
    }

    [Fact]
    public void A_nopreempt_backup_of_higher_priority_started_second_leaves_the_first_host_master_as_predicted()
    {
        using var lab = new ClusterLab(output,
            new ClusterHostSpec(171, "BACKUP", 100, Nopreempt: true, ScriptWeight: -20),
            new ClusterHostSpec(172, "BACKUP", 90, Nopreempt: true));
        PredictedRouter router = lab.Prediction.Router("VRID 51 IPv4");
        Assert.Equal(["keep_171"], router.Masters);
        Assert.Equal(["keep_172"], router.MastersByFirstHost["keep_172"]);
        Assert.Contains("start-order", lab.Prediction.FindingCodes);
        lab.ProveHealthyStartedInOrder(TimeSpan.FromMilliseconds(150), "keep_172", "keep_171");
    }
}
