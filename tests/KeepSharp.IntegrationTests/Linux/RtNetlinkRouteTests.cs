using System.Net;
using System.Net.Sockets;
using KeepSharp.Linux;

namespace KeepSharp.IntegrationTests.Linux;

public sealed class RtNetlinkRouteTests
{
    private static IPAddress Ip(string s) => IPAddress.Parse(s);

    [Fact]
    public void Ipv4Routes_MainAndNumberedTables_ViaMetricBlackholeOnlink_AddDelete()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out _);
        int va = NetnsFixture.IfIndex(a, "va");
        using RtNetlink rt = NetworkNamespace.Run(a, RtNetlink.Open);

        var viaGateway = new RouteRequest
        {
            Family = AddressFamily.InterNetwork,
            Destination = Ip("10.88.0.0"),
            DestinationPrefix = 16,
            Gateway = Ip("10.77.0.2"),
            OutputInterfaceIndex = va,
            Metric = 50,
        };
        Assert.Equal(0, rt.AddRoute(viaGateway));
        Assert.Matches(@"10\.88\.0\.0/16 via 10\.77\.0\.2 dev va proto keepalived metric 50", Shell.Ip(a, "-4", "route", "show"));
        Assert.Equal(-Errno.EEXIST, rt.AddRoute(viaGateway));

        // Numbered table < 256 (rtm_table), a device route with a preferred source.
        var deviceRoute = new RouteRequest
        {
            Family = AddressFamily.InterNetwork,
            Destination = Ip("10.89.0.0"),
            DestinationPrefix = 24,
            OutputInterfaceIndex = va,
            PreferredSource = Ip("10.77.0.1"),
            Scope = RouteScope.Link,
            Table = 100,
        };
        Assert.Equal(0, rt.AddRoute(deviceRoute));
        Assert.Matches(@"10\.89\.0\.0/24 dev va proto keepalived scope link src 10\.77\.0\.1", Shell.Ip(a, "-4", "route", "show", "table", "100"));
        Assert.DoesNotContain("10.89.0.0", Shell.Ip(a, "-4", "route", "show"));

        // Default route in table 100.
        var defaultRoute = new RouteRequest { Family = AddressFamily.InterNetwork, Gateway = Ip("10.77.0.2"), Table = 100 };
        Assert.Equal(0, rt.AddRoute(defaultRoute));
        Assert.Matches(@"default via 10\.77\.0\.2 dev va proto keepalived", Shell.Ip(a, "-4", "route", "show", "table", "100"));

        // Table > 255 (RTA_TABLE), blackhole with metric, unreachable and prohibit types.
        var blackhole = new RouteRequest
        {
            Family = AddressFamily.InterNetwork,
            Destination = Ip("10.90.0.0"),
            DestinationPrefix = 24,
            Type = RouteType.Blackhole,
            Table = 1000,
            Metric = 7,
        };
        var unreachable = blackhole with { Destination = Ip("10.91.0.0"), Type = RouteType.Unreachable, Metric = null };
        var prohibit = blackhole with { Destination = Ip("10.92.0.0"), Type = RouteType.Prohibit, Metric = null, Protocol = RouteProtocol.Static };
        Assert.Equal(0, rt.AddRoute(blackhole));
        Assert.Equal(0, rt.AddRoute(unreachable));
        Assert.Equal(0, rt.AddRoute(prohibit));
        string t1000 = Shell.Ip(a, "-4", "route", "show", "table", "1000");
        Assert.Matches(@"blackhole 10\.90\.0\.0/24 proto keepalived metric 7", t1000);
        Assert.Matches(@"unreachable 10\.91\.0\.0/24 proto keepalived", t1000);
        Assert.Matches(@"prohibit 10\.92\.0\.0/24 proto static", t1000);

        // A gateway outside every connected prefix needs onlink.
        var offLink = new RouteRequest
        {
            Family = AddressFamily.InterNetwork,
            Destination = Ip("10.93.0.0"),
            DestinationPrefix = 24,
            Gateway = Ip("192.0.2.1"),
            OutputInterfaceIndex = va,
        };
        Assert.True(rt.AddRoute(offLink) < 0);
        Assert.False(string.IsNullOrEmpty(rt.LastErrorMessage)); // the kernel's extended-ack text
        Assert.Equal(0, rt.AddRoute(offLink with { OnLink = true }));
        Assert.Null(rt.LastErrorMessage);
        Assert.Matches(@"10\.93\.0\.0/24 via 192\.0\.2\.1 dev va proto keepalived onlink", Shell.Ip(a, "-4", "route", "show"));

        foreach (RouteRequest r in new[] { viaGateway, deviceRoute, defaultRoute, blackhole, unreachable, prohibit, offLink with { OnLink = true } })
        {
            Assert.Equal(0, rt.DeleteRoute(r));
        }

        Assert.DoesNotContain("proto keepalived", Shell.Ip(a, "-4", "route", "show"));
        Assert.Equal(string.Empty, Shell.Ip(a, "-4", "route", "show", "table", "100").Trim());
        Assert.Equal(string.Empty, Shell.Ip(a, "-4", "route", "show", "table", "1000").Trim());
        Assert.Equal(-Errno.ESRCH, rt.DeleteRoute(viaGateway));
        Assert.Equal(-Errno.ESRCH, rt.DeleteRoute(blackhole));
    }

    [Fact]
    public void Ipv6Routes_ViaMetricAndBlackholeInTable_AddDelete()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out _);
        Shell.Ip(a, "-6", "addr", "add", "2001:db8:77::1/64", "dev", "va", "nodad");
        int va = NetnsFixture.IfIndex(a, "va");
        using RtNetlink rt = NetworkNamespace.Run(a, RtNetlink.Open);

        var via = new RouteRequest
        {
            Family = AddressFamily.InterNetworkV6,
            Destination = Ip("2001:db8:88::"),
            DestinationPrefix = 48,
            Gateway = Ip("2001:db8:77::2"),
            OutputInterfaceIndex = va,
            Metric = 300,
        };
        Assert.Equal(0, rt.AddRoute(via));
        Assert.Matches(@"2001:db8:88::/48 via 2001:db8:77::2 dev va proto keepalived metric 300", Shell.Ip(a, "-6", "route", "show"));
        Assert.Equal(-Errno.EEXIST, rt.AddRoute(via));

        var blackhole = new RouteRequest
        {
            Family = AddressFamily.InterNetworkV6,
            Destination = Ip("2001:db8:99::"),
            DestinationPrefix = 64,
            Type = RouteType.Blackhole,
            Table = 200,
        };
        var bigTable = via with { Destination = Ip("2001:db8:aa::"), Table = 70000, Metric = null };
        Assert.Equal(0, rt.AddRoute(blackhole));
        Assert.Equal(0, rt.AddRoute(bigTable));
        Assert.Matches(@"blackhole 2001:db8:99::/64 dev lo proto keepalived metric 1024", Shell.Ip(a, "-6", "route", "show", "table", "200"));
        Assert.Matches(@"2001:db8:aa::/48 via 2001:db8:77::2 dev va proto keepalived metric 1024", Shell.Ip(a, "-6", "route", "show", "table", "70000"));

        Assert.Equal(0, rt.DeleteRoute(via));
        Assert.Equal(0, rt.DeleteRoute(blackhole));
        Assert.Equal(0, rt.DeleteRoute(bigTable));
        Assert.DoesNotContain("2001:db8:88::", Shell.Ip(a, "-6", "route", "show"));
        Assert.Equal(string.Empty, Shell.Ip(a, "-6", "route", "show", "table", "200").Trim());
        Assert.Equal(-Errno.ESRCH, rt.DeleteRoute(via));
    }

    [Fact]
    public void RouteRuleAndNoDadAddress_AddDelete_DoNotAllocate()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out _);
        int va = NetnsFixture.IfIndex(a, "va");
        using RtNetlink rt = NetworkNamespace.Run(a, RtNetlink.Open);
        var route = new RouteRequest
        {
            Family = AddressFamily.InterNetwork,
            Destination = Ip("10.88.0.0"),
            DestinationPrefix = 16,
            Gateway = Ip("10.77.0.2"),
            Table = 1000,
            Metric = 5,
        };
        var rule = new RuleRequest { Family = AddressFamily.InterNetwork, From = Ip("10.77.0.0"), FromPrefix = 24, Table = 1000, Priority = 900 };
        IPAddress vip = Ip("2001:db8:77::100");

        // Assert.Equal allocates (comparers); a plain check keeps the measurement on the code under test.
        void Round()
        {
            Assert.True(rt.AddRoute(route) == 0);
            Assert.True(rt.AddRule(rule) == 0);
            Assert.True(rt.AddAddress(va, vip, 128, noDad: true) == 0);
            Assert.True(rt.DeleteAddress(va, vip, 128) == 0);
            Assert.True(rt.DeleteRule(rule) == 0);
            Assert.True(rt.DeleteRoute(route) == 0);
        }

        for (int i = 0; i < 20; i++)
        {
            Round();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++)
        {
            Round();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void RouteRequest_FamilyMismatch_Throws()
    {
        using RtNetlink rt = RtNetlink.Open();
        Assert.Throws<ArgumentException>(() => rt.AddRoute(new RouteRequest { Family = AddressFamily.InterNetwork, Destination = Ip("2001:db8::"), DestinationPrefix = 32 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => rt.AddRoute(new RouteRequest { Family = AddressFamily.InterNetwork, Destination = Ip("10.0.0.0"), DestinationPrefix = 33 }));
    }
}
