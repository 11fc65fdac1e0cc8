using System.Net;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Daemon;

/// <summary>
/// SIGHUP on the real daemon in netns, under traffic: an unchanged instance keeps its VIP and its adverts without a gap
/// while another instance's VIPs change as a diff; a broken configuration changes nothing; a removed instance resigns
/// (its peer takes over after Skew_Time) and a new one starts. (keepalived 2.2.7, measured: an unrelated change reloads
/// without a gap, but a broken configuration terminates it and releases every VIP.)
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ReloadTests(ITestOutputHelper output)
{
    private const int SIGHUP = 1;
    private const string Vip2 = "10.51.0.162", Vip3 = "10.51.0.163", Vip4 = "10.51.0.164", Vip5 = "10.51.0.165";

    private static string Instance(string name, int vrid, int priority, params string[] vips) => $$"""
        vrrp_instance {{name}} {
            state BACKUP
            interface eth0
            virtual_router_id {{vrid}}
            priority {{priority}}
            advert_int 1
            virtual_ipaddress {
                {{string.Join("\n        ", vips.Select(v => v + "/24"))}}
            }
        }
        """;

    private static string Config(string routerId, params string[] instances) =>
        $"global_defs {{\n    router_id {routerId}\n}}\n" + string.Join("\n", instances);

    private static HostProcess Start(DaemonLab lab, LabHost host, string config, string name) =>
        host.Spawn(name, [lab.Binary, "-n", "-l", "-D", "-f", lab.WriteConfig(host, config), "-p", Path.Combine(host.RunDir, $"{name}.pid")],
            Path.Combine(host.RunDir, $"{name}.log"));

    private static string Log(LabHost host, string name) => File.ReadAllText(Path.Combine(host.RunDir, $"{name}.log"));

    private static bool Holds(LabHost host, string address) => LabTopology.HoldsAddress(host, address);

    /// <summary>The longest spacing of <paramref name="source"/>'s adverts of <paramref name="vrid"/> in [from, to], ms.</summary>
    private static double LongestAdvertGap(AdvertWatcher adverts, string source, int vrid, double from, double to)
    {
        double[] times = [.. adverts.Snapshot().Where(a => a.Source.ToString() == source && a.Vrid == vrid && a.AtMs >= from && a.AtMs <= to)
            .Select(a => a.AtMs).Order()];
        Assert.True(times.Length >= 3, $"adverts of VRID {vrid} from {source} in the window: {times.Length}");
        return times.Zip(times.Skip(1)).Max(p => p.Second - p.First);
    }

    [Fact]
    public void A_reload_under_traffic_keeps_the_unchanged_instance_without_a_gap_and_applies_the_other_vip_list_as_a_diff()
    {
        using var lab = new DaemonLab(output);
        LabTopology topology = lab.Topology;
        LabHost host = topology.H171;
        Nginx.Start(host);
        string web = Instance("VI_1", 51, 100, topology.Vip);
        HostProcess daemon = Start(lab, host, Config("keep_171", web, Instance("VI_2", 52, 100, Vip2, Vip3)), "ks");
        try
        {
            Assert.True(DaemonLab.WaitFor(() => Holds(host, topology.Vip) && Holds(host, Vip2) && Holds(host, Vip3), TimeSpan.FromSeconds(10)), Log(host, "ks"));
            using var adverts = new AdvertWatcher(topology.ClientNs, topology.ClientAddress, lab.Timeline, a => a.ToString());
            adverts.Start();
            using var probe = new ClientProbe(topology.ClientNs, topology.Vip, lab.Timeline, cadenceMs: 5);
            probe.Start();
            Thread.Sleep(2500);

            // VI_1 unchanged (moved below, with a comment); VI_2 loses .162, keeps .163, gains .164.
            lab.WriteConfig(host, Config("keep_171", Instance("VI_2", 52, 100, Vip3, Vip4), "# the web VIP\n" + web));
            double reload = lab.Timeline.NowMs;
            daemon.Signal(SIGHUP);
            Assert.True(DaemonLab.WaitFor(() => Log(host, "ks").Contains("Reload done"), TimeSpan.FromSeconds(5)), Log(host, "ks"));
            Thread.Sleep(3000);
            double end = lab.Timeline.NowMs;

            string log = Log(host, "ks");
            Assert.Contains("Reload done: 1 unchanged, 1 updated, 0 replaced, 0 removed, 0 added", log);
            Assert.Contains($"(VI_2) reload: removed {Vip2}/24 from eth0", log);
            Assert.Contains($"(VI_2) reload: added {Vip4}/24 on eth0", log);
            Assert.DoesNotContain($"removed {Vip3}", log);
            Assert.DoesNotContain("Entering", log[log.IndexOf("Reloading", StringComparison.Ordinal)..]); // no transition at all
            Assert.True(Holds(host, topology.Vip) && Holds(host, Vip3) && Holds(host, Vip4) && !Holds(host, Vip2), lab.Addresses(host));

            double gap = probe.LongestGap(reload - 1000, end);
            Assert.True(gap < 100, $"the client saw a {gap:0} ms gap on the unchanged instance's VIP around the reload");
            double advertGap = LongestAdvertGap(adverts, host.Address, 51, reload - 2000, end);
            Assert.True(advertGap < 1150, $"VRID 51's adverts had a {advertGap:0} ms gap around the reload (advert_int 1 s)");
            Assert.DoesNotContain(adverts.Snapshot(), a => a.Priority == 0);
            Assert.False(daemon.HasExited);
        }
        finally
        {
            daemon.Terminate(TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public void A_broken_configuration_is_rejected_with_its_line_and_changes_nothing_then_a_fixed_one_applies()
    {
        using var lab = new DaemonLab(output);
        LabTopology topology = lab.Topology;
        LabHost host = topology.H171;
        string good = Config("keep_171", Instance("VI_1", 51, 100, topology.Vip), Instance("VI_2", 52, 100, Vip2));
        HostProcess daemon = Start(lab, host, good, "ks");
        try
        {
            Assert.True(DaemonLab.WaitFor(() => Holds(host, topology.Vip) && Holds(host, Vip2), TimeSpan.FromSeconds(10)), Log(host, "ks"));
            using var adverts = new AdvertWatcher(topology.ClientNs, topology.ClientAddress, lab.Timeline, a => a.ToString());
            adverts.Start();
            Thread.Sleep(2000);

            // Line 13 of the broken file: virtual_router_id 300 (out of range); VI_2 also dropped, which must not happen.
            string broken = Config("keep_171", Instance("VI_1", 51, 100, topology.Vip).Replace("virtual_router_id 51", "virtual_router_id 300"));
            string path = lab.WriteConfig(host, broken);
            int line = Array.FindIndex(broken.Split('\n'), l => l.Contains("virtual_router_id 300")) + 1;
            double reload = lab.Timeline.NowMs;
            daemon.Signal(SIGHUP);
            Assert.True(DaemonLab.WaitFor(() => Log(host, "ks").Contains("Reload rejected"), TimeSpan.FromSeconds(5)), Log(host, "ks"));
            Thread.Sleep(2500);
            string log = Log(host, "ks");
            Assert.Contains($"{path}:{line}:", log);
            Assert.Contains("the running configuration is kept", log);
            Assert.True(Holds(host, topology.Vip) && Holds(host, Vip2), lab.Addresses(host));
            Assert.True(LongestAdvertGap(adverts, host.Address, 51, reload - 1500, lab.Timeline.NowMs) < 1150);
            Assert.True(LongestAdvertGap(adverts, host.Address, 52, reload - 1500, lab.Timeline.NowMs) < 1150);
            Assert.DoesNotContain(adverts.Snapshot(), a => a.Priority == 0);
            Assert.False(daemon.HasExited);

            // The daemon still reloads: a good configuration that drops VI_2 applies.
            lab.WriteConfig(host, Config("keep_171", Instance("VI_1", 51, 100, topology.Vip)));
            daemon.Signal(SIGHUP);
            Assert.True(DaemonLab.WaitFor(() => Log(host, "ks").Contains("Reload done: 1 unchanged, 0 updated, 0 replaced, 1 removed, 0 added"), TimeSpan.FromSeconds(5)), Log(host, "ks"));
            Assert.True(DaemonLab.WaitFor(() => !Holds(host, Vip2), TimeSpan.FromSeconds(2)), lab.Addresses(host));
            Assert.True(Holds(host, topology.Vip));
        }
        finally
        {
            daemon.Terminate(TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public void A_removed_instance_resigns_so_its_peer_takes_over_at_once_and_a_new_instance_starts()
    {
        using var lab = new DaemonLab(output);
        LabTopology topology = lab.Topology;
        LabHost master = topology.H171, backup = topology.H172;
        HostProcess m = Start(lab, master, Config("keep_171", Instance("VI_1", 51, 100, topology.Vip), Instance("VI_2", 52, 100, Vip2)), "ks");
        HostProcess b = Start(lab, backup, Config("keep_172", Instance("VI_1", 51, 90, topology.Vip), Instance("VI_2", 52, 90, Vip2)), "ks");
        try
        {
            Assert.True(DaemonLab.WaitFor(() => Holds(master, topology.Vip) && Holds(master, Vip2), TimeSpan.FromSeconds(10)), Log(master, "ks"));
            Thread.Sleep(1500);
            Assert.False(Holds(backup, Vip2));

            lab.WriteConfig(master, Config("keep_171", Instance("VI_1", 51, 100, topology.Vip)));
            double reload = lab.Timeline.NowMs;
            m.Signal(SIGHUP);
            // Priority 0 from the resigning master: the backup takes over after Skew_Time ((256 - 90) / 256 = 0.65 s), not Master_Down_Interval.
            Assert.True(DaemonLab.WaitFor(() => Holds(backup, Vip2), TimeSpan.FromSeconds(2)), Log(backup, "ks"));
            double takeover = lab.Timeline.NowMs - reload;
            Assert.True(takeover < 1500, $"the backup took VRID 52 {takeover:0} ms after the reload");
            Assert.False(Holds(master, Vip2));
            Assert.Contains("(VI_2) removed by the reload", Log(master, "ks"));
            Assert.Contains("(VI_2) Backup received priority 0 advertisement", Log(backup, "ks"));
            Thread.Sleep(1500);
            Assert.True(Holds(master, topology.Vip) && !Holds(backup, topology.Vip), "VI_1 stays where it was");

            // A new instance: VRID 53 with no peer becomes master after its Master_Down_Interval.
            lab.WriteConfig(master, Config("keep_171", Instance("VI_1", 51, 100, topology.Vip), Instance("VI_3", 53, 100, Vip5)));
            m.Signal(SIGHUP);
            Assert.True(DaemonLab.WaitFor(() => Holds(master, Vip5), TimeSpan.FromSeconds(6)), Log(master, "ks"));
            Assert.Contains("(VI_3) added by the reload: started", Log(master, "ks"));
            Assert.True(Holds(master, topology.Vip));
        }
        finally
        {
            m.Terminate(TimeSpan.FromSeconds(5));
            b.Terminate(TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public void A_multicast_instance_added_on_a_unicast_only_socket_is_rejected_as_needing_a_restart()
    {
        using var lab = new DaemonLab(output);
        LabTopology topology = lab.Topology;
        LabHost host = topology.H171;
        string unicast = Instance("VI_1", 51, 100, topology.Vip).Replace("advert_int 1", $"advert_int 1\n    unicast_src_ip {host.Address}\n    unicast_peer {{\n        {topology.H172.Address}\n    }}");
        HostProcess daemon = Start(lab, host, Config("keep_171", unicast), "ks");
        try
        {
            Assert.True(DaemonLab.WaitFor(() => Holds(host, topology.Vip), TimeSpan.FromSeconds(10)), Log(host, "ks"));
            lab.WriteConfig(host, Config("keep_171", unicast, Instance("VI_2", 52, 100, Vip2)));
            daemon.Signal(SIGHUP);
            Assert.True(DaemonLab.WaitFor(() => Log(host, "ks").Contains("Reload rejected"), TimeSpan.FromSeconds(5)), Log(host, "ks"));
            string log = Log(host, "ks");
            Assert.Contains("(VI_2) multicast on eth0, whose VRRP socket serves unicast instances only: this needs a restart, not a reload", log);
            Thread.Sleep(500);
            Assert.True(Holds(host, topology.Vip) && !Holds(host, Vip2), lab.Addresses(host));
            Assert.False(daemon.HasExited);
        }
        finally
        {
            daemon.Terminate(TimeSpan.FromSeconds(5));
        }
    }
}
