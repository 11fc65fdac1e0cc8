using System.Net;
using System.Net.Sockets;
using KeepSharp.Config;

namespace KeepSharp.Tests.Config;

/// <summary>
/// The configuration of the whole VRRP protocol (issue 8): unicast, preemption and ownership, announcements,
/// strict mode, routes and rules. Expected texts and effects follow keepalived 2.2.7 (vrrp_parser.c, vrrp.c
/// vrrp_complete_instance); where KeepSharp differs on purpose the test says so.
/// </summary>
public class VrrpProtocolConfigTests
{
    /// <summary>An instance on line 1 (after global_defs when given); <paramref name="extra"/> starts on line 7; the VIP block follows it.</summary>
    private static string Config(string extra = "", string global = "", string vip = "10.0.0.1", string stateAndPriority = "state BACKUP\n    priority 100") =>
        (global.Length == 0 ? "" : $"global_defs {{\n{global}\n}}\n") + $$"""
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
            {{stateAndPriority}}
            advert_int 1
        {{extra}}
            virtual_ipaddress {
                {{vip}}
            }
        }

        """;

    private static (ConfigLoadResult Result, VrrpInstance? Instance) Load(string text, ConfigLoadOptions? options = null)
    {
        var result = KeepalivedConfigLoader.Parse(text, "k.conf", options ?? ConfigLoadOptions.Default);
        return (result, result.Config?.VrrpInstances.SingleOrDefault());
    }

    private static string Messages(ConfigLoadResult result) => string.Join("\n", result.Diagnostics);

    // ---- unicast ----

    [Fact]
    public void Unicast_peers_carry_their_ttl_bounds_and_turn_on_the_source_check()
    {
        var (result, vi) = Load(Config("    unicast_src_ip 10.0.0.9\n    unicast_ttl 64\n    unicast_peer {\n        10.0.0.2 min_ttl 250 max_ttl 255\n        10.0.0.3\n    }"));
        Assert.Empty(result.Diagnostics);
        Assert.Equal([new UnicastPeer(IPAddress.Parse("10.0.0.2"), new ConfigLocation("k.conf", 10)) { MinTtl = 250, MaxTtl = 255 },
            new UnicastPeer(IPAddress.Parse("10.0.0.3"), new ConfigLocation("k.conf", 11))], vi!.UnicastPeers);
        Assert.Equal(64, vi.UnicastTtl);
        Assert.True(vi.CheckUnicastSource);
    }

    [Fact]
    public void Unicast_defaults_and_the_global_source_check()
    {
        var (_, plain) = Load(Config("    unicast_peer {\n        10.0.0.2\n    }"));
        Assert.Equal((255, false, false), (plain!.UnicastTtl, plain.CheckUnicastSource, plain.OldUnicastChecksum));
        var (_, global) = Load(Config("    unicast_peer {\n        10.0.0.2\n    }", global: "    vrrp_check_unicast_src"));
        Assert.True(global!.CheckUnicastSource);
        var (_, own) = Load(Config("    check_unicast_src\n    old_unicast_checksum\n    unicast_peer {\n        10.0.0.2\n    }"));
        Assert.Equal((true, true), (own!.CheckUnicastSource, own.OldUnicastChecksum));
    }

