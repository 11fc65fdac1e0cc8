using System.Net;
using System.Text.RegularExpressions;
using KeepSharp.Linux;

namespace KeepSharp.IntegrationTests.Linux;

public sealed partial class RtNetlinkTests
{
    private static readonly IPAddress Vip = IPAddress.Parse("10.77.0.100");

    [Fact]
    public void AddAddress_WithLabelAndPrefix_VisibleInIp_DuplicateIsEexist_DeleteRemoves()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out _);
        int ifIndex = NetnsFixture.IfIndex(a, "va");
        using RtNetlink rt = NetworkNamespace.Run(a, RtNetlink.Open);

        Assert.Equal(0, rt.AddAddress(ifIndex, Vip, 24, label: "va:vip", broadcast: IPAddress.Parse("10.77.0.255")));

        string line = Shell.Ip(a, "-o", "-4", "addr", "show", "dev", "va")
            .Split('\n').Single(l => l.Contains("inet 10.77.0.100/", StringComparison.Ordinal));
        Assert.Contains("inet 10.77.0.100/24 ", line);
        Assert.Contains(" brd 10.77.0.255 ", line);
        Assert.Matches(@"scope global secondary va:vip\\", line);

        Assert.Equal(-Errno.EEXIST, rt.AddAddress(ifIndex, Vip, 24, label: "va:vip"));

        // A /32 host address without label (keepalived's default VIP form), link scope.
        IPAddress host = IPAddress.Parse("192.0.2.7");
        Assert.Equal(0, rt.AddAddress(ifIndex, host, 32, scope: 253));
        Assert.Matches(@"inet 192\.0\.2\.7/32 scope link va\\", Shell.Ip(a, "-o", "-4", "addr", "show", "dev", "va"));

        Assert.Equal(0, rt.DeleteAddress(ifIndex, Vip, 24));
        Assert.Equal(0, rt.DeleteAddress(ifIndex, host, 32));
        Assert.DoesNotContain("10.77.0.100", Shell.Ip(a, "-o", "addr", "show"));
        Assert.DoesNotContain("192.0.2.7", Shell.Ip(a, "-o", "addr", "show"));
        Assert.Equal(-Errno.EADDRNOTAVAIL, rt.DeleteAddress(ifIndex, Vip, 24));
        Assert.Equal(-Errno.ENODEV, rt.AddAddress(4242, Vip, 24));
    }

    [Fact]
    public void GetAddresses_AgreesWithIpAddr()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out _);
        Shell.Ip(a, "addr", "add", "10.77.0.100/24", "dev", "va", "label", "va:1");
        Shell.Ip(a, "addr", "add", "10.77.5.9/16", "dev", "va");
        int ifIndex = NetnsFixture.IfIndex(a, "va");
        using RtNetlink rt = NetworkNamespace.Run(a, RtNetlink.Open);

        IReadOnlyList<InterfaceAddress> all = rt.GetAddresses();
        IReadOnlyList<InterfaceAddress> onVa = rt.GetAddresses(ifIndex);
        Assert.All(onVa, x => Assert.Equal(ifIndex, x.InterfaceIndex));
        Assert.Contains(all, x => x.InterfaceIndex == 1 && x.Address.Equals(IPAddress.Loopback) && x.PrefixLength == 8 && x.Label == "lo");

        // Every inet/inet6 line of `ip -o addr show dev va` appears in the netlink dump, and vice versa.
        var expected = new HashSet<string>();
        foreach (Match m in IpAddrLine().Matches(Shell.Ip(a, "-o", "addr", "show", "dev", "va")))
        {
            expected.Add(m.Groups["addr"].Value + "/" + m.Groups["prefix"].Value);
        }

        var actual = onVa.Select(x => x.Address + "/" + x.PrefixLength).ToHashSet();
        Assert.Equal(expected.Order(), actual.Order());
        Assert.Contains("10.77.0.1/24", actual);
        Assert.Contains("10.77.0.100/24", actual);
        Assert.Contains("10.77.5.9/16", actual);

        InterfaceAddress labelled = onVa.Single(x => x.Address.Equals(IPAddress.Parse("10.77.0.100")));
        Assert.Equal("va:1", labelled.Label);
        Assert.True(labelled.IsSecondary);
        Assert.False(onVa.Single(x => x.Address.Equals(IPAddress.Parse("10.77.0.1"))).IsSecondary);
    }

    [Fact]
    public void GetLink_ReturnsMacFlagsAndMtu()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out string b);
        Shell.Ip(a, "link", "set", "va", "mtu", "1400");
        using RtNetlink rt = NetworkNamespace.Run(a, RtNetlink.Open);

        LinkInfo? link = rt.GetLink("va");
        Assert.NotNull(link);
        Assert.Equal("va", link.Name);
        Assert.Equal(NetnsFixture.IfIndex(a, "va"), link.InterfaceIndex);
        Assert.Equal(1400, link.Mtu);
        Assert.Equal(IpLinkMac(a, "va"), Convert.ToHexString(link.MacAddress));
        Assert.True(link.IsUp);
        Assert.True(link.IsRunning);
        Assert.True(link.HasCarrier);
        Assert.Equal(link.MacAddress, rt.GetLink(link.InterfaceIndex)!.MacAddress);

        Shell.Ip(b, "link", "set", "vb", "down");
        LinkInfo? noCarrier = WaitFor(() => rt.GetLink("va"), l => l is { IsRunning: false });
        Assert.True(noCarrier!.IsUp);
        Assert.False(noCarrier.HasCarrier);

        Shell.Ip(a, "link", "set", "va", "down");
        Assert.False(rt.GetLink("va")!.IsUp);

        Assert.Null(rt.GetLink("nope0"));
        Assert.Null(rt.GetLink(4242));
    }

    internal static string IpLinkMac(string ns, string name)
    {
        Match m = Regex.Match(Shell.Ip(ns, "link", "show", "dev", name), @"link/ether ([0-9a-f:]{17})");
        Assert.True(m.Success);
        return m.Groups[1].Value.Replace(":", "", StringComparison.Ordinal).ToUpperInvariant();
    }

    internal static T WaitFor<T>(Func<T> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        T value = read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
            value = read();
        }

        Assert.True(done(value), "condition not reached within 5 s");
        return value;
    }

    [GeneratedRegex(@"inet6? (?<addr>[0-9a-f.:]+)/(?<prefix>\d+)")]
    private static partial Regex IpAddrLine();
}
