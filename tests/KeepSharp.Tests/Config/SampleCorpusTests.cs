using System.Net;
using KeepSharp.Config;

namespace KeepSharp.Tests.Config;

/// <summary>
/// keepalived's own sample configs, read where Debian's keepalived package installs them
/// (<see cref="TestPaths.SamplesDir"/>), never copied into the project.
/// </summary>
[Trait("Tier", "Keepalived")] // reads the keepalived package's files
public class SampleCorpusTests
{
    public static TheoryData<string> VrrpSamples => new(
        "keepalived.conf.vrrp", "keepalived.conf.vrrp.localcheck", "keepalived.conf.vrrp.lvs_syncd",
        "keepalived.conf.vrrp.routes", "keepalived.conf.vrrp.scripts",
        "keepalived.conf.vrrp.static_ipaddress", "keepalived.conf.vrrp.sync", "keepalived.conf.IPv6",
        "keepalived.conf.track_interface", "keepalived.conf.conditional_conf", "keepalived.conf.sample");

    public static TheoryData<string> AllSamples
    {
        get
        {
            var data = new TheoryData<string>();
            if (!TestPaths.SamplesInstalled)
            {
                data.Add("keepalived.conf.vrrp"); // one case, which fails saying what is missing
                return data;
            }

            foreach (var file in Directory.GetFiles(TestPaths.SamplesDir, "keepalived.conf.*").Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(file));
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(VrrpSamples))]
    public void VrrpSamplesParseWithoutErrors(string name)
    {
        var result = KeepalivedConfigLoader.Load(TestPaths.Sample(name));
        Assert.False(result.HasErrors, string.Join("\n", result.Errors));
        Assert.NotNull(result.Config);
    }

    /// <summary>
    /// The samples KeepSharp's <c>-t</c> fails, with what it reports and what keepalived 2.2.7's <c>-t</c> reports for
    /// the same problem (the same kind of failure); null for keepalived means a deliberate difference. Every other
    /// sample passes KeepSharp's <c>-t</c> (keepalived fails some of them only for interfaces this host lacks, which
    /// KeepSharp does not check at load).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (string KeepSharp, string? Keepalived)> FailingSamples =
        new Dictionary<string, (string, string?)>(StringComparer.Ordinal)
        {
            // Deliberate: KeepSharp refuses AH (RFC 9568 has no authentication); keepalived takes it.
            ["keepalived.conf.SSL_GET"] = ("auth_type AH is not supported", null),
            ["keepalived.conf.conditional_conf"] = ("no script set for vrrp_script 'check_VI_0'", "No script set for vrrp_script check_VI_0"),
            ["keepalived.conf.track_interface"] = ("cannot track route 192.168.112.0/24 with no interface specified", "cannot track route 192.168.112.0/24 with no interface specified"),
            ["keepalived.conf.vrrp.lvs_syncd"] = ("unknown keyword 'VI_2'", "Unknown keyword 'VI_2'"),
            ["keepalived.conf.vrrp.routes"] = ("\"or\" for routes is deprecated", "\"or\" for routes is deprecated"),
            ["keepalived.conf.vrrp.rules"] = ("invalid rule to address 192.168.200./24", "Invalid rule to address 192.168.200./24"),
            ["keepalived.conf.vrrp.static_ipaddress"] = ("cannot track route 192.168.112.0/24 with no interface specified", "cannot track route 192.168.112.0/24 with no interface specified"),
        };

