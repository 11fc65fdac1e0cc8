using KeepSharp.Config;
using KeepSharp.Daemon.Runtime;
using KeepSharp.Tests.Config;

namespace KeepSharp.Tests.Daemon;

/// <summary>What is parsed but not done yet is said at startup: refused when peers would notice, warned otherwise.</summary>
public class FeatureSupportTests
{
    private static KeepalivedConfig Load(string text)
    {
        ConfigLoadResult result = KeepalivedConfigLoader.Parse(text, "k.conf");
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Config!;
    }

    private const string Instance = """
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
            priority 100
            advert_int 1
        %EXTRA%
            virtual_ipaddress {
                10.0.0.1
            }
        }
        """;

    [Fact]
    public void The_seed_configs_need_nothing_missing_now_that_scripts_run()
    {
        foreach (string file in new[] { "keep_171.conf", "keep_172.conf" })
        {
            KeepalivedConfig plain = Load(File.ReadAllText(TestPaths.Seed(file)));
            Assert.Empty(FeatureSupport.Errors(plain));
            Assert.Empty(FeatureSupport.Warnings(plain));
        }
        KeepalivedConfig check = Load(File.ReadAllText(TestPaths.Seed("keep_171_check_nginx.conf")));
        Assert.Empty(FeatureSupport.Errors(check));
        Assert.Empty(FeatureSupport.Warnings(check));
    }

    [Fact]
    public void Track_interface_sync_groups_scripts_and_group_notify_are_no_longer_warned_about()
    {
        KeepalivedConfig config = Load("""
            vrrp_script chk {
                script /bin/true
            }
            vrrp_sync_group G1 {
                group {
                    VI_1
                }
                track_script {
                    chk
                }
                notify_master /bin/true
            }
            """ + Instance.Replace("%EXTRA%", "    track_interface {\n        eth1\n    }\n    track_script {\n        chk\n    }"));
        Assert.Empty(FeatureSupport.Warnings(config));
    }

    [Fact]
    public void Unicast_peers_are_supported()
    {
        KeepalivedConfig config = Load(Instance.Replace("%EXTRA%", "    unicast_peer {\n        10.0.0.3\n    }"));
        Assert.Empty(FeatureSupport.Errors(config));
        Assert.DoesNotContain(FeatureSupport.Warnings(config), w => w.Contains("unicast"));
    }

    [Fact]
    public void Neither_preempt_delay_nor_notify_scripts_are_warned_about()
    {
        KeepalivedConfig config = Load(Instance.Replace("%EXTRA%", "    notify_master /bin/true\n    preempt_delay 5"));
        Assert.Empty(FeatureSupport.Errors(config));
        string[] warnings = [.. FeatureSupport.Warnings(config)];
        Assert.DoesNotContain(warnings, w => w.Contains("notify"));
        Assert.DoesNotContain(warnings, w => w.Contains("preempt_delay"));
    }

    [Fact]
    public void Neither_multicast_group_is_warned_about()
    {
        KeepalivedConfig config = Load("global_defs {\n    vrrp_mcast_group4 224.0.0.19\n    vrrp_mcast_group6 ff02::13\n}\n" + Instance.Replace("%EXTRA%", ""));
        Assert.Equal("224.0.0.19", config.GlobalDefs.VrrpMcastGroup4.ToString()); // carried in the model for the runtime
        Assert.Empty(FeatureSupport.Errors(config));
        string[] warnings = [.. FeatureSupport.Warnings(config)];
        Assert.DoesNotContain(warnings, w => w.Contains("vrrp_mcast_group4"));
        Assert.DoesNotContain(warnings, w => w.Contains("vrrp_mcast_group6"));
        Assert.Equal("ff02::13", config.GlobalDefs.VrrpMcastGroup6.ToString());
    }
}
