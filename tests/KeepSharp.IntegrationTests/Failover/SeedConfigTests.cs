using KeepSharp.Lab;

namespace KeepSharp.IntegrationTests.Failover;

/// <summary>The lab adapts ONLY the interface name and the addresses of the seed configs.</summary>
public sealed class SeedConfigTests
{
    [Theory]
    [InlineData(SeedConfig.MasterFile, "192.168.1.161")]
    [InlineData(SeedConfig.BackupFile, "192.168.253.161")]
    public void Adapt_rewrites_interface_and_vip_only(string file, string seedVip)
    {
        string seed = File.ReadAllText(Path.Combine(RepoRoot.Find(AppContext.BaseDirectory), "examples", "seed", file));
        string adapted = SeedConfig.Adapt(seed, "eth0", "10.51.0.161");

        Assert.Contains("interface eth0", adapted);
        Assert.DoesNotContain("ens33", adapted);
        Assert.Contains("10.51.0.161", adapted);
        Assert.DoesNotContain(seedVip, adapted);
        string expected = seed.Replace("interface ens33", "interface eth0").Replace(seedVip, "10.51.0.161");
        Assert.Equal(expected, adapted);
    }

    [Fact]
    public void Adapt_keeps_prefix_and_options_of_vip_entries()
    {
        const string seed = "vrrp_instance V {\n interface ens33\n virtual_ipaddress {\n  192.168.1.161/24 dev ens33 label ens33:1\n }\n}";
        string adapted = SeedConfig.Adapt(seed, "eth0", "10.51.0.161");
        Assert.Contains("10.51.0.161/24 dev eth0 label eth0:1", adapted);
    }

    [Fact]
    public void Repo_root_is_found_from_the_test_binaries()
    {
        string root = RepoRoot.Find(AppContext.BaseDirectory);
        Assert.True(File.Exists(Path.Combine(root, "KeepSharp.sln")));
    }
}
