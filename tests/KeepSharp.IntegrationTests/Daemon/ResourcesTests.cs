using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KeepSharp.Lab;
using KeepSharp.Linux;
using Xunit.Abstractions;
using static KeepSharp.IntegrationTests.Daemon.Injector;

namespace KeepSharp.IntegrationTests.Daemon;

/// <summary>
/// What a master installs with its addresses on the real kernel: virtual_routes and virtual_rules (on the master
/// only, moved on failover, gone at exit) and the no_accept nftables table (traffic to the VIP dropped while a
/// non-owner is master, the host's own address still reachable; no table with accept).
/// </summary>
public sealed class VirtualRoutesTests(ITestOutputHelper output)
{
    private const string Routes = """
        virtual_routes {
                10.77.0.0/16 via 10.51.0.10 table 100
                blackhole 10.78.0.0/16
                fd00:77::/64 dev eth0 table 100
            }
            virtual_rules {
                from 10.51.0.161 table 100 priority 500
            }
        """;

    private static string Table100(LabHost h) => Sh.Try("ip", "-n", h.Netns, "route", "show", "table", "100").StdOut;
    private static string Table100v6(LabHost h) => Sh.Try("ip", "-n", h.Netns, "-6", "route", "show", "table", "100").StdOut;
    private static string MainTable(LabHost h) => Sh.Try("ip", "-n", h.Netns, "route", "show").StdOut;
    private static string Rules(LabHost h) => Sh.Try("ip", "-n", h.Netns, "rule", "show").StdOut;

    private static bool HasAll(LabHost h) =>
        Table100(h).Contains("10.77.0.0/16 via 10.51.0.10", StringComparison.Ordinal)
        && MainTable(h).Contains("blackhole 10.78.0.0/16", StringComparison.Ordinal)
        && Table100v6(h).Contains("fd00:77::/64", StringComparison.Ordinal)
        && Rules(h).Contains("500:\tfrom 10.51.0.161 lookup 100", StringComparison.Ordinal);

    private static bool HasNone(LabHost h) =>
        !Table100(h).Contains("10.77.0.0/16", StringComparison.Ordinal)
        && !MainTable(h).Contains("10.78.0.0/16", StringComparison.Ordinal)
        && !Table100v6(h).Contains("fd00:77::", StringComparison.Ordinal)
        && !Rules(h).Contains("from 10.51.0.161", StringComparison.Ordinal);

    private static string Describe(LabHost h) =>
        $"{h.Name}: table 100: [{Table100(h).Trim()}] main: [{MainTable(h).Trim()}] v6 table 100: [{Table100v6(h).Trim()}] rules: [{Rules(h).Trim()}]";

    [Fact]
    public void Routes_and_rules_follow_the_master_and_leave_at_exit()
    {
        using var lab = new DaemonLab(output);
        LabHost a = lab.Topology.H171, b = lab.Topology.H172;
        LabDaemon da = lab.StartKeepSharp(a, DaemonLab.Config("keep_171", "MASTER", 150, extra: Routes));
        Assert.True(DaemonLab.WaitFor(() => lab.Topology.HoldsVip(a), TimeSpan.FromSeconds(6)), $"no master:\n{lab.Log(da)}");
        LabDaemon db = lab.StartKeepSharp(b, DaemonLab.Config("keep_172", "BACKUP", 100, extra: Routes));
        Thread.Sleep(1500);
        Assert.True(DaemonLab.WaitFor(() => HasAll(a), TimeSpan.FromSeconds(2)), $"the master lacks its routes/rules:\n{Describe(a)}\n{lab.Log(da)}");
        Assert.True(HasNone(b), $"the backup has routes/rules:\n{Describe(b)}");

        lab.Topology.CutLink(a);
        Assert.True(DaemonLab.WaitFor(() => lab.Topology.HoldsVip(b), TimeSpan.FromSeconds(6)), $"no failover:\n{lab.Log(db)}");
        Assert.True(DaemonLab.WaitFor(() => HasAll(b), TimeSpan.FromSeconds(2)), $"the new master lacks its routes/rules:\n{Describe(b)}\n{lab.Log(db)}");
        // The old master loses carrier: it leaves MASTER (FAULT) and must take its routes and rules away.
        Assert.True(DaemonLab.WaitFor(() => HasNone(a), TimeSpan.FromSeconds(4)), $"the old master kept routes/rules:\n{Describe(a)}\n{lab.Log(da)}");
        lab.Topology.RestoreLink(a);
        Thread.Sleep(1500);
        // With the link back, the higher priority preempts again.
        Assert.True(DaemonLab.WaitFor(() => lab.Topology.HoldsVip(a) && HasAll(a) && HasNone(b), TimeSpan.FromSeconds(6)),
            $"after the link came back:\n{Describe(a)}\n{Describe(b)}");

        Assert.True(da.StopGracefully(TimeSpan.FromSeconds(5)));
        Assert.True(db.StopGracefully(TimeSpan.FromSeconds(5)));
        Assert.True(HasNone(a), $"routes/rules left after SIGTERM:\n{Describe(a)}");
        Assert.True(HasNone(b), $"routes/rules left after SIGTERM:\n{Describe(b)}");
    }
}

