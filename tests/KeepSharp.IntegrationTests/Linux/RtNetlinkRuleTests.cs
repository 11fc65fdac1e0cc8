using System.Net;
using System.Net.Sockets;
using KeepSharp.Linux;

namespace KeepSharp.IntegrationTests.Linux;

public sealed class RtNetlinkRuleTests
{
    private static IPAddress Ip(string s) => IPAddress.Parse(s);

    [Fact]
    public void Ipv4Rules_LookupFwmarkIifOifGotoActions_AddDelete()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out _);
        using RtNetlink rt = NetworkNamespace.Run(a, RtNetlink.Open);

        var lookup = new RuleRequest { Family = AddressFamily.InterNetwork, From = Ip("10.77.0.0"), FromPrefix = 24, Table = 100, Priority = 1000 };
        var fwmark = new RuleRequest { Family = AddressFamily.InterNetwork, FirewallMark = 0x10, FirewallMask = 0xff, Table = 1000, Priority = 1001 };
        var blackhole = new RuleRequest
        {
            Family = AddressFamily.InterNetwork,
            To = Ip("10.88.0.0"),
            ToPrefix = 16,
            InputInterface = "va",
            Action = RuleAction.Blackhole,
            Priority = 1002,
        };
        var unreachable = new RuleRequest { Family = AddressFamily.InterNetwork, OutputInterface = "va", Action = RuleAction.Unreachable, Priority = 1003, Tos = 0x10 };
        var jump = new RuleRequest { Family = AddressFamily.InterNetwork, From = Ip("10.1.0.0"), FromPrefix = 16, Action = RuleAction.Goto, GotoTarget = 1005, Priority = 1004 /* the kernel refuses backward jumps */ };
        var prohibitNot = new RuleRequest { Family = AddressFamily.InterNetwork, From = Ip("10.2.0.0"), FromPrefix = 16, Action = RuleAction.Prohibit, Invert = true, Priority = 1005 };
        RuleRequest[] all = [lookup, fwmark, blackhole, unreachable, jump, prohibitNot];

        for (int i = 0; i < all.Length; i++)
        {
            Assert.Equal((i, 0), (i, rt.AddRule(all[i])));
        }

        string rules = Shell.Ip(a, "-4", "rule", "show");
        Assert.Matches(@"1000:\s+from 10\.77\.0\.0/24 lookup 100\b", rules);
        Assert.Matches(@"1001:\s+from all fwmark 0x10/0xff lookup 1000\b", rules);
        Assert.Matches(@"1002:\s+from all to 10\.88\.0\.0/16 iif va blackhole", rules);
        Assert.Matches(@"1003:\s+from all tos (0x10|lowdelay) oif va unreachable", rules);
        Assert.Matches(@"1004:\s+from 10\.1\.0\.0/16 goto 1005", rules);
        Assert.Matches(@"1005:\s+not from 10\.2\.0\.0/16 prohibit", rules);
        Assert.Equal(-Errno.EEXIST, rt.AddRule(lookup));

        foreach (RuleRequest r in all)
        {
            Assert.Equal(0, rt.DeleteRule(r));
        }

        rules = Shell.Ip(a, "-4", "rule", "show");
        Assert.DoesNotMatch(@"\b100[0-5]:", rules);
        Assert.Matches(@"32766:\s+from all lookup main", rules);
        Assert.Equal(-Errno.ENOENT, rt.DeleteRule(lookup));
    }

    [Fact]
    public void Ipv6Rules_AddDelete()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out _);
        using RtNetlink rt = NetworkNamespace.Run(a, RtNetlink.Open);

        var from = new RuleRequest { Family = AddressFamily.InterNetworkV6, From = Ip("2001:db8::"), FromPrefix = 32, Table = 200, Priority = 2000 };
        var to = new RuleRequest { Family = AddressFamily.InterNetworkV6, To = Ip("2001:db8:1::"), ToPrefix = 48, Table = 70000, Priority = 2001 };
        Assert.Equal(0, rt.AddRule(from));
        Assert.Equal(0, rt.AddRule(to));
        string rules = Shell.Ip(a, "-6", "rule", "show");
        Assert.Matches(@"2000:\s+from 2001:db8::/32 lookup 200\b", rules);
        Assert.Matches(@"2001:\s+from all to 2001:db8:1::/48 lookup 70000\b", rules);
        Assert.DoesNotContain("2001:db8", Shell.Ip(a, "-4", "rule", "show"));

        Assert.Equal(0, rt.DeleteRule(from));
        Assert.Equal(0, rt.DeleteRule(to));
        Assert.DoesNotContain("2001:db8", Shell.Ip(a, "-6", "rule", "show"));
        Assert.Equal(-Errno.ENOENT, rt.DeleteRule(to));
    }
}
