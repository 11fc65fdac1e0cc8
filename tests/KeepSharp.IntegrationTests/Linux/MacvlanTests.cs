using System.Net;
using KeepSharp.Linux;

namespace KeepSharp.IntegrationTests.Linux;

public sealed class MacvlanTests
{
    [Fact]
    public void CreateMacvlan_PrivateModeWithVrrpMac_UpWithoutLinkLocal_ReportedByGetLink_Deleted()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out _);
        int va = NetnsFixture.IfIndex(a, "va");
        using RtNetlink rt = NetworkNamespace.Run(a, RtNetlink.Open);
        byte[] mac = RtNetlink.VirtualRouterMac(0x33, ipv6: false);
        Assert.Equal("00005E000133", Convert.ToHexString(mac));
        Assert.Equal("00005E000233", Convert.ToHexString(RtNetlink.VirtualRouterMac(0x33, ipv6: true)));

        Assert.Equal(0, rt.CreateMacvlan("vrrp.51", va, mac));
        Assert.Equal(-Errno.EEXIST, rt.CreateMacvlan("vrrp.51", va, mac));

        LinkInfo? link = rt.GetLink("vrrp.51");
        Assert.NotNull(link);
        Assert.False(link.IsUp);
        Assert.Equal("macvlan", link.Kind);
        Assert.Equal(MacvlanMode.Private, link.MacvlanMode);
        Assert.Equal(va, link.ParentIndex);
        Assert.Equal(mac, link.MacAddress);
        Assert.Equal("veth", rt.GetLink(va)!.Kind);
        Assert.Null(rt.GetLink(va)!.MacvlanMode);

        Assert.Equal(0, rt.SetIpv6AddressGenerationNone(link.InterfaceIndex));
        Assert.Equal(0, rt.SetLinkUp(link.InterfaceIndex));
        Assert.True(rt.GetLink(link.InterfaceIndex)!.IsUp);

        string details = Shell.Ip(a, "-d", "link", "show", "dev", "vrrp.51");
        Assert.Matches(@"vrrp\.51@va: <[^>]*\bUP\b", details);
        Assert.Contains("link/ether 00:00:5e:00:01:33 ", details);
        Assert.Matches(@"macvlan mode private\b", details);
        Assert.Contains("addrgenmode none", details);

        // RFC 5798 §7.4: no EUI-64 link-local address on the VMAC.
        Thread.Sleep(200);
        Assert.DoesNotContain("inet6", Shell.Ip(a, "-6", "addr", "show", "dev", "vrrp.51"));

        Assert.Equal(0, rt.SetLinkDown(link.InterfaceIndex));
        Assert.False(rt.GetLink(link.InterfaceIndex)!.IsUp);

        Assert.Equal(0, rt.DeleteLink(link.InterfaceIndex));
        Assert.Null(rt.GetLink("vrrp.51"));
        Assert.NotEqual(0, Shell.TryRun("ip", "-n", a, "link", "show", "dev", "vrrp.51").ExitCode);
        Assert.Equal(-Errno.ENODEV, rt.DeleteLink(link.InterfaceIndex));
        Assert.Equal(-Errno.ENODEV, rt.CreateMacvlan("vrrp.52", 4242, mac));
        Assert.Throws<ArgumentException>(() => rt.CreateMacvlan("a-name-too-long-for-linux", va, mac));
    }

    [Fact]
    public void AddAddress_Ipv6WithNoDad_IsNotTentative_WithoutIsTentative()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out _);
        int va = NetnsFixture.IfIndex(a, "va");
        using RtNetlink rt = NetworkNamespace.Run(a, RtNetlink.Open);

        Assert.Equal(0, rt.AddAddress(va, IPAddress.Parse("2001:db8:77::100"), 64, noDad: true));
        Assert.Equal(0, rt.AddAddress(va, IPAddress.Parse("2001:db8:77::101"), 64));
        string addresses = Shell.Ip(a, "-6", "-o", "addr", "show", "dev", "va");

        string noDad = addresses.Split('\n').Single(l => l.Contains("2001:db8:77::100/64", StringComparison.Ordinal));
        Assert.DoesNotContain("tentative", noDad);
        Assert.Contains("nodad", noDad);
        string withDad = addresses.Split('\n').Single(l => l.Contains("2001:db8:77::101/64", StringComparison.Ordinal));
        Assert.Contains("tentative", withDad);

        InterfaceAddress reported = rt.GetAddresses(va).Single(x => x.Address.Equals(IPAddress.Parse("2001:db8:77::100")));
        Assert.NotEqual(0u, reported.Flags & 0x02); // IFA_F_NODAD
        Assert.Equal(0, rt.DeleteAddress(va, IPAddress.Parse("2001:db8:77::100"), 64));
        Assert.Equal(0, rt.DeleteAddress(va, IPAddress.Parse("2001:db8:77::101"), 64));
    }
}