public sealed class NoAcceptTests(ITestOutputHelper output)
{
    private const int Port = 5151;

    private static string Nft(LabHost h) => Sh.Try("ip", "netns", "exec", h.Netns, "nft", "list", "table", "inet", "keepsharp") is var r && r.ExitCode == 0 ? r.StdOut : "";

    private static UdpClient Listen(LabHost h, string address) => NetworkNamespace.Run(h.Netns, () =>
    {
        var c = new UdpClient(new IPEndPoint(IPAddress.Parse(address), Port));
        c.Client.ReceiveTimeout = 100;
        return c;
    });

    /// <summary>Sends a few datagrams from the client to <paramref name="address"/>; true if <paramref name="listener"/> got one.</summary>
    private static bool Arrives(DaemonLab lab, UdpClient listener, string address)
    {
        using UdpClient sender = NetworkNamespace.Run(lab.Topology.ClientNs, () => new UdpClient(AddressFamily.InterNetwork));
        var target = new IPEndPoint(IPAddress.Parse(address), Port);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(1.5);
        while (DateTime.UtcNow < until)
        {
            sender.Send([1, 2, 3], 3, target);
            try
            {
                IPEndPoint? from = null;
                if (listener.Receive(ref from).Length == 3)
                    return true;
            }
            catch (SocketException) { }
        }
        return false;
    }

    [Theory]
    [InlineData("no_accept", "")]
    [InlineData("", "vrrp_strict")]
    public void A_non_owner_master_drops_traffic_to_its_addresses(string extra, string globals)
    {
        using var lab = new DaemonLab(output);
        LabHost a = lab.Topology.H171, b = lab.Topology.H172;
        LabDaemon da = lab.StartKeepSharp(a, Conf("keep_171", "MASTER", 150, 3, extra, globals: globals));
        Assert.True(DaemonLab.WaitFor(() => lab.Topology.HoldsVip(a), TimeSpan.FromSeconds(6)), $"no master:\n{lab.Log(da)}");
        LabDaemon db = lab.StartKeepSharp(b, Conf("keep_172", "BACKUP", 100, 3, extra, globals: globals));
        Assert.True(DaemonLab.WaitFor(() => Nft(a).Contains("10.51.0.161", StringComparison.Ordinal), TimeSpan.FromSeconds(2)),
            $"no VIP in table inet keepsharp on the master:\n{Nft(a)}\n{lab.Log(da)}");
        output.WriteLine(Nft(a));

        using (UdpClient onVip = Listen(a, "10.51.0.161"))
        using (UdpClient onHost = Listen(a, "10.51.0.171"))
        {
            Assert.True(Arrives(lab, onHost, "10.51.0.171"), "a datagram to the master's own address did not arrive");
            Assert.False(Arrives(lab, onVip, "10.51.0.161"), "a datagram to the VIP arrived at a no_accept master");
        }

        Assert.True(da.StopGracefully(TimeSpan.FromSeconds(5)));
        Assert.True(DaemonLab.WaitFor(() => lab.Topology.HoldsVip(b), TimeSpan.FromSeconds(6)), $"no failover:\n{lab.Log(db)}");
        Assert.False(Nft(a).Contains("10.51.0.161", StringComparison.Ordinal), $"the old master's table still holds the VIP after SIGTERM:\n{Nft(a)}");
        Assert.True(DaemonLab.WaitFor(() => Nft(b).Contains("10.51.0.161", StringComparison.Ordinal), TimeSpan.FromSeconds(2)),
            $"no VIP in the new master's table:\n{Nft(b)}");
        using (UdpClient onVip = Listen(b, "10.51.0.161"))
            Assert.False(Arrives(lab, onVip, "10.51.0.161"), "a datagram to the VIP arrived at the new no_accept master");
        Assert.True(db.StopGracefully(TimeSpan.FromSeconds(5)));
        Assert.False(Nft(b).Contains("10.51.0.161", StringComparison.Ordinal), $"the table still holds the VIP after SIGTERM:\n{Nft(b)}");
    }