    [Fact]
    public void A_bad_peer_option_is_reported_at_its_line()
    {
        var (result, _) = Load(Config("    unicast_peer {\n        10.0.0.2 min_ttl 256\n        10.0.0.3 hops 1\n        10.0.0.4 min_ttl 9 max_ttl 8\n    }"));
        Assert.Equal(
            ["k.conf:8: error: (VI_1) unicast_peer 10.0.0.2: min_ttl '256' is out of range (must be 0..255)",
             "k.conf:9: error: (VI_1) unknown unicast_peer option 'hops'",
             "k.conf:10: warning: (VI_1) unicast_peer 10.0.0.4: min_ttl 9 > max_ttl 8 - all packets will be discarded"],
            result.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void A_peer_equal_to_the_own_source_address_is_an_error()
    {
        var (result, _) = Load(Config("    unicast_src_ip 10.0.0.9\n    unicast_peer {\n        10.0.0.9\n    }"));
        var error = Assert.Single(result.Errors);
        Assert.Equal((9, "(VI_1) unicast_peer 10.0.0.9 is the instance's own unicast_src_ip"), (error.Line, error.Message));
    }

    [Fact]
    public void Unicast_keywords_without_peers_warn_as_keepalived_does_unless_fault_no_peer()
    {
        var (ttl, _) = Load(Config("    unicast_ttl 10"));
        Assert.Contains(ttl.Warnings, w => w.Line == 7 && w.Message == "(VI_1) unicast_ttl cannot be used without unicast peers - ignored");
        var (check, _) = Load(Config("    check_unicast_src"));
        Assert.Contains(check.Warnings, w => w.Message.Contains("without any unicast_peer", StringComparison.Ordinal));
        var (fault, vi) = Load(Config("    unicast_fault_no_peer"));
        Assert.Empty(fault.Diagnostics);
        Assert.True(vi!.UnicastFaultNoPeer);
    }

    [Fact]
    public void Host_checks_need_the_interface_addresses_query()
    {
        var own = new ConfigLoadOptions { InterfaceAddresses = name => name == "eth0" ? [IPAddress.Parse("10.0.0.5"), IPAddress.Parse("fe80::5")] : null };
        var (peerIsOwn, _) = Load(Config("    unicast_peer {\n        10.0.0.5\n    }"), own);
        var error = Assert.Single(peerIsOwn.Errors);
        Assert.Equal((8, "(VI_1) unicast_peer 10.0.0.5 is an address of this host's interface eth0"), (error.Line, error.Message));

        var v6Only = new ConfigLoadOptions { InterfaceAddresses = _ => [IPAddress.Parse("fe80::5")] };
        var (noAddress, _) = Load(Config(), v6Only);
        Assert.Equal((1, "(VI_1) interface eth0 has no IPv4 address to send adverts from; set unicast_src_ip or mcast_src_ip"),
            (Assert.Single(noAddress.Errors).Line, noAddress.Errors.Single().Message));
        Assert.False(Load(Config("    mcast_src_ip 10.0.0.7"), v6Only).Result.HasErrors);
        Assert.False(Load(Config("    unicast_peer {\n        10.0.0.5\n    }")).Result.HasErrors); // no query: skipped
        Assert.False(Load(Config(), new ConfigLoadOptions { InterfaceAddresses = _ => null }).Result.HasErrors); // unknown interface
    }

    // ---- version, ownership, preemption ----

    [Fact]
    public void An_ipv6_instance_is_vrrpv3_unless_it_says_otherwise()
    {
        var (_, vi) = Load(Config(vip: "fe80::1", global: "    vrrp_version 2"));
        Assert.Equal(3, vi!.Version);
        var (_, v2) = Load(Config("    version 2", vip: "fe80::1"));
        Assert.Equal(2, v2!.Version); // keepalived allows it outside strict mode
        var (strict, sv) = Load(Config("    version 2\n    strict_mode", vip: "fe80::1", stateAndPriority: "state BACKUP\n    priority 100"));
        Assert.Equal(3, sv!.Version);
        Assert.Contains(strict.Warnings, w => w.Message == "(VI_1) strict mode: cannot use IPv6 with VRRP version 2 - setting version 3");
    }

    [Fact]
    public void Priority_and_state_derive_from_each_other_as_in_keepalived()
    {
        var (_, master) = Load(Config(stateAndPriority: "state MASTER"));
        Assert.Equal((VrrpConfiguredState.Master, (byte)255), (master!.State, master.Priority));
        var (_, owner) = Load(Config(stateAndPriority: "priority 255"));
        Assert.Equal(VrrpConfiguredState.Master, owner!.State);
        var (_, none) = Load(Config(stateAndPriority: ""));
        Assert.Equal((VrrpConfiguredState.Backup, (byte)100), (none!.State, none.Priority));
    }

    [Fact]
    public void Preemption_rules_report_and_undo_what_cannot_work()
    {
        var (owner, vi) = Load(Config("    nopreempt", stateAndPriority: "state BACKUP\n    priority 255"));
        Assert.Contains(owner.Warnings, w => w.Message.StartsWith("(VI_1) nopreempt is incompatible with priority 255", StringComparison.Ordinal));
        Assert.False(vi!.NoPreempt);
        var (delay, dv) = Load(Config("    nopreempt\n    preempt_delay 10"));
        Assert.Contains(delay.Warnings, w => w.Message == "(VI_1) preempt_delay is incompatible with nopreempt - reset to 0");
        Assert.Equal((true, TimeSpan.Zero), (dv!.NoPreempt, dv.PreemptDelay));
        var (_, ok) = Load(Config("    preempt_delay 300"));
        Assert.Equal(TimeSpan.FromSeconds(300), ok!.PreemptDelay);
    }

    [Fact]
    public void A_vrrpv3_instance_needs_a_virtual_address()
    {
        var text = "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    version 3\n}\n";
        var error = Assert.Single(KeepalivedConfigLoader.Parse(text, "k.conf").Errors);
        Assert.Equal((1, "(VI_1) no virtual IP address specified; VRRPv3 and strict mode require at least one"), (error.Line, error.Message));
    }

    [Fact]
    public void Authentication_ah_is_refused_and_v3_ignores_authentication()
    {
        const string Ah = "    authentication {\n        auth_type AH\n        auth_pass secret\n    }";
        var (ah, _) = Load(Config(Ah));
        var error = Assert.Single(ah.Errors);
        Assert.StartsWith("(VI_1) auth_type AH is not supported: RFC 9568", error.Message);
        Assert.Equal(1, error.Line);

        var (v3, vi) = Load(Config("    version 3\n    authentication {\n        auth_type PASS\n        auth_pass secret\n    }"));
        Assert.Contains(v3.Warnings, w => w.Message == "(VI_1) VRRP version 3 does not support authentication - ignored");
        Assert.Null(vi!.Authentication);
    }

    // ---- lower priority, down timer, announcements ----

    [Fact]
    public void Instance_values_override_the_global_defaults()
    {
        const string Global = "    vrrp_garp_lower_prio_delay 7\n    vrrp_garp_lower_prio_repeat 2\n    vrrp_lower_prio_no_advert\n    vrrp_higher_prio_send_advert on\n    vrrp_down_timer_adverts 5\n    vrrp_garp_interval 0.001\n    vrrp_gna_interval 0.002\n    v3_checksum_as_v2";
        var (result, inherited) = Load(Config(global: Global));
        Assert.Empty(result.Diagnostics);
        Assert.Equal((TimeSpan.FromSeconds(7), 2, true, true, 5, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2), true),
            (inherited!.GarpLowerPrioDelay, inherited.GarpLowerPrioRepeat, inherited.LowerPrioNoAdvert, inherited.HigherPrioSendAdvert,
             inherited.DownTimerAdverts, inherited.GarpInterval, inherited.GnaInterval, inherited.V3ChecksumAsV2));

        var (_, own) = Load(Config("    garp_lower_prio_delay 1\n    garp_lower_prio_repeat 9\n    lower_prio_no_advert off\n    higher_prio_send_advert false\n    down_timer_adverts 1\n    v3_checksum_as_v2 off", global: Global));
        Assert.Equal((TimeSpan.FromSeconds(1), 9, false, false, 1, false),
            (own!.GarpLowerPrioDelay, own.GarpLowerPrioRepeat, own.LowerPrioNoAdvert, own.HigherPrioSendAdvert, own.DownTimerAdverts, own.V3ChecksumAsV2));

        var (_, defaults) = Load(Config());
        Assert.Equal((TimeSpan.FromSeconds(5), 5, false, false, 3, TimeSpan.Zero),
            (defaults!.GarpLowerPrioDelay, defaults.GarpLowerPrioRepeat, defaults.LowerPrioNoAdvert, defaults.HigherPrioSendAdvert, defaults.DownTimerAdverts, defaults.GarpInterval));
    }

    [Fact]
    public void Vrrp_min_garp_lowers_the_garp_defaults_not_yet_set()
    {
        var (_, vi) = Load(Config(global: "    vrrp_garp_master_refresh_repeat 4\n    vrrp_min_garp"));
        Assert.Equal((TimeSpan.Zero, 1, 4), (vi!.GarpMasterDelay, vi.GarpMasterRepeat, vi.GarpMasterRefreshRepeat));
        var (_, later) = Load(Config(global: "    vrrp_min_garp\n    vrrp_garp_master_repeat 3"));
        Assert.Equal((3, 0), (later!.GarpMasterRepeat, later.GarpMasterRefreshRepeat));
        var (_, off) = Load(Config(global: "    vrrp_min_garp off"));
        Assert.Equal((TimeSpan.FromSeconds(5), 5), (off!.GarpMasterDelay, off.GarpMasterRepeat));
    }

    // ---- accept, strict mode, vmac ----

    [Fact]
    public void Accept_mode_defaults_to_on_except_in_strict_mode()
    {
        Assert.True(Load(Config()).Instance!.Accept);
        Assert.False(Load(Config("    no_accept")).Instance!.Accept);
        Assert.False(Load(Config(global: "    vrrp_strict")).Instance!.Accept);
        Assert.True(Load(Config(global: "    vrrp_strict", stateAndPriority: "state MASTER\n    priority 255")).Instance!.Accept);
        var (strictV2, vi) = Load(Config("    accept", global: "    vrrp_strict"));
        Assert.Contains(strictV2.Warnings, w => w.Message == "(VI_1) accept mode for VRRP version 2 does not comply with RFC 3768 - reset");
        Assert.False(vi!.Accept);
    }

    [Fact]
    public void Strict_mode_reports_each_setting_it_overrides()
    {
        var (result, vi) = Load(Config(
            "    authentication {\n        auth_type PASS\n        auth_pass 1234\n    }\n    preempt_delay 5\n    down_timer_adverts 4\n    garp_lower_prio_repeat 3\n    garp_lower_prio_delay 2\n    lower_prio_no_advert off\n    higher_prio_send_advert",
            stateAndPriority: "state MASTER\n    priority 100", global: "    vrrp_strict"));
        Assert.Equal(
            ["(VI_1) strict mode: state MASTER must match being the address owner (priority 255) - starting as BACKUP",
             "(VI_1) strict mode does not support authentication - ignored",
             "(VI_1) preempt_delay is incompatible with strict mode - reset to 0",
             "(VI_1) down_timer_adverts is incompatible with strict mode - reset to 3",
             "(VI_1) strict mode requires no repeat GARPs (garp_lower_prio_repeat) - reset to 0",
             "(VI_1) strict mode requires no repeat GARP delay (garp_lower_prio_delay) - reset to 0",
             "(VI_1) strict mode requires lower_prio_no_advert - set",
             "(VI_1) strict mode requires higher_prio_send_advert to be clear - reset"],
            result.Warnings.Select(w => w.Message));
        Assert.All(result.Warnings, w => Assert.Equal(("k.conf", 4), (w.File, w.Line)));
        Assert.Equal((VrrpConfiguredState.Backup, null, TimeSpan.Zero, 3, 0, TimeSpan.Zero, true, false, true),
            (vi!.State, vi.Authentication, vi.PreemptDelay, vi.DownTimerAdverts, vi.GarpLowerPrioRepeat, vi.GarpLowerPrioDelay,
             vi.LowerPrioNoAdvert, vi.HigherPrioSendAdvert, vi.StrictMode));
    }

    [Fact]
    public void Strict_mode_wants_a_link_local_first_ipv6_address()
    {
        var (result, _) = Load(Config("    strict_mode", vip: "fd00::1\n        fe80::1", stateAndPriority: "state BACKUP\n    priority 100"));
        var warning = Assert.Single(result.Warnings);
        Assert.Equal((9, "(VI_1) strict mode: the first IPv6 virtual address must be link-local (fd00::1)"), (warning.Line, warning.Message));
        Assert.Empty(Load(Config(vip: "fd00::1")).Result.Diagnostics); // keepalived only logs it outside strict mode
    }

    [Fact]
    public void Strict_mode_refuses_unicast_and_promotes_a_backup_owner()
    {
        var (unicast, _) = Load(Config("    strict_mode\n    unicast_peer {\n        10.0.0.2\n    }"));
        var error = Assert.Single(unicast.Errors);
        Assert.Equal((9, "(VI_1) unicast peers are not supported in strict mode"), (error.Line, error.Message));
        var (_, owner) = Load(Config("    strict_mode", stateAndPriority: "state BACKUP\n    priority 255"));
        Assert.Equal(VrrpConfiguredState.Master, owner!.State);
    }

    [Fact]
    public void Vmac_name_defaults_to_vrrp_dot_vrid_and_xmit_base_needs_a_vmac()
    {
        var (_, vi) = Load(Config("    use_vmac\n    vmac_xmit_base\n    use_vmac_addr"));
        Assert.Equal(("vrrp.51", true, true), (vi!.VmacName, vi.VmacXmitBase, vi.UseVmacAddress));
        Assert.Equal("vrrp51", Load(Config("    use_vmac vrrp51")).Instance!.VmacName);
        var (alone, plain) = Load(Config("    vmac_xmit_base"));
        Assert.Contains(alone.Warnings, w => w.Message == "(VI_1) vmac_xmit_base is only valid with use_vmac - ignored");
        Assert.Equal((false, null), (plain!.VmacXmitBase, plain.VmacName));
        var (unicast, uv) = Load(Config("    use_vmac\n    unicast_peer {\n        10.0.0.2\n    }"));
        Assert.Contains(unicast.Warnings, w => w.Message == "(VI_1) unicast with use_vmac requires vmac_xmit_base - set");
        Assert.True(uv!.VmacXmitBase);
    }

    // ---- virtual_ipaddress forms ----

    [Fact]
    public void Virtual_address_forms_are_read_as_keepalived_reads_them()
    {
        var (result, vi) = Load(Config(vip: "10.0.0.1/24 brd -\n        10.0.0.2/24 brd +\n        10.0.0.3/31 brd +\n        10.0.0.4 peer 10.0.0.40 brd 10.0.0.255\n        10.0.0.6/24 peer 10.0.0.60\n        10.0.0.5/24 -nodad no_track"));
        Assert.Equal(["10.0.0.0", "10.0.0.255", null, null, null, null], vi!.VirtualIpAddresses.Select(v => v.Broadcast?.ToString()));
        Assert.True(vi.VirtualIpAddresses[5].NoDad && vi.VirtualIpAddresses[5].NoTrack);
        Assert.Equal(("10.0.0.60", 32), (vi.VirtualIpAddresses[4].Peer?.ToString(), vi.VirtualIpAddresses[4].PrefixLength));
        Assert.Equal(
            ["k.conf:11: warning: address prefix length 31 of 10.0.0.3/31 is too long for broadcast '+' - ignored",
             "k.conf:12: warning: cannot specify broadcast and peer addresses for 10.0.0.4 - broadcast ignored",
             "k.conf:13: warning: cannot specify an address prefix with a peer address (10.0.0.6/24) - prefix ignored"],
            result.Diagnostics.Select(d => d.ToString()));

        var (v6, v6vi) = Load(Config(vip: "fd00::1/64 scope link label eth0:1\n        fd00::2/64 nodad"));
        Assert.Equal(
            ["k.conf:9: warning: cannot specify scope for IPv6 addresses (fd00::1/64) - scope ignored",
             "k.conf:9: warning: cannot specify label for IPv6 addresses (fd00::1/64) - label ignored",
             "k.conf:10: warning: unknown option 'nodad' for virtual IP address fd00::2/64 - ignored"],
            v6.Diagnostics.Select(d => d.ToString()));
        Assert.Equal((null, null), (v6vi!.VirtualIpAddresses[0].Scope, v6vi.VirtualIpAddresses[0].Label));
    }

    [Fact]
    public void A_second_state_backup_after_master_is_ignored_as_keepalived_does()
    {
        var (result, vi) = Load(Config("    state BACKUP", stateAndPriority: "state MASTER\n    priority 100"));
        Assert.Equal((7, "(VI_1) state previously set as MASTER - BACKUP ignored"), (Assert.Single(result.Warnings).Line, result.Warnings.Single().Message));
        Assert.Equal(VrrpConfiguredState.Master, vi!.State);
    }

    // ---- virtual_routes and virtual_rules ----

    [Fact]
    public void Virtual_routes_parse_into_the_model()
    {
        var (result, vi) = Load(Config("""
                virtual_routes {
                    src 10.0.0.1 to 192.168.2.0/24 via 10.0.0.254 dev eth0 scope link table 100 metric 7 protocol keepalived onlink
                    default via 10.0.0.254 dev eth0 table main
                    throw 192.168.3.0/24 table local no_track
                }
            """));
        Assert.Empty(result.Diagnostics);
        var first = vi!.VirtualRoutes[0];
        Assert.Equal(("192.168.2.0", 24, "10.0.0.1", "10.0.0.254", "eth0", (byte)253, 100u, 7u, (byte)18, true, false, 8),
            (first.Destination.ToString(), first.PrefixLength, first.Source?.ToString(), first.Gateway?.ToString(), first.Device, first.Scope,
             first.Table, first.Metric, first.Protocol, first.OnLink, first.NoTrack, first.Location.Line));
        Assert.Equal(("0.0.0.0", 0, 254u), (vi.VirtualRoutes[1].Destination.ToString(), vi.VirtualRoutes[1].PrefixLength, vi.VirtualRoutes[1].Table));
        Assert.Equal((VirtualRouteType.Throw, 255u, true), (vi.VirtualRoutes[2].Type, vi.VirtualRoutes[2].Table, vi.VirtualRoutes[2].NoTrack));
    }

    [Theory]
    [InlineData("192.168.2.0/24 dev eth0 mtu 1400", "(VI_1) virtual_routes: route option 'mtu' is not supported by KeepSharp")]
    [InlineData("192.168.2.0/33 dev eth0", "(VI_1) virtual_routes: unknown route keyword or invalid destination '192.168.2.0/33'")]
    [InlineData("192.168.2.0/24 via fd00::1 dev eth0", "(VI_1) virtual_routes: cannot mix IPv4 and IPv6 addresses in a route (via fd00::1)")]
    [InlineData("dev eth0", "(VI_1) virtual_routes: route must have a destination")]
    [InlineData("192.168.2.0/24 dev eth0 table nosuch", "(VI_1) virtual_routes: routing table nosuch not found")]
    public void A_bad_route_is_an_error_at_its_line(string line, string message)
    {
        var (result, _) = Load(Config($"    virtual_routes {{\n        {line}\n    }}"));
        var error = Assert.Single(result.Errors);
        Assert.Equal((8, message), (error.Line, error.Message));
    }

    [Fact]
    public void Virtual_rules_parse_into_the_model()
    {
        var (result, vi) = Load(Config("""
                virtual_rules {
                    from 10.0.0.0/24 to all iif eth0 oif eth1 fwmark 0x10/0xff tos 16 table 100 priority 200
                    from fd00::/64 goto 300 priority 250
                    to 192.168.9.0/24 prohibit preference 260 no_track
                }
            """));
        Assert.Empty(result.Diagnostics);
        var rule = vi!.VirtualRules[0];
        Assert.Equal((AddressFamily.InterNetwork, VirtualRuleAction.ToTable, "10.0.0.0", 24, null, "eth0", "eth1", 0x10u, 0xffu, (byte)16, 100u, 200u),
            (rule.Family, rule.Action, rule.From?.ToString(), rule.FromPrefix, rule.To, rule.InputInterface, rule.OutputInterface, rule.FwMark,
             rule.FwMask, rule.Tos, rule.Table, rule.Priority));
        Assert.Equal((AddressFamily.InterNetworkV6, VirtualRuleAction.Goto, 300u), (vi.VirtualRules[1].Family, vi.VirtualRules[1].Action, vi.VirtualRules[1].GotoTarget));
        Assert.Equal((VirtualRuleAction.Prohibit, true), (vi.VirtualRules[2].Action, vi.VirtualRules[2].NoTrack));
    }

    [Theory]
    [InlineData("from 10.0.0.0/24 priority 5", "(VI_1) virtual_rules: no action specified for rule (table, goto, blackhole, unreachable or prohibit)")]
    [InlineData("from 10.0.0.0/24 goto 5 priority 10", "(VI_1) virtual_rules: preference 10 >= goto target 5")]
    [InlineData("from 10.0.0.0/24 table 1 priority 10 uidrange 1-2", "(VI_1) virtual_rules: rule option 'uidrange' is not supported by KeepSharp")]
    [InlineData("from 10.0.0.0/24 table 1 priority 10 pref 1", "(VI_1) virtual_rules: unknown rule option 'pref'")]
    [InlineData("from 10.0.0.0/24 table 1 blackhole priority 10", "(VI_1) virtual_rules: cannot specify more than one of table/goto/blackhole/prohibit/unreachable")]
    public void A_bad_rule_is_an_error_at_its_line(string line, string message)
    {
        var (result, _) = Load(Config($"    virtual_rules {{\n        {line}\n    }}"));
        var error = Assert.Single(result.Errors);
        Assert.Equal((8, message), (error.Line, error.Message));
    }
}