    [Theory]
    [MemberData(nameof(AllSamples))]
    public void Config_test_of_every_sample_passes_or_fails_as_keepalived_does(string name)
    {
        string path = TestPaths.Sample(name);
        var result = KeepalivedConfigLoader.Load(path);
        int exit = ConfigTest.GetExitCode(result);
        string ours = string.Join("\n", result.Diagnostics);
        if (!FailingSamples.TryGetValue(name, out var expected))
        {
            Assert.True(exit == ConfigTest.ExitOk, $"KeepSharp -t fails {name}:\n{ours}");
            return;
        }

        Assert.True(exit == ConfigTest.ExitConfigTestFailed, $"KeepSharp -t passes {name}, expected: {expected.KeepSharp}\n{ours}");
        Assert.Contains(result.Diagnostics, d => d.Message.Contains(expected.KeepSharp, StringComparison.Ordinal));
        if (expected.Keepalived is { } theirs)
        {
            var (keepalivedExit, output) = KeepalivedCli.ConfigTest(path);
            Assert.Equal(ConfigTest.ExitConfigTestFailed, keepalivedExit);
            Assert.Contains(theirs, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Lvs_sections_are_reported_by_name_and_line_without_failing_the_config_test()
    {
        var result = KeepalivedConfigLoader.Load(TestPaths.Sample("keepalived.conf.HTTP_GET.port"));
        var lvs = Assert.Single(result.Warnings);
        Assert.Equal(13, lvs.Line);
        Assert.Equal("virtual_server 192.168.200.100 443 (with 1 real_server) (LVS) is not supported by KeepSharp - ignored", lvs.Message);
        Assert.Equal(ConfigTest.ExitOk, ConfigTest.GetExitCode(result));
    }

    [Fact]
    public void RoutesSample_VirtualRoutes()
    {
        var routes = KeepalivedConfigLoader.Load(TestPaths.Sample("keepalived.conf.vrrp.routes")).Config!.VrrpInstances[0].VirtualRoutes;
        Assert.Equal(7, routes.Count);
        Assert.Equal(("192.168.109.0", 24, "192.168.100.1", "192.168.200.254", "eth1"),
            (routes[0].Destination.ToString(), routes[0].PrefixLength, routes[0].Source?.ToString(), routes[0].Gateway?.ToString(), routes[0].Device));
        Assert.False(routes[0].NoTrack);
        Assert.True(routes[3].NoTrack); // no dev: keepalived cannot track it
        Assert.Equal("192.168.100.253", routes[4].SecondGateway?.ToString());
        Assert.Equal((VirtualRouteType.Blackhole, 32), (routes[5].Type, routes[5].PrefixLength));
        Assert.Equal(("0.0.0.0", 0, 100u, "192.168.0.1"), (routes[6].Destination.ToString(), routes[6].PrefixLength, routes[6].Table, routes[6].Gateway?.ToString()));
        Assert.Equal(30, routes[4].Location.Line);
    }

    [Fact]
    public void RulesSample_VirtualRules()
    {
        var result = KeepalivedConfigLoader.Load(TestPaths.Sample("keepalived.conf.vrrp.rules"));
        Assert.Contains(result.Errors, e => e.Line == 26 && e.Message == "(VI_1) virtual_rules: invalid rule to address 192.168.200./24");
        Assert.Contains(result.Warnings, w => w.Line == 25 && w.Message.Contains("no preference", StringComparison.Ordinal));
    }

    [Fact]
    public void CorpusIsComplete()
    {
        Assert.True(TestPaths.SamplesInstalled, $"{TestPaths.SamplesDir} is missing: install Debian's 'keepalived' package (scripts/setup.sh does)");
        Assert.True(AllSamples.Count >= 25, $"{TestPaths.SamplesDir} holds {AllSamples.Count} keepalived.conf.* samples; keepalived 2.2.7 ships 25");
    }

    [Fact]
    public void VrrpSample_InstancesAndVipWithDevAndLabel()
    {
        var config = KeepalivedConfigLoader.Load(TestPaths.Sample("keepalived.conf.vrrp")).Config!;
        Assert.Equal(4, config.VrrpInstances.Count);
        var vi1 = config.VrrpInstances[0];
        Assert.Equal("VI_1", vi1.Name);
        Assert.Equal(VrrpConfiguredState.Master, vi1.State);
        Assert.Equal(51, vi1.VirtualRouterId);
        Assert.Equal(TimeSpan.FromSeconds(10), vi1.GarpMasterDelay);
        Assert.Equal(TimeSpan.FromSeconds(5), config.VrrpInstances[1].GarpMasterDelay);
        Assert.Equal(new VrrpAuthentication(VrrpAuthType.Pass, "1111"), vi1.Authentication);
        var labelled = Assert.Single(vi1.VirtualIpAddresses, v => v.Label is not null);
        Assert.Equal(IPAddress.Parse("192.168.200.18"), labelled.Address);
        Assert.Equal(32, labelled.PrefixLength);
        Assert.Null(labelled.Device);
        Assert.Equal("eth0:1", labelled.Label);
        Assert.Equal(32, labelled.Location.Line);
        Assert.Equal(4, vi1.VirtualIpAddresses.Count);

        var routes = KeepalivedConfigLoader.Load(TestPaths.Sample("keepalived.conf.vrrp.routes")).Config!;
        var withDev = routes.VrrpInstances[0].VirtualIpAddresses.Where(v => v.Device is not null).ToList();
        Assert.Equal(["192.168.200.17 dev eth1", "192.168.200.18 dev eth2"], withDev.Select(v => $"{v.Address} dev {v.Device}"));
    }

    [Fact]
    public void SyncSample_GroupsAndMembers()
    {
        var config = KeepalivedConfigLoader.Load(TestPaths.Sample("keepalived.conf.vrrp.sync")).Config!;
        Assert.Equal(9, config.VrrpInstances.Count);
        Assert.Equal(["G1", "G2"], config.VrrpSyncGroups.Select(g => g.Name));
        Assert.Equal(["VI_3", "VI_4"], config.VrrpSyncGroups[1].Instances);
        Assert.Equal("G1", config.VrrpInstances[0].SyncGroup);
        Assert.Equal(new[] { 25, 26, 27, 28 }, config.VrrpInstances.Take(4).Select(v => v.VirtualIpAddresses[0].PrefixLength));
    }

    [Fact]
    public void TrackInterfaceSample()
    {
        var config = KeepalivedConfigLoader.Load(TestPaths.Sample("keepalived.conf.track_interface")).Config!;
        var vi = Assert.Single(config.VrrpInstances);
        Assert.Equal("eth0.1", vi.Interface);
        Assert.Equal(["eth0", "eth1"], vi.TrackInterfaces);
        Assert.Equal(["eth1", "eth2"], vi.VirtualIpAddresses.Skip(1).Select(v => v.Device));
    }

    [Fact]
    public void ScriptsSample()
    {
        var config = KeepalivedConfigLoader.Load(TestPaths.Sample("keepalived.conf.vrrp.scripts")).Config!;
        var vi1 = config.VrrpInstances[0];
        Assert.Equal("/usr/local/bin/vrrp.sh  MASTER  VI_1", vi1.NotifyMaster); // quoted: inner spaces kept
        Assert.Equal("/usr/local/bin/vrrp.sh  FAULT  VI_1", vi1.NotifyFault);
        Assert.Equal("/usr/local/bin/vrrp.back arg1 arg2", config.VrrpSyncGroups[0].NotifyBackup);
    }

    [Fact]
    public void ConditionalSample_WithConfigIdHigh()
    {
        var result = KeepalivedConfigLoader.Load(TestPaths.Sample("keepalived.conf.conditional_conf"), new ConfigLoadOptions { ConfigId = "high" });
        Assert.Empty(result.Diagnostics);
        var config = result.Config!;
        var script = Assert.Single(config.VrrpScripts);
        Assert.Equal("/etc/keepalived/scripts/check_high_VI_0.sh", script.Script);
        Assert.Equal(TimeSpan.FromSeconds(10), script.Timeout);
        Assert.Equal(3, script.Rise);
        var vi = Assert.Single(config.VrrpInstances);
        Assert.Equal(170, vi.Priority);
        Assert.Equal(3, vi.Version);
        Assert.Equal(TimeSpan.FromSeconds(12), vi.AdvertInterval);
        Assert.True(vi.UseVmac);
        Assert.Equal("check_VI_0", Assert.Single(vi.TrackScripts).Name);
        Assert.Equal(20, vi.TrackInterfaceReferences.Single(t => t.Name == "eth2").Weight);
    }

    [Fact]
    public void ConditionalSample_WithConfigIdLow()
    {
        var config = KeepalivedConfigLoader.Load(TestPaths.Sample("keepalived.conf.conditional_conf"), new ConfigLoadOptions { ConfigId = "low" }).Config!;
        Assert.Equal(85, config.VrrpInstances[0].Priority);
        Assert.Equal("/etc/keepalived/scripts/check_low_VI_0.sh", config.VrrpScripts[0].Script);
    }

    [Fact]
    public void ConditionalSample_WithoutConfigId_WarnsLikeKeepalived()
    {
        // keepalived -t without -i: "No script set for vrrp_script check_VI_0 - removing" and
        // "track script check_VI_0 not found, ignoring..." (exit 5).
        var result = KeepalivedConfigLoader.Load(TestPaths.Sample("keepalived.conf.conditional_conf"));
        Assert.False(result.HasErrors);
        Assert.Equal([6, 25], result.Warnings.Select(w => w.Line));
        Assert.Equal(100, result.Config!.VrrpInstances[0].Priority);
        Assert.Empty(result.Config.VrrpInstances[0].TrackScripts);
        Assert.Equal(ConfigTest.ExitConfigTestFailed, ConfigTest.GetExitCode(result));
    }
}
