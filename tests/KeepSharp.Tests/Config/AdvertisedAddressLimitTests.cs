using System.Net;
using System.Net.Sockets;
using KeepSharp.Config;
using KeepSharp.Config.Parsing;

namespace KeepSharp.Tests.Config;

/// <summary>
/// More virtual addresses than one advert carries: the first ones that fit stay advertised, the excess
/// becomes excluded addresses, one warning in keepalived's words at the first address moved.
/// </summary>
public class AdvertisedAddressLimitTests
{
    private static string Config(int addresses, string version = "", string excluded = "") => $$"""
        vrrp_instance BIG {
            state BACKUP
            interface eth0
            virtual_router_id 51
            priority 100
            {{version}}
            virtual_ipaddress {
        {{string.Join("\n", Enumerable.Range(0, addresses).Select(Address))}}
            }
            {{excluded}}
        }
        """;

    /// <summary>The i-th address (0-based); the block starts on line 8 (version line included).</summary>
    private static string Address(int i) => $"        10.52.{i / 250}.{i % 250 + 1}";

    [Theory]
    [InlineData(1500, 2, 255)]     // (1500 - 14 - 20 - 8 - 8) / 4 = 362: the count field binds
    [InlineData(576, 2, 131)]      // keepalived -t on an interface with MTU 576 reports "max 131"
    [InlineData(576, 3, 133)]      // VRRPv3 has no authentication data
    [InlineData(1500, 3, 255)]
    [InlineData(68, 2, 4)]
    public void Ipv4_limit_is_the_count_field_or_the_packet_space_at_the_mtu(int mtu, int version, int expected) =>
        Assert.Equal(expected, AdvertisedAddressLimit.MaxAddresses(version, AddressFamily.InterNetwork, mtu));

    [Theory]
    [InlineData(1500, 89)]         // (1500 - 14 - 40 - 8) / 16: IPv6 is bounded by space long before 255
    [InlineData(9000, 255)]
    public void Ipv6_limit_is_bounded_by_packet_space(int mtu, int expected) =>
        Assert.Equal(expected, AdvertisedAddressLimit.MaxAddresses(3, AddressFamily.InterNetworkV6, mtu));

    [Fact]
    public void Thousand_addresses_advertise_the_first_255_and_exclude_the_rest_in_order()
    {
        var result = KeepalivedConfigLoader.Parse(Config(1000), "big.conf");

        VrrpInstance instance = Assert.Single(result.Config!.VrrpInstances);
        Assert.Equal(255, instance.VirtualIpAddresses.Count);
        Assert.Equal(745, instance.VirtualIpAddressesExcluded.Count);
        Assert.Equal(IPAddress.Parse("10.52.0.1"), instance.VirtualIpAddresses[0].Address);
        Assert.Equal(IPAddress.Parse("10.52.1.5"), instance.VirtualIpAddresses[254].Address);
        Assert.Equal(IPAddress.Parse("10.52.1.6"), instance.VirtualIpAddressesExcluded[0].Address);
        Assert.Equal(IPAddress.Parse("10.52.3.250"), instance.VirtualIpAddressesExcluded[744].Address);

        ConfigDiagnostic warning = Assert.Single(result.Diagnostics);
        Assert.Equal(ConfigSeverity.Warning, warning.Severity);
        Assert.Equal("(BIG) Number of VIPs (1000) exceeds maximum/space available in packet (max 255 addresses) - excess moved to eVIPs",
            warning.Message);
        Assert.Equal("big.conf", warning.File);
        Assert.Equal(8 + 255, warning.Line);                      // the 256th address, the first one moved
        Assert.Equal(ConfigTest.ExitConfigTestFailed, ConfigTest.GetExitCode(result)); // keepalived -t exits 5 too
    }

    [Fact]
    public void Excess_is_appended_after_the_configured_excluded_addresses()
    {
        var result = KeepalivedConfigLoader.Parse(
            Config(300, excluded: "virtual_ipaddress_excluded {\n        10.53.0.1\n    }"), "big.conf");

        VrrpInstance instance = result.Config!.VrrpInstances[0];
        Assert.Equal(255, instance.VirtualIpAddresses.Count);
        Assert.Equal(46, instance.VirtualIpAddressesExcluded.Count);
        Assert.Equal(IPAddress.Parse("10.53.0.1"), instance.VirtualIpAddressesExcluded[0].Address);
        Assert.Equal(IPAddress.Parse("10.52.1.6"), instance.VirtualIpAddressesExcluded[1].Address);
    }

    [Fact]
    public void The_interface_mtu_from_the_host_bounds_the_list()
    {
        var options = new ConfigLoadOptions { InterfaceMtu = name => name == "eth0" ? 576 : null };
        var result = KeepalivedConfigLoader.Parse(Config(200), "mid.conf", options);

        Assert.Equal(131, result.Config!.VrrpInstances[0].VirtualIpAddresses.Count);
        Assert.Equal(69, result.Config.VrrpInstances[0].VirtualIpAddressesExcluded.Count);
        Assert.Contains("(max 131 addresses)", Assert.Single(result.Diagnostics).Message);
    }

    [Fact]
    public void Exactly_255_addresses_fit_without_a_word()
    {
        var result = KeepalivedConfigLoader.Parse(Config(255), "ok.conf");

        Assert.Empty(result.Diagnostics);
        Assert.Equal(255, result.Config!.VrrpInstances[0].VirtualIpAddresses.Count);
        Assert.Empty(result.Config.VrrpInstances[0].VirtualIpAddressesExcluded);
    }
}
