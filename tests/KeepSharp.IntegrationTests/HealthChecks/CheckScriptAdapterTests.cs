using KeepSharp.Lab;

namespace KeepSharp.IntegrationTests.HealthChecks;

/// <summary>The lab changes only what names the machine in the seed's check script and config.</summary>
public sealed class CheckScriptAdapterTests
{
    private static string Seed(string file) => Path.Combine(RepoRoot.Find(AppContext.BaseDirectory), "examples", "seed", file);

    [Theory]
    [InlineData("keepsharp")]
    [InlineData("keepalived")]
    public void Script_gets_the_lab_nginx_and_the_daemon_under_test_only(string daemon)
    {
        string seed = File.ReadAllText(Seed("check_nginx_alive_or_not.sh"));
        string adapted = CheckScriptAdapter.AdaptScript(seed, "/usr/sbin/nginx -p /x -c /x/nginx.conf", daemon);
        string expected = seed.Replace("/usr/local/nginx/sbin/nginx", "/usr/sbin/nginx -p /x -c /x/nginx.conf")
            .Replace("killall keepalived", $"killall {daemon}");
        Assert.Equal(expected, adapted);
        Assert.Contains($"killall {daemon}\n", adapted);
    }

    [Fact]
    public void Timeout_is_added_after_the_interval_line_once()
    {
        string seed = File.ReadAllText(Seed(SeedCheckScenario.MasterCheckFile));
        string once = CheckScriptAdapter.AddTimeout(seed, 5);
        Assert.Contains("interval 2 # 每隔两秒运行上一行脚本\n    timeout 5\n", once);
        Assert.Equal(once, CheckScriptAdapter.AddTimeout(once, 5)); // a block with a timeout is left alone
        Assert.Equal(seed, once.Replace("\n    timeout 5", ""));
    }

    [Fact]
    public void Script_settings_are_read_from_the_vrrp_script_block()
    {
        string conf = File.ReadAllText(Path.Combine(RepoRoot.Find(AppContext.BaseDirectory), "examples", "nginx-weight", "keep_171.conf"));
        Assert.Equal(1, CheckScriptAdapter.ScriptInterval(conf));
        Assert.Equal(2, CheckScriptAdapter.ScriptSetting(conf, "fall", 1));
        Assert.Equal(2, CheckScriptAdapter.ScriptSetting(conf, "rise", 1));
        Assert.Equal(-20, CheckScriptAdapter.ScriptSetting(conf, "weight", 0));
        Assert.Equal(2, CheckScriptAdapter.ScriptInterval(File.ReadAllText(Seed(SeedCheckScenario.MasterCheckFile))));
    }

    [Fact]
    public void Dual_master_vips_map_one_to_one()
    {
        string conf = File.ReadAllText(Path.Combine(RepoRoot.Find(AppContext.BaseDirectory), "examples", "dual-master", "keep_171.conf"));
        var map = new Dictionary<string, string> { ["192.168.1.161"] = "10.51.0.161", ["192.168.1.162"] = "10.51.0.162" };
        string adapted = SeedConfig.Adapt(conf, "eth0", map);
        Assert.Contains("10.51.0.161", adapted);
        Assert.Contains("10.51.0.162", adapted);
        string settings = string.Join('\n', adapted.Split('\n').Where(l => !l.TrimStart().StartsWith('!'))); // comments name the example's VIPs
        Assert.DoesNotContain("192.168.1.16", settings);
        Assert.DoesNotContain("ens33", settings);
        Assert.Throws<LabException>(() => SeedConfig.Adapt(conf, "eth0", new Dictionary<string, string> { ["192.168.1.161"] = "10.51.0.161" }));
    }
}