public sealed class MacvlanVirtualMacInterfaceTests
{
    [Fact]
    public void Create_Ipv4Instance_KeepalivedSequence_Delete_RestoresParent()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out _);
        int va = NetnsFixture.IfIndex(a, "va");
        using RtNetlink rt = NetworkNamespace.Run(a, RtNetlink.Open);
        var sysctls = new VmacSysctls();

        int ifIndex = 0;
        int rc = NetworkNamespace.Run(a, () => VirtualMacInterface.Create(rt, sysctls, "vrrp.7", va, "va", 7, ipv6Instance: false, ipv6Wanted: false, mac: null, out ifIndex));
        Assert.Equal(0, rc);
        LinkInfo link = rt.GetLink(ifIndex)!;
        Assert.Equal("vrrp.7", link.Name);
        Assert.True(link.IsUp);
        Assert.Equal("00005E000107", Convert.ToHexString(link.MacAddress));
        Assert.Equal(MacvlanMode.Private, link.MacvlanMode);
        string cat(string key) => Shell.Run("ip", "netns", "exec", a, "cat", "/proc/sys/net/" + key).Trim();
        Assert.Equal("1", cat("ipv4/conf/vrrp.7/arp_ignore"));
        Assert.Equal("1", cat("ipv6/conf/vrrp.7/disable_ipv6"));
        Assert.Equal("1", cat("ipv4/conf/va/arp_filter"));

        // Same name again: the create fails cleanly and the existing VMAC is left alone.
        Assert.Equal(-Errno.EEXIST, NetworkNamespace.Run(a, () => VirtualMacInterface.Create(rt, sysctls, "vrrp.7", va, "va", 7, false, false, null, out _)));
        Assert.NotNull(rt.GetLink("vrrp.7"));

        Assert.Equal(0, NetworkNamespace.Run(a, () => VirtualMacInterface.Delete(rt, sysctls, ifIndex, "va", ipv6Instance: false)));
        Assert.Null(rt.GetLink("vrrp.7"));
        Assert.Equal("0", cat("ipv4/conf/va/arp_filter"));
        Assert.Equal("0", cat("ipv4/conf/va/arp_ignore"));
    }

    [Fact]
    public void Create_Ipv6Instance_UsesIpv6VrrpMac_NoAutomaticLinkLocal()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out _);
        int va = NetnsFixture.IfIndex(a, "va");
        using RtNetlink rt = NetworkNamespace.Run(a, RtNetlink.Open);
        var sysctls = new VmacSysctls();

        int ifIndex = 0;
        Assert.Equal(0, NetworkNamespace.Run(a, () => VirtualMacInterface.Create(rt, sysctls, "vrrp6.9", va, "va", 9, ipv6Instance: true, ipv6Wanted: true, mac: null, out ifIndex)));
        Assert.Equal("00005E000209", Convert.ToHexString(rt.GetLink(ifIndex)!.MacAddress));
        Thread.Sleep(200);
        Assert.DoesNotContain("inet6", Shell.Ip(a, "-6", "addr", "show", "dev", "vrrp6.9"));
        Assert.Equal(0, rt.AddAddress(ifIndex, System.Net.IPAddress.Parse("fe80::9"), 64, noDad: true));
        Assert.Contains("inet6 fe80::9/64 scope link", Shell.Ip(a, "-6", "addr", "show", "dev", "vrrp6.9"));
        Assert.Equal(0, NetworkNamespace.Run(a, () => VirtualMacInterface.Delete(rt, sysctls, ifIndex, "va", ipv6Instance: true)));
        Assert.Null(rt.GetLink(ifIndex));
    }
}
