using System.Text.Json;

namespace KeepSharp.Tests.Cluster;

/// <summary>The acceptance cases: the seed's two mistakes and the weight-based example, through the command itself.</summary>
public sealed class CheckClusterSeedTests
{
    private static readonly string Seed171 = ClusterFiles.Example("seed", "keep_171.conf");
    private static readonly string Seed172 = ClusterFiles.Example("seed", "keep_172.conf");
    private static readonly string SeedCheck171 = ClusterFiles.Example("seed", "keep_171_check_nginx.conf");

    private static JsonElement Finding(JsonElement report, string code) =>
        report.GetProperty("findings").EnumerateArray().SingleOrDefault(f => f.GetProperty("code").GetString() == code) is { ValueKind: JsonValueKind.Object } f
            ? f
            : throw new Xunit.Sdk.XunitException($"no finding '{code}' in {report}");

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public void The_seeds_vip_mismatch_is_reported_on_both_sides_with_lines_and_two_masters_are_predicted()
    {
        (int exit, JsonElement report) = ClusterFiles.CheckJson(Seed171, Seed172);
        Assert.Equal(1, exit);
        JsonElement mismatch = Finding(report, "vip-mismatch");
        Assert.Equal("error", mismatch.GetProperty("severity").GetString());
        // The VIP line of each file: keep_171.conf line 29 (192.168.1.161), keep_172.conf line 25 (192.168.253.161).
        Assert.Equal([$"{Seed171}:29", $"{Seed172}:25"], Strings(mismatch.GetProperty("locations")));
        string message = mismatch.GetProperty("message").GetString()!;
        Assert.Contains("keep_171 advertises 192.168.1.161", message);
        Assert.Contains("keep_172 advertises 192.168.253.161", message);
        Assert.Contains("keep_171 drops keep_172's adverts (address list mismatch)", message);
        Assert.Contains("keep_172 drops keep_171's adverts (address list mismatch)", message);
        Assert.Contains("keep_171 and keep_172 will both be master", message);

        JsonElement router = report.GetProperty("virtualRouters").EnumerateArray().Single();
        Assert.Equal(["keep_171", "keep_172"], Strings(router.GetProperty("masters")));
        Assert.Equal("error", Finding(report, "two-masters").GetProperty("severity").GetString());
    }

    [Fact]
    public void The_seeds_positive_weight_check_is_reported_as_never_moving_the_vip()
    {
        (int exit, JsonElement report) = ClusterFiles.CheckJson(SeedCheck171, Seed172);
        Assert.Equal(1, exit);
        JsonElement trap = Finding(report, "failure-never-fails-over");
        Assert.Equal("check_nginx_alive failing leaves keep_171 at 100, above keep_172's 80: the VIP never moves " +
                     "(weight +10; a weight that takes it below 80, or weight 0 for FAULT, would move it)",
            trap.GetProperty("message").GetString());
        // The vrrp_script block, the track_script line, and the backup's priority.
        Assert.Equal([$"{SeedCheck171}:8", $"{SeedCheck171}:33", $"{Seed172}:15"], Strings(trap.GetProperty("locations")));

        JsonElement timeout = Finding(report, "script-default-timeout");
        Assert.Equal("warning", timeout.GetProperty("severity").GetString());
        Assert.Contains("check_nginx_alive has no timeout: it inherits its interval, 2 s", timeout.GetProperty("message").GetString());

        JsonElement member = report.GetProperty("virtualRouters")[0].GetProperty("members")[0];
        Assert.Equal((100, 110), (member.GetProperty("basePriority").GetInt32(), member.GetProperty("effectivePriority").GetInt32()));
        Assert.DoesNotContain(report.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "vip-mismatch");
    }

    [Fact]
    public void The_weight_based_example_is_sound_and_its_failover_time_is_fall_times_interval_plus_master_down_interval()
    {
        (int exit, JsonElement report) = ClusterFiles.CheckJson(ClusterFiles.Example("nginx-weight", "keep_171.conf"), ClusterFiles.Example("nginx-weight", "keep_172.conf"));
        Assert.True(exit == 0, report.ToString());
        Assert.Empty(report.GetProperty("findings").EnumerateArray());
        JsonElement scenario = report.GetProperty("scenarios").EnumerateArray()
            .Single(s => s.GetProperty("host").GetString() == "keep_171" && s.GetProperty("kind").GetString() == "script");
        Assert.Equal(2.0, scenario.GetProperty("detectionSeconds").GetDouble());
        JsonElement outcome = scenario.GetProperty("outcomes")[0];
        Assert.Equal(["keep_172"], Strings(outcome.GetProperty("mastersAfter")));
        // fall 2 × interval 1 s, then keep_172's Master_Down_Interval: 3 × 1 s + (256 − 90)/256 s = 3.648 s.
        Assert.InRange(outcome.GetProperty("seconds").GetDouble(), 2 + 3.648 - 0.01, 2 + 3.648 + 0.01);
    }

    [Fact]
    public void The_readable_report_shows_the_table_and_the_findings_most_severe_first()
    {
        (int exit, string text) = ClusterFiles.Check(SeedCheck171, Seed172);
        Assert.Equal(1, exit);
        string[] lines = text.Split('\n');
        Assert.Contains(lines, l => l.Trim() == "HOST      INSTANCE  STATE   PRIORITY  EFFECTIVE  ADDRESS              VIPS");
        Assert.Contains(lines, l => l.Trim() == "keep_171  VI_1      MASTER  100       110        192.0.2.1 (assumed)  192.168.253.161");
        Assert.Contains(lines, l => l.Trim() == "keep_172  VI_1      BACKUP  80        80         192.0.2.2 (assumed)  192.168.253.161");
        int error = Array.FindIndex(lines, l => l.Contains("ERROR   failure-never-fails-over"));
        int warning = Array.FindIndex(lines, l => l.Contains("WARNING script-default-timeout"));
        Assert.True(error > 0 && warning > error, text);
        Assert.EndsWith("Result: failover breaks (exit 1): 1 error(s)", text.TrimEnd());
    }

    [Fact]
    public void A_file_that_does_not_load_exits_2_and_names_the_line()
    {
        using var files = new ClusterFiles();
        string broken = files.Write("broken", "vrrp_instance VI_1 {\n  virtual_router_id 300\n}\n");
        (int exit, string output) = ClusterFiles.Check(broken, Seed172);
        Assert.Equal(2, exit);
        Assert.Contains($"{broken}:2:", output);
    }

    [Fact]
    public void The_same_files_give_the_same_report()
    {
        Assert.Equal(ClusterFiles.Check(SeedCheck171, Seed172).Output, ClusterFiles.Check(SeedCheck171, Seed172).Output);
    }
}
