using System.Net.Sockets;
using KeepSharp.Config;

namespace KeepSharp.Tests.Config;

/// <summary>
/// What keepalived's <c>-t</c> refuses and the runtime could not do is refused at load, with file:line: a value never
/// reaches the kernel or the wire in a shape it cannot take (16-byte source in an IPv4 header, over-long labels, a
/// 12-bit interval overflow, two virtual routers with one identity).
/// </summary>
public class LoadTimeChecksTests
{
    private static string Instance(string name = "VI_1", int vrid = 51, string extra = "", string vip = "10.0.0.1", string iface = "eth0") => $$"""
        vrrp_instance {{name}} {
            state BACKUP
            interface {{iface}}
            virtual_router_id {{vrid}}
            priority 100
        {{extra}}
            virtual_ipaddress {
                {{vip}}
            }
        }

        """;

    [Fact]
    public void Two_instances_with_one_vrid_on_one_interface_are_an_error_naming_both_places()
    {
        var result = KeepalivedConfigLoader.Parse(Instance() + Instance("VI_2"), "k.conf");
        var error = Assert.Single(result.Errors);
        Assert.Equal(11, error.Line);
        Assert.Contains("VI_1", error.Message);
        Assert.Contains("k.conf:1", error.Message);
        Assert.Contains("VRID 51 with IPv4 on interface eth0", error.Message);
        Assert.Equal(ConfigTest.ExitConfigTestFailed, ConfigTest.GetExitCode(result));
    }

    [Theory]
    [InlineData(52, "10.0.0.2", "eth0")] // another VRID
    [InlineData(51, "fd00::2", "eth0")] // another family: a separate virtual router (RFC 5798 5.2.3)
    [InlineData(51, "10.0.0.2", "eth1")] // another interface
    public void Instances_differing_in_vrid_family_or_interface_are_fine(int vrid, string vip, string iface)
    {
        var result = KeepalivedConfigLoader.Parse(Instance() + Instance("VI_2", vrid, vip: vip, iface: iface), "k.conf");
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
    }

    [Theory]
    [InlineData("mcast_src_ip fd00::9")]
    [InlineData("unicast_src_ip fd00::9")]
    public void A_source_address_of_the_other_family_fixes_the_family_and_the_other_addresses_are_dropped(string source)
    {
        // keepalived: the first address read fixes the instance's family; the IPv4 VIP is then ignored, and the IPv6
        // instance, VRRPv3 by default, has no VIP left: "(VI_1) No VIP specified; at least one is required".
        var result = KeepalivedConfigLoader.Parse(Instance(extra: source), "k.conf");
        Assert.Equal(ConfigTest.ExitConfigTestFailed, ConfigTest.GetExitCode(result));
        Assert.Contains(result.Warnings, w => w.Message.Contains("address family of 192.168.251.1 must match", StringComparison.Ordinal)
            || w.Message.Contains("must match the VRRP instance", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Message.Contains("VRRPv3 and strict mode require at least one", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("mcast_src_ip fd00::9")]
    [InlineData("unicast_src_ip fd00::9")]
    public void A_source_address_after_the_addresses_must_match_their_family(string source)
    {
        var text = Instance().Replace("    }\n}", "    }\n    " + source + "\n}");
        var result = KeepalivedConfigLoader.Parse(text, "k.conf");
        var warning = Assert.Single(result.Diagnostics, d => d.Message.Contains("address family", StringComparison.Ordinal));
        Assert.Equal(10, warning.Line);
        if (source.StartsWith("unicast", StringComparison.Ordinal))
        {
            // keepalived: "A unicast keyword has been specified without any unicast peers. Defaulting to multicast."
            Assert.Contains(result.Diagnostics, d => d.Message.Contains("without any unicast_peer", StringComparison.Ordinal));
        }
        else
        {
            Assert.Single(result.Diagnostics);
        }

        Assert.Contains("must be of the instance's address family", warning.Message);
        var instance = result.Config!.VrrpInstances.Single();
        Assert.Equal(AddressFamily.InterNetwork, instance.AddressFamily);
        Assert.Null(instance.McastSourceAddress);
        Assert.Null(instance.UnicastSourceAddress);
    }

    [Fact]
    public void A_label_of_16_characters_removes_its_address_and_fails_the_test()
    {
        var result = KeepalivedConfigLoader.Parse(Instance(vip: "10.0.0.1 label eth0:0123456789a\n        10.0.0.2 label eth0:0123456789"), "k.conf");
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(8, warning.Line);
        Assert.Contains("longer than 15", warning.Message);
        Assert.Equal(ConfigTest.ExitConfigTestFailed, ConfigTest.GetExitCode(result));
        var vip = Assert.Single(result.Config!.VrrpInstances.Single().VirtualIpAddresses);
        Assert.Equal(("10.0.0.2", "eth0:0123456789"), (vip.Address.ToString(), vip.Label));
    }

    [Theory]
    [InlineData("100", 40.95)]
    [InlineData("40.96", 40.95)]
    [InlineData("40.95", 40.95)]
    [InlineData("0.015", 0.02)]
    public void A_VRRPv3_interval_fits_its_12_bit_centisecond_field(string advert, double used)
    {
        var result = KeepalivedConfigLoader.Parse(Instance(extra: $"    version 3\n    advert_int {advert}"), "k.conf");
        Assert.Equal(TimeSpan.FromSeconds(used), result.Config!.VrrpInstances.Single().AdvertInterval);
        Assert.Equal(advert == "40.95" ? ConfigTest.ExitOk : ConfigTest.ExitConfigTestFailed, ConfigTest.GetExitCode(result));
    }

    [Theory]
    [InlineData("0.001")]
    [InlineData("0.009")]
    [InlineData("255.01")]
    public void An_interval_outside_keepalived_range_is_an_error(string advert)
    {
        var result = KeepalivedConfigLoader.Parse(Instance(extra: $"    version 3\n    advert_int {advert}"), "k.conf");
        var error = Assert.Single(result.Errors);
        Assert.Equal(7, error.Line);
        Assert.Contains("0.01..255", error.Message);
    }
}