    [Fact]
    public void With_accept_no_table_is_created_and_the_vip_answers()
    {
        using var lab = new DaemonLab(output);
        LabHost a = lab.Topology.H171;
        LabDaemon da = lab.StartKeepSharp(a, Conf("keep_171", "MASTER", 150, 3));
        Assert.True(DaemonLab.WaitFor(() => lab.Topology.HoldsVip(a), TimeSpan.FromSeconds(6)), $"no master:\n{lab.Log(da)}");
        using (UdpClient onVip = Listen(a, "10.51.0.161"))
            Assert.True(Arrives(lab, onVip, "10.51.0.161"), "a datagram to the VIP did not arrive at an accept master");
        Assert.Equal("", Nft(a));
    }
}

public sealed class PreemptDelayTests(ITestOutputHelper output)
{
    // Master_Down_Interval of priority 150, advert_int 1: 3 × 1 s + (256 − 150) / 256 s.
    private const double Mdi = 3 + (256 - 150) / 256.0;

    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    public void A_higher_priority_backup_waits_preempt_delay_then_master_down_interval(int delay)
    {
        using var lab = new DaemonLab(output);
        LabHost a = lab.Topology.H171, b = lab.Topology.H172;
        LabDaemon da = lab.StartKeepSharp(a, DaemonLab.Config("keep_171", "MASTER", 100));
        Assert.True(DaemonLab.WaitFor(() => lab.Topology.HoldsVip(a), TimeSpan.FromSeconds(6)), $"no master:\n{lab.Log(da)}");
        var clock = Stopwatch.StartNew();
        LabDaemon db = lab.StartKeepSharp(b, DaemonLab.Config("keep_172", "BACKUP", 150, extra: delay > 0 ? $"preempt_delay {delay}" : ""));
        double heldAt = double.NaN;
        if (delay > 0)
        {
            // keepalived: the delay starts at the first lower-priority advert; while it runs that master is followed.
            Thread.Sleep(TimeSpan.FromSeconds(delay - 0.2));
            Assert.True(lab.Topology.HoldsVip(a) && !lab.Topology.HoldsVip(b),
                $"h172 preempted before preempt_delay {delay} s ran out:\n{lab.Log(db)}");
            heldAt = clock.Elapsed.TotalSeconds;
        }
        Assert.True(DaemonLab.WaitFor(() => lab.Topology.HoldsVip(b), TimeSpan.FromSeconds(delay + Mdi + 3)), $"h172 never took over:\n{lab.Log(db)}");
        double took = clock.Elapsed.TotalSeconds;
        output.WriteLine($"preempt_delay {delay}: h172 took over {took:0.00} s after it started (MDI {Mdi:0.00} s; still backup at {heldAt:0.00} s)");
        Assert.True(took >= delay, $"took over after {took:0.00} s, before preempt_delay {delay} s");
        Assert.True(took <= delay + Mdi + 1, $"took over after {took:0.00} s, later than preempt_delay + MDI + 1 s = {delay + Mdi + 1:0.00} s");
        Assert.True(DaemonLab.WaitFor(() => !lab.Topology.HoldsVip(a), TimeSpan.FromSeconds(2)), "the old master kept its VIP");
    }
}
