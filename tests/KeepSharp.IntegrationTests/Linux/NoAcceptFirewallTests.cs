using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using KeepSharp.Linux;
using KeepSharp.Linux.Firewall;

namespace KeepSharp.IntegrationTests.Linux;

public sealed class NoAcceptFirewallTests
{
    private static readonly IPAddress Vip4 = IPAddress.Parse("10.77.0.100");
    private static readonly IPAddress Vip6 = IPAddress.Parse("2001:db8:77::100");
    private static readonly IPAddress LinkLocalVip = IPAddress.Parse("fe80::100");

    private static string Nft(string ns, params string[] arguments) => Shell.Run("ip", ["netns", "exec", ns, "nft", .. arguments]);

    /// <summary>One UDP datagram from <paramref name="fromNs"/> to <paramref name="vip"/>: does a socket bound to the VIP in <paramref name="toNs"/> get it?</summary>
    private static bool UdpReaches(string fromNs, string toNs, IPAddress vip)
    {
        using Socket receiver = NetworkNamespace.Run(toNs, () =>
        {
            var s = new Socket(vip.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(vip, 0));
            return s;
        });
        var target = (IPEndPoint)receiver.LocalEndPoint!;
        using Socket sender = NetworkNamespace.Run(fromNs, () => new Socket(vip.AddressFamily, SocketType.Dgram, ProtocolType.Udp));
        for (int attempt = 0; attempt < 3; attempt++)
        {
            // The first datagrams may wait for ARP/ND; a few tries keep a slow resolution from reading as "dropped".
            sender.SendTo("vrrp"u8, target);
            if (receiver.Poll(TimeSpan.FromMilliseconds(700), SelectMode.SelectRead))
            {
                return true;
            }
        }

        return false;
    }

    private static long DropCounter(string ns, string match)
    {
        Match m = Regex.Match(Nft(ns, "list", "chain", "inet", "kstest", "in"), Regex.Escape(match) + @" counter packets (\d+)");
        Assert.True(m.Success, "no counter for " + match);
        return long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void NoAccept_DropsTrafficToVips_WhileListed_TableGoneAfterRemove()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out string b);
        Shell.Ip(a, "-6", "addr", "add", "2001:db8:77::1/64", "dev", "va", "nodad");
        Shell.Ip(b, "-6", "addr", "add", "2001:db8:77::2/64", "dev", "vb", "nodad");
        int va = NetnsFixture.IfIndex(a, "va");
        using (RtNetlink rt = NetworkNamespace.Run(a, RtNetlink.Open))
        {
            Assert.Equal(0, rt.AddAddress(va, Vip4, 32));
            Assert.Equal(0, rt.AddAddress(va, Vip6, 128, noDad: true));
        }

        Assert.True(UdpReaches(b, a, Vip4));
        Assert.True(UdpReaches(b, a, Vip6));

        var firewall = new NoAcceptFirewall("kstest");
        NftResult added = NetworkNamespace.Run(a, () => firewall.AddAddresses([Vip4, Vip6]));
        Assert.True(added.Succeeded, added.ToString());
        Assert.True(firewall.IsInstalled);
        NftResult llAdded = NetworkNamespace.Run(a, () => firewall.AddAddresses([LinkLocalVip], "va"));
        Assert.True(llAdded.Succeeded, llAdded.ToString());

        string table = Nft(a, "list", "table", "inet", "kstest");
        Assert.Matches(@"set vips4 \{\s*type ipv4_addr\s*elements = \{ 10\.77\.0\.100 \}", table);
        Assert.Matches(@"set vips6 \{\s*type ipv6_addr\s*elements = \{ 2001:db8:77::100 \}", table);
        Assert.Contains("fe80::100 . \"va\"", table);
        Assert.Contains("type filter hook input priority filter - 1; policy accept;", table);
        Assert.Contains("icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept", table);

        // Adding again (and installing again) is harmless; the elements survive a re-install.
        Assert.True(NetworkNamespace.Run(a, () => firewall.AddAddresses([Vip4])).Succeeded);
        NftResult reinstalled = NetworkNamespace.Run(a, firewall.Install);
        Assert.True(reinstalled.Succeeded, reinstalled.ToString());
        Assert.Contains("10.77.0.100", Nft(a, "list", "set", "inet", "kstest", "vips4"));

        Assert.False(UdpReaches(b, a, Vip4));
        Assert.False(UdpReaches(b, a, Vip6));
        Assert.True(DropCounter(a, "ip daddr @vips4") > 0);
        Assert.True(DropCounter(a, "ip6 daddr @vips6") > 0);

        // Traffic to the interface's own address is untouched.
        Assert.True(UdpReaches(b, a, IPAddress.Parse("10.77.0.1")));

        NftResult removed = NetworkNamespace.Run(a, () => firewall.RemoveAddresses([Vip4, Vip6]));
        Assert.True(removed.Succeeded, removed.ToString());
        Assert.True(NetworkNamespace.Run(a, () => firewall.RemoveAddresses([Vip4])).Succeeded); // absent: fine
        Assert.DoesNotContain("10.77.0.100", Nft(a, "list", "set", "inet", "kstest", "vips4"));
        Assert.True(UdpReaches(b, a, Vip4));
        Assert.True(UdpReaches(b, a, Vip6));

        NftResult gone = NetworkNamespace.Run(a, firewall.Remove);
        Assert.True(gone.Succeeded, gone.ToString());
        Assert.False(firewall.IsInstalled);
        Assert.DoesNotContain("kstest", Nft(a, "list", "tables"));
        Assert.True(NetworkNamespace.Run(a, firewall.Remove).Succeeded); // absent: fine
    }

    [Fact]
    public void NoAccept_ReportsNftFailures_AsResults()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out _);
        var firewall = new NoAcceptFirewall("kstest");
        Assert.True(NetworkNamespace.Run(a, firewall.Install).Succeeded);

        // The table vanished behind our back: the add fails with nft's exit status and message.
        Nft(a, "delete", "table", "inet", "kstest");
        NftResult failed = NetworkNamespace.Run(a, () => firewall.AddAddresses([Vip4]));
        Assert.False(failed.Succeeded);
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("No such file or directory", failed.Error);

        // Install recreates it with the addresses asked for so far.
        Assert.True(NetworkNamespace.Run(a, firewall.Install).Succeeded);
        Assert.Contains("10.77.0.100", Nft(a, "list", "set", "inet", "kstest", "vips4"));
        Assert.True(NetworkNamespace.Run(a, firewall.Remove).Succeeded);

        var missing = new NoAcceptFirewall("kstest", nftPath: "/nonexistent/nft");
        NftResult notStarted = missing.Remove();
        Assert.Equal(-1, notStarted.ExitCode);
        Assert.Contains("/nonexistent/nft", notStarted.Error);

        Assert.Throws<ArgumentException>(() => new NoAcceptFirewall("bad table"));
        Assert.Throws<ArgumentException>(() => firewall.AddAddresses([LinkLocalVip]));
    }
}
