using KeepSharp.Lab;
using KeepSharp.Linux;
using KeepSharp.Vrrp;
using Xunit.Abstractions;
using static KeepSharp.IntegrationTests.Daemon.Injector;

namespace KeepSharp.IntegrationTests.Daemon;

/// <summary>
/// keepalived's unicast receive rules on a running master (unicast_src_ip, unicast_peer, check_unicast_src,
/// min_ttl/max_ttl): what arrives by multicast, from a non-peer, or from a peer with a TTL out of range is counted
/// by reason and dropped, and the master keeps its address. Without check_unicast_src keepalived accepts adverts
/// from any source (documented: "check_unicast_src: ... without it, any source is accepted"), so a higher priority
/// from a stranger makes the master step down.
/// </summary>
public sealed class UnicastReceiveTests(ITestOutputHelper output)
{
    private const int PerKind = 1000;

    private static string Unicast(bool check) => $$"""
        unicast_src_ip 10.51.0.171
            unicast_peer {
                10.51.0.172{{(check ? " min_ttl 250 max_ttl 255" : "")}}
            }
            {{(check ? "check_unicast_src" : "")}}
        """;

    /// <summary>A multicast instance, VRID 52, VIP 10.51.0.162, on the same interface: the host joins 224.0.0.18.</summary>
    private static string Companion(int version) => $$"""

        vrrp_instance VI_2 {
            state MASTER
            interface eth0
            virtual_router_id 52
            priority 100
            advert_int 1
            version {{version}}
            {{(version == 2 ? "authentication {\n        auth_type PASS\n        auth_pass 1111\n    }" : "")}}
            virtual_ipaddress {
                10.51.0.162
            }
        }
        """;

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void With_check_unicast_src_multicast_strangers_and_bad_ttl_are_counted_and_dropped(int version)
    {
        using var lab = new DaemonLab(output);
        LabHost host = lab.Topology.H171;
        LabDaemon daemon = lab.StartKeepSharp(host, Conf("keep_171", "MASTER", 100, version, Unicast(check: true)) + Companion(version));
        Assert.True(DaemonLab.WaitFor(() => lab.Topology.HoldsVip(host), TimeSpan.FromSeconds(6)), $"no master:\n{lab.Log(daemon)}");
        string pid = Pid(daemon);
        using VrrpSocket multicast = OpenMulticast4(lab);
        using VrrpSocket unicast = OpenUnicast4(lab);

        // (a) multicast adverts from the peer's address: unexpected at a unicast instance. A unicast-only host has
        // not joined 224.0.0.18, so the kernel never delivers them (keepalived's neither): a multicast instance
        // (VRID 52) on the same interface makes the host a member, and VRID 51's multicast then reaches the daemon.
        byte[] toGroup = Advert(version, H172, Group4, 254);
        Flood(() => multicast.Send(toGroup), PerKind, "multicast");
        // (b) unicast to the master from the client's own address, priority 254: not a configured peer.
        byte[] stranger = Advert(version, Client, H171, 254);
        Flood(() => unicast.Send(stranger), PerKind, "from a stranger");
        // (c) spoofed as the peer but TTL 64, outside min_ttl 250 .. max_ttl 255.
        byte[] lowTtl = Advert(version, H172, H171, 254, ttl: 64);
        Flood(() => unicast.Send(lowTtl), PerKind, "TTL 64");

        string stats = DumpStatistics(host, pid);
        output.WriteLine(stats);
        Assert.True(daemon.Running, $"keepsharp died:\n{lab.Log(daemon)}");
        AssertCounted(stats, "UnexpectedMulticast", PerKind, "(a) multicast at a unicast instance");
        AssertCounted(stats, "NotAUnicastPeer", PerKind, "(b) unicast from 10.51.0.10");
        AssertCounted(stats, "TtlOutOfRange", PerKind, "(c) spoofed peer with TTL 64");
        Assert.True(lab.Topology.HoldsVip(host), "the master lost its address to dropped adverts");
        Assert.Equal(0, Counted(stats, "UnknownVirtualRouterId"));
        Assert.Equal("", EnteredBackupAfterInit(lab.Log(daemon)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Without_check_unicast_src_a_stranger_with_a_higher_priority_is_obeyed_like_keepalived(int version)
    {
        using var lab = new DaemonLab(output);
        LabHost host = lab.Topology.H171;
        LabDaemon daemon = lab.StartKeepSharp(host, Conf("keep_171", "MASTER", 100, version, Unicast(check: false)));
        Assert.True(DaemonLab.WaitFor(() => lab.Topology.HoldsVip(host), TimeSpan.FromSeconds(6)), $"no master:\n{lab.Log(daemon)}");
        string pid = Pid(daemon);
        using VrrpSocket unicast = OpenUnicast4(lab);

        string stats;
        // keepalived without check_unicast_src accepts any source: priority 254 from 10.51.0.10 wins the election.
        byte[] stranger = Advert(version, Client, H171, 254);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        bool released = DaemonLab.WaitFor(() =>
        {
            unicast.Send(stranger);
            Thread.Sleep(80);
            return !lab.Topology.HoldsVip(host);
        }, TimeSpan.FromSeconds(4));
        output.WriteLine($"stepped down {clock.ElapsedMilliseconds} ms after the first stranger advert");
        stats = DumpStatistics(host, pid);
        output.WriteLine(stats);
        Assert.True(released, $"the master should step down to a higher priority from a non-peer without check_unicast_src:\n{lab.Log(daemon)}");
        Assert.NotEqual("", EnteredBackupAfterInit(lab.Log(daemon)));
        Assert.Equal(0, Counted(stats, "NotAUnicastPeer"));
    }
}
