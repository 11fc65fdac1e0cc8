using System.Net;
using KeepSharp.Config;

namespace KeepSharp.Tests.Config;

/// <summary>
/// The examples beyond the seed (examples/nginx-weight, examples/dual-master) and the seed's check config with the
/// `timeout 5` the lab adds: KeepSharp loads them without a diagnostic, with the settings their READMEs describe, and
/// the real keepalived's config test accepts them (interface set to one of this host, scripts present, script
/// security on, as <see cref="KeepalivedDifferentialTests.SeedWithCheckScript_KeepalivedObjectsOnlyToTheHost"/> explains).
/// </summary>
[Trait("Tier", "Keepalived")]
public class ExampleConfigTests
{
    private static string Example(string folder, string file) => Path.Combine(TestPaths.RepoRoot, "examples", folder, file);

    private static KeepalivedConfig LoadClean(string path)
    {
        var result = KeepalivedConfigLoader.Load(path);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(ConfigTest.ExitOk, ConfigTest.GetExitCode(result));
        return result.Config!;
    }

    [Theory]
    [InlineData("keep_171.conf", "keep_171", 100)]
    [InlineData("keep_172.conf", "keep_172", 90)]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void NginxWeight_TracksACheckOnlyScriptWithNegativeWeightFallAndRise(string file, string routerId, int priority)
    {
        var config = LoadClean(Example("nginx-weight", file));
        Assert.Equal(routerId, config.GlobalDefs.RouterId);
        var script = Assert.Single(config.VrrpScripts);
        Assert.Equal("check_nginx", script.Name);
        Assert.Equal(TimeSpan.FromSeconds(1), script.Interval);
        Assert.Equal(TimeSpan.FromSeconds(2), script.Timeout);
        Assert.Equal(-20, script.Weight);
        Assert.Equal(2, script.Fall);
        Assert.Equal(2, script.Rise);
        var vi = Assert.Single(config.VrrpInstances);
        Assert.Equal(priority, vi.Priority);
        Assert.Equal("check_nginx", Assert.Single(vi.TrackScripts).Name);
        // 100 - 20 < 90 < 100: the weight is what moves the VIP.
        Assert.True(100 + script.Weight < 90, "a failed check on keep_171 must drop it below keep_172");

        string sh = File.ReadAllText(Example("nginx-weight", "check_nginx.sh"));
        Assert.DoesNotContain("killall", sh, StringComparison.Ordinal);
        Assert.True((File.GetUnixFileMode(Example("nginx-weight", "check_nginx.sh")) & UnixFileMode.UserExecute) != 0,
            "check_nginx.sh must be executable");
    }

    [Fact]
    public void DualMaster_CrossesPrioritiesOfTwoInstances()
    {
        var c171 = LoadClean(Example("dual-master", "keep_171.conf"));
        var c172 = LoadClean(Example("dual-master", "keep_172.conf"));
        foreach (var (config, vi1Priority, vi2Priority) in new[] { (c171, 100, 80), (c172, 80, 100) })
        {
            Assert.Equal(2, config.VrrpInstances.Count);
            var vi1 = config.VrrpInstances.Single(v => v.Name == "VI_1");
            var vi2 = config.VrrpInstances.Single(v => v.Name == "VI_2");
            Assert.Equal(51, vi1.VirtualRouterId);
            Assert.Equal(52, vi2.VirtualRouterId);
            Assert.Equal(vi1Priority, vi1.Priority);
            Assert.Equal(vi2Priority, vi2.Priority);
            Assert.Equal(IPAddress.Parse("192.168.1.161"), Assert.Single(vi1.VirtualIpAddresses).Address);
            Assert.Equal(IPAddress.Parse("192.168.1.162"), Assert.Single(vi2.VirtualIpAddresses).Address);
        }
    }

    [Theory]
    [InlineData("nginx-weight", "keep_171.conf")]
    [InlineData("nginx-weight", "keep_172.conf")]
    [InlineData("dual-master", "keep_171.conf")]
    [InlineData("dual-master", "keep_172.conf")]
    [InlineData("seed", "keep_171_check_nginx.conf")]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void AcceptedByKeepalivedAndKeepSharp(string folder, string file)
    {
        using var dir = new TempDir();
        string text = File.ReadAllText(Example(folder, file)).Replace("ens33", KeepalivedCli.HostInterface);
        if (folder == "seed")
        {
            // The lab's fix for the seed: a timeout longer than the script's `sleep 3`.
            text = text.Replace("interval 2 #", "interval 2\n    timeout 5 #");
        }

        // Scripts where keepalived can find them, under script security (otherwise its -t exits 5 or 6: host policy).
        foreach (var (seedPath, local) in new[]
                 {
                     ("/etc/keepalived/check_nginx.sh", Example("nginx-weight", "check_nginx.sh")),
                     ("/etc/keepalived/check_nginx_alive_or_not.sh", Example("seed", "check_nginx_alive_or_not.sh")),
                 })
        {
            var copy = dir.Write(Path.GetFileName(local), File.ReadAllText(local));
            File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            text = text.Replace(seedPath, copy);
        }
        text = text.Replace($"router_id keep_", "enable_script_security\n   script_user root\n   router_id keep_");
        var path = dir.Write(file, text);

        var (exit, output) = KeepalivedCli.ConfigTest(path);
        Assert.True(exit == 0, $"keepalived -t exit {exit}:\n{output}");
        Assert.Equal(0, ConfigTest.GetExitCode(KeepalivedConfigLoader.Load(path)));
    }
}
