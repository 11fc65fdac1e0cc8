using KeepSharp.Linux;

namespace KeepSharp.IntegrationTests.Linux;

public sealed class SysctlTests
{
    /// <summary>Reads a sysctl from outside (a new process in the namespace), not through the code under test.</summary>
    private static string Get(string ns, string key) => Shell.Run("ip", "netns", "exec", ns, "cat", "/proc/sys/net/" + key).Trim();

    private static void Set(string ns, string key, string value) => Shell.Run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", key.Replace('/', '.') + "=" + value);

    [Fact]
    public void ReadWrite_ReturnErrno()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out _);
        NetworkNamespace.Run(a, () =>
        {
            Assert.Equal(0, Sysctl.SetIpv4("va", "arp_ignore", 2));
            Assert.Equal(0, Sysctl.GetIpv4("va", "arp_ignore", out int value));
            Assert.Equal(2, value);
            Assert.Equal(0, Sysctl.SetIpv6("va", "disable_ipv6", 1));
            Assert.Equal(-Errno.ENOENT, Sysctl.GetIpv4("nope0", "arp_ignore", out _));
            Assert.Equal(-Errno.ENOENT, Sysctl.SetIpv4("va", "no_such_key", 1));
            Assert.Equal(-Errno.EINVAL, Sysctl.Write(Sysctl.Ipv4ConfPath("va", "arp_ignore"), "abc"));
            Assert.Equal(0, Sysctl.Read(Sysctl.Ipv4ConfPath("va", "arp_ignore"), out string text));
            Assert.Equal("2", text);
            Assert.Contains("va", Sysctl.Ipv4ConfInterfaces());
            Assert.DoesNotContain("all", Sysctl.Ipv4ConfInterfaces());
            return 0;
        });
        Assert.Throws<ArgumentException>(() => Sysctl.Ipv4ConfPath("../x", "rp_filter"));
        Assert.Equal("2", Get(a, "ipv4/conf/va/arp_ignore"));
        Assert.Equal("1", Get(a, "ipv6/conf/va/disable_ipv6"));
    }

    [Fact]
    public void VmacSysctls_AppliedOnVmacAndParent_RestoredByLastRelease_RpFilterRestored()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out _);
        int va = NetnsFixture.IfIndex(a, "va");
        Set(a, "net/ipv4/conf/all/rp_filter", "2");
        Set(a, "net/ipv4/conf/default/rp_filter", "0");
        Set(a, "net/ipv4/conf/va/rp_filter", "1");
        Set(a, "net/ipv4/conf/va/arp_ignore", "0");
        Set(a, "net/ipv4/conf/va/arp_filter", "0");
        using RtNetlink rt = NetworkNamespace.Run(a, RtNetlink.Open);
        Assert.Equal(0, rt.CreateMacvlan("vrrp.1", va, RtNetlink.VirtualRouterMac(1, false)));
        Assert.Equal(0, rt.CreateMacvlan("vrrp.2", va, RtNetlink.VirtualRouterMac(2, false)));

        var sysctls = new VmacSysctls();
        Assert.Equal(0, NetworkNamespace.Run(a, () => sysctls.Apply("vrrp.1", "va")));
        Assert.Equal(0, NetworkNamespace.Run(a, () => VmacSysctls.SetIpv6("vrrp.1", enable: false)));

        foreach ((string key, string expected) in new[] { ("arp_ignore", "1"), ("accept_local", "1"), ("rp_filter", "0"), ("promote_secondaries", "1") })
        {
            Assert.Equal((key, expected), (key, Get(a, "ipv4/conf/vrrp.1/" + key)));
        }

        Assert.Equal("1", Get(a, "ipv6/conf/vrrp.1/disable_ipv6"));
        Assert.Equal("1", Get(a, "ipv4/conf/va/arp_ignore"));
        Assert.Equal("1", Get(a, "ipv4/conf/va/arp_filter"));

        // clear_rp_filter: all -> 0, default and every interface raised to at least the old all value.
        Assert.Equal("0", Get(a, "ipv4/conf/all/rp_filter"));
        Assert.Equal("2", Get(a, "ipv4/conf/default/rp_filter"));
        Assert.Equal("2", Get(a, "ipv4/conf/va/rp_filter"));
        Assert.Equal("2", Get(a, "ipv4/conf/lo/rp_filter"));

        // A second VMAC on the same parent: the parent keeps its values until the last release.
        Assert.Equal(0, NetworkNamespace.Run(a, () => sysctls.Apply("vrrp.2", "va")));
        Assert.Equal("0", Get(a, "ipv4/conf/vrrp.2/rp_filter"));
        Assert.Equal(2, sysctls.ParentReferences("va"));
        Assert.Equal(0, NetworkNamespace.Run(a, () => sysctls.Release("va")));
        Assert.Equal("1", Get(a, "ipv4/conf/va/arp_ignore"));
        Assert.Equal(0, NetworkNamespace.Run(a, () => sysctls.Release("va")));
        Assert.Equal("0", Get(a, "ipv4/conf/va/arp_ignore"));
        Assert.Equal("0", Get(a, "ipv4/conf/va/arp_filter"));
        Assert.Equal(0, sysctls.ParentReferences("va"));
        Assert.Equal(0, NetworkNamespace.Run(a, () => sysctls.Release("va")));

        Assert.Equal(0, rt.DeleteLink(rt.GetLink("vrrp.1")!.InterfaceIndex));
        Assert.Equal(0, rt.DeleteLink(rt.GetLink("vrrp.2")!.InterfaceIndex));
        Assert.Equal(0, NetworkNamespace.Run(a, sysctls.RestoreRpFilter));
        Assert.Equal("2", Get(a, "ipv4/conf/all/rp_filter"));
        Assert.Equal("0", Get(a, "ipv4/conf/default/rp_filter"));
        Assert.Equal("1", Get(a, "ipv4/conf/va/rp_filter"));
        Assert.Equal("0", Get(a, "ipv4/conf/lo/rp_filter"));
    }
}
