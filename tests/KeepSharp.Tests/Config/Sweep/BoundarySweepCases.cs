using System.Globalization;
using KeepSharp.Config;

namespace KeepSharp.Tests.Config.Sweep;

/// <summary>The block a swept statement is written into.</summary>
public enum SweepBlock
{
    GlobalDefs,
    VrrpInstance,
    VrrpScript,
    VrrpSyncGroup,
}

/// <summary>
/// One swept statement (possibly several lines, e.g. <c>version 3</c> then <c>advert_int 41</c>) in an otherwise
/// valid configuration that keepalived 2.2.7 accepts (<c>-t</c> exit 0).
/// </summary>
public sealed record SweepCase(string Id, SweepBlock Block, string Keyword, string Statement)
{
    /// <summary>How to read the value KeepSharp used, compared with the value keepalived logs (clamps, roundings).</summary>
    public SweepValueProbe? Probe { get; init; }

    /// <summary>An extra global_defs line the case needs (e.g. <c>vrrp_version 3</c>).</summary>
    public string? GlobalLine { get; init; }

    public string Config(string interfaceName) => BoundarySweepCases.Render(this, interfaceName);

    public override string ToString() => Id;
}

/// <summary>
/// The value keepalived logs for a clamped or rounded setting (first group of <see cref="KeepalivedPattern"/>) and the
/// value KeepSharp's model holds, both formatted as seconds with two decimals.
/// </summary>
public sealed record SweepValueProbe(string KeepalivedPattern, Func<KeepalivedConfig, string> KeepSharpValue);

/// <summary>The sweep's entry for one keyword: its boundary statements, or why it is not swept.</summary>
public sealed record SweepKeywordSpec(SweepBlock Block, string Keyword, IReadOnlyList<SweepCase> Cases, string? NotSweptReason = null);

/// <summary>
/// The generated boundary sweep over every keyword the loader parses: each keyword's values below its minimum,
/// at the minimum, at the maximum, above it, of the wrong kind or family, and over-long. Shared by the unit tier
/// (KeepSharp's <c>-t</c> verdict against keepalived's) and the integration tier (every accepted case starts and
/// resigns cleanly).
/// </summary>
public static class BoundarySweepCases
{
    /// <summary>The instance's virtual address (the start test checks it is installed and removed).</summary>
    public const string VirtualAddress = "192.168.251.1";

    public const string InterfacePlaceholder = "IFACE";

    /// <summary>A name longer than anything keepalived or the kernel keeps (IFNAMSIZ, PATH_MAX-sized buffers are larger).</summary>
    public static readonly string OverLong = new('a', 300);

    public static IReadOnlyList<SweepKeywordSpec> Specs { get; } = BuildSpecs();

    public static IEnumerable<SweepCase> All => Specs.SelectMany(s => s.Cases);

    public static SweepCase Find(string id) => All.Single(c => c.Id == id);

    private const string KeepSharpOwnKeyword =
        "KeepSharp's own (keepalived has no such keyword); covered by OperationsKeywordsTests";

    private const string NewerDumpKeyword =
        "arrived in keepalived after 2.2.7 (2.2.7 reports it as unknown); covered by GlobalDefsDumpKeywordTests";

    private static List<SweepKeywordSpec> BuildSpecs()
    {
        const SweepBlock G = SweepBlock.GlobalDefs, I = SweepBlock.VrrpInstance, S = SweepBlock.VrrpScript, Y = SweepBlock.VrrpSyncGroup;
        return
        [
            // global_defs
            Word(G, "router_id"),
            Timer(G, "vrrp_garp_master_delay", 0, 1000),
            Int(G, "vrrp_garp_master_repeat", 0, 10000),
            Timer(G, "vrrp_garp_master_refresh", 0, 100000),
            Int(G, "vrrp_garp_master_refresh_repeat", 0, 10000),
            Timer(G, "vrrp_garp_interval", 0, 1),
            Timer(G, "vrrp_gna_interval", 0, 1),
            Timer(G, "vrrp_garp_lower_prio_delay", 0, 1000),
            Int(G, "vrrp_garp_lower_prio_repeat", 0, 10000),
            Flag(G, "vrrp_strict"),
            Flag(G, "vrrp_skip_check_adv_addr"),
            Flag(G, "vrrp_check_unicast_src"),
            Int(G, "vrrp_version", 2, 3),
            Int(G, "vrrp_priority", -20, 19),
            Values(G, "vrrp_mcast_group4", "224.0.0.18", "224.0.0.19", "239.255.255.255", "10.0.0.1", "ff02::12", "224.0.0", "", OverLong),
            Values(G, "vrrp_mcast_group6", "ff02::12", "ff02::13", "fe80::1", "224.0.0.18", "ff02::g", ""),
            Flag(G, "enable_script_security"),
            Values(G, "script_user", "root", "root root", "nobody nogroup", "nosuchuser-ks", "root nosuchgroup-ks", ""),
            Values(G, "notification_email", "{\n        root@localhost\n    }", "{\n    }", "root@localhost"),
            Word(G, "notification_email_from"),
            Values(G, "smtp_server", "127.0.0.1", "127.0.0.1 25", "127.0.0.1 0", "127.0.0.1 65535", "127.0.0.1 65536", "::1", "localhost", ""),
            Word(G, "smtp_helo_name"),
            Timer(G, "smtp_connect_timeout", 0, 3600),
            Flag(G, "smtp_alert"),
            Values(G, "default_interface", InterfacePlaceholder, ""),
            Values(G, "dynamic_interfaces", "", "allow_if_changes"),
            Values(G, "vrrp_notify_fifo", "/tmp/keepsharp-sweep.fifo", ""),
            Values(G, "vrrp_notify_fifo_script", "/bin/true", "/bin/true arg", ""),
            Values(G, "notify_fifo", "/tmp/keepsharp-sweep-global.fifo", "/tmp/keepsharp-sweep-global.fifo root", ""),
            Values(G, "notify_fifo_script", "/bin/true", "\"/bin/true arg\"", ""),
            Flag(G, "vrrp_notify_priority_changes"),
            Int(G, "vrrp_down_timer_adverts", 1, 100),
            Flag(G, "vrrp_lower_prio_no_advert"),
            Flag(G, "vrrp_higher_prio_send_advert"),
            Spec(G, "vrrp_min_garp", [
                .. Statements("vrrp_min_garp", "", "on", "off", "maybe"),
                Case("vrrp_min_garp", "then-repeat-3", "vrrp_min_garp\n    vrrp_garp_master_repeat 3"),
            ]),
            Flag(G, "v3_checksum_as_v2"),
            new SweepKeywordSpec(G, "state_file_location", [], NewerDumpKeyword),
            new SweepKeywordSpec(G, "stats_file_location", [], NewerDumpKeyword),
            new SweepKeywordSpec(G, "json_file_location", [], NewerDumpKeyword),
            new SweepKeywordSpec(G, "state_dump_file", [], NewerDumpKeyword),
            new SweepKeywordSpec(G, "stats_dump_file", [], NewerDumpKeyword),
            new SweepKeywordSpec(G, "json_dump_file", [], NewerDumpKeyword),
            new SweepKeywordSpec(G, "json_version", [], NewerDumpKeyword),
            new SweepKeywordSpec(G, "metrics_listen", [], KeepSharpOwnKeyword),
            new SweepKeywordSpec(G, "control_socket", [], KeepSharpOwnKeyword),

            // vrrp_instance
            Spec(I, "state", [
                .. Statements("state", "MASTER", "BACKUP", "master", "FAULT", ""),
                Case("state", "master-then-backup", "state MASTER\n    state BACKUP"),
                Case("state", "unset-owner", "priority 255"), // without state the owner starts as MASTER
                Case("state", "nopreempt-backup", "state BACKUP\n    nopreempt"),
                Case("state", "nopreempt-backup-owner", "state BACKUP\n    nopreempt\n    priority 255"),
                Case("state", "nopreempt-backup-preempt-delay", "state BACKUP\n    nopreempt\n    preempt_delay 10"),
                Case("state", "strict_mode-backup", "state BACKUP\n    strict_mode"),
                Case("state", "strict_mode-backup-owner", "state BACKUP\n    strict_mode\n    priority 255"),
                Case("state", "strict_mode-backup-accept", "state BACKUP\n    strict_mode\n    accept"),
                Case("state", "strict_mode-backup-v3-accept", "state BACKUP\n    strict_mode\n    version 3\n    accept"),
                Case("state", "strict_mode-backup-preempt-delay", "state BACKUP\n    strict_mode\n    preempt_delay 5"),
                Case("state", "strict_mode-backup-down-timer", "state BACKUP\n    strict_mode\n    down_timer_adverts 4"),
                Case("state", "strict_mode-backup-lower-prio", "state BACKUP\n    strict_mode\n    lower_prio_no_advert off"),
                Case("state", "strict_mode-backup-higher-prio", "state BACKUP\n    strict_mode\n    higher_prio_send_advert"),
                Case("state", "strict_mode-backup-garp-lower-prio", "state BACKUP\n    strict_mode\n    garp_lower_prio_repeat 2"),
            ]),
            Values(I, "interface", InterfacePlaceholder, ""),
            Int(I, "virtual_router_id", 1, 255),
            Spec(I, "priority", [
                .. Statements("priority", "0", "1", "255", "256", "1.5", "x", ""),
                Case("priority", "unset-master", "advert_int 2"), // without priority an initial MASTER is the owner (255)
            ]),
            Spec(I, "advert_int", [
                .. Statements("advert_int", "0.009", "0.01", "1", "1.5", "255", "255.01", "256", "-1", "x", ""),
                Case("advert_int", "v3-0.01", "version 3\n    advert_int 0.01"),
                Case("advert_int", "v3-0.015", "version 3\n    advert_int 0.015"),
                Case("advert_int", "v3-40.95", "version 3\n    advert_int 40.95"),
                Case("advert_int", "v3-40.96", "version 3\n    advert_int 40.96") with { Probe = AdvertProbe(@"Setting to (\d+\.\d+)s") },
                Case("advert_int", "v3-100", "version 3\n    advert_int 100") with { Probe = AdvertProbe(@"Setting to (\d+\.\d+)s") },
                Case("advert_int", "v3-255", "version 3\n    advert_int 255") with { Probe = AdvertProbe(@"Setting to (\d+\.\d+)s") },
                Case("advert_int", "v3-global-100", "advert_int 100") with { GlobalLine = "vrrp_version 3", Probe = AdvertProbe(@"Setting to (\d+\.\d+)s") },
            ]),
            Int(I, "version", 2, 3),
            Values(I, "authentication",
                "{\n        auth_type PASS\n        auth_pass 1111\n    }",
                "{\n        auth_type PASS\n        auth_pass 12345678\n    }",
                "{\n        auth_type PASS\n        auth_pass 123456789\n    }",
                "{\n        auth_type AH\n        auth_pass 1111\n    }",
                "{\n        auth_type FOO\n        auth_pass 1111\n    }",
                "{\n        auth_type PASS\n    }",
                "{\n        auth_pass 1111\n    }",
                "{\n        auth_type\n    }",
                "{\n    }"),
            Spec(I, "nopreempt", [
                .. Statements("nopreempt", "", "x"),
            ]),
            Values(I, "preempt", "", "x"),
            Timer(I, "preempt_delay", 0, 1000),
            Spec(I, "virtual_ipaddress", [
                Case("virtual_ipaddress", "label-15", VipBlock($"{VirtualAddress}/24 label {InterfacePlaceholder}:{new string('l', 10)}")),
                Case("virtual_ipaddress", "label-16", VipBlock($"{VirtualAddress}/24 label {InterfacePlaceholder}:{new string('l', 11)}")),
                Case("virtual_ipaddress", "label-overlong", VipBlock($"{VirtualAddress}/24 label {OverLong}")),
                Case("virtual_ipaddress", "prefix-0", VipBlock($"{VirtualAddress}/0")),
                Case("virtual_ipaddress", "prefix-32", VipBlock($"{VirtualAddress}/32")),
                Case("virtual_ipaddress", "prefix-33", VipBlock($"{VirtualAddress}/33")),
                Case("virtual_ipaddress", "brd-plus", VipBlock($"{VirtualAddress}/24 brd +")),
                Case("virtual_ipaddress", "brd-v6", VipBlock($"{VirtualAddress}/24 brd ::1")),
                Case("virtual_ipaddress", "scope-255", VipBlock($"{VirtualAddress}/24 scope 255")),
                Case("virtual_ipaddress", "scope-256", VipBlock($"{VirtualAddress}/24 scope 256")),
                Case("virtual_ipaddress", "dev", VipBlock($"{VirtualAddress}/24 dev {InterfacePlaceholder}")),
                Case("virtual_ipaddress", "ipv6", VipBlock("fd00:251::1/64")),
                Case("virtual_ipaddress", "mixed-family", VipBlock($"{VirtualAddress}/24", "fd00:251::1/64")),
                Case("virtual_ipaddress", "two", VipBlock($"{VirtualAddress}/24", "192.168.251.2/24")),
                Case("virtual_ipaddress", "invalid", VipBlock("192.168.251.256")),
                Case("virtual_ipaddress", "empty", VipBlock()),
                Case("virtual_ipaddress", "brd-addr", VipBlock($"{VirtualAddress}/24 brd 192.168.251.255")),
                Case("virtual_ipaddress", "brd-minus", VipBlock($"{VirtualAddress}/24 brd -")),
                Case("virtual_ipaddress", "brd-bad", VipBlock($"{VirtualAddress}/24 brd 192.168.251.256")),
                Case("virtual_ipaddress", "scope-link", VipBlock($"{VirtualAddress}/24 scope link")),
                Case("virtual_ipaddress", "scope-bogus", VipBlock($"{VirtualAddress}/24 scope bogus")),
                Case("virtual_ipaddress", "label-dev", VipBlock($"{VirtualAddress}/24 dev {InterfacePlaceholder} label {InterfacePlaceholder}:1")),
                Case("virtual_ipaddress", "peer", VipBlock($"{VirtualAddress} peer 192.168.251.50")),
                Case("virtual_ipaddress", "peer-prefix", VipBlock($"{VirtualAddress} peer 192.168.251.50/24")),
                Case("virtual_ipaddress", "prefix-peer", VipBlock($"{VirtualAddress}/24 peer 192.168.251.50")),
                Case("virtual_ipaddress", "brd-plus-31", VipBlock($"{VirtualAddress}/31 brd +")),
                Case("virtual_ipaddress", "peer-brd", VipBlock($"{VirtualAddress} peer 192.168.251.50 brd 192.168.251.255")),
                Case("virtual_ipaddress", "no_track", VipBlock($"{VirtualAddress}/24 no_track")),
                Case("virtual_ipaddress", "ipv6-nodad-home", VipBlock("fd00:251::1/64 nodad home")),
                Case("virtual_ipaddress", "ipv6-link-local", VipBlock($"fe80::51/64 dev {InterfacePlaceholder} scope link", "fd00:251::1/64")),
                Case("virtual_ipaddress", "ipv6-global-v2", VipBlock("fd00:251::1/64")) with { GlobalLine = "vrrp_version 2" },
                Case("virtual_ipaddress", "ipv6-version-2", "version 2\n    " + VipBlock("fd00:251::1/64")),
                Case("virtual_ipaddress", "ipv6-version-2-strict", "version 2\n    strict_mode\n    priority 255\n    " + VipBlock("fe80::51/64", "fd00:251::1/64")),
                Case("virtual_ipaddress", "ipv6-strict-global-first", "strict_mode\n    priority 255\n    " + VipBlock("fd00:251::1/64", "fe80::51/64")),
                Case("virtual_ipaddress", "empty-v3", "version 3\n    " + VipBlock()),
                Case("virtual_ipaddress", "unknown-option", VipBlock($"{VirtualAddress}/24 sideways")),
            ]),
            new(I, "virtual_ipaddress_excluded", [], "owned by the excluded-address runtime work (issue 6, other half); swept there"),
            Values(I, "track_script", "{\n        chk\n    }", "{\n        chk weight 254\n    }", "{\n        chk weight 255\n    }",
                "{\n        chk weight -254\n    }", "{\n        chk weight -255\n    }", "{\n        chk weight 10 reverse\n    }", "{\n        nosuch\n    }"),
            Values(I, "track_interface", $"{{\n        {InterfacePlaceholder}\n    }}", $"{{\n        {InterfacePlaceholder} weight 254\n    }}",
                $"{{\n        {InterfacePlaceholder} weight 255\n    }}", $"{{\n        {InterfacePlaceholder} weight -255\n    }}"),
            Values(I, "track_file", "{\n        tf\n    }", "{\n        tf weight 254\n    }", "{\n        tf weight 255\n    }",
                "{\n        tf weight -254 noreverse\n    }", "{\n        tf weight 2 sideways\n    }", "{\n        tf\n        tf\n    }",
                "{\n        tf colour\n    }"), // an undeclared name crashes keepalived 2.2.7 -t (SIGSEGV): see TrackerConfigTests
            Values(I, "track_process", "{\n        tp\n    }", "{\n        tp weight 254 reverse\n    }", "{\n        tp weight -255\n    }",
                "{\n        tp weight\n    }", "{\n        nosuch\n    }"),
            Timer(I, "garp_master_delay", 0, 1000),
            Int(I, "garp_master_repeat", 0, 10000),
            Timer(I, "garp_master_refresh", 0, 100000),
            Int(I, "garp_master_refresh_repeat", 0, 10000),
            Values(I, "mcast_src_ip", "192.168.251.9", "fd00:251::9", "192.168.251.256", ""),
            Values(I, "unicast_src_ip", "192.168.251.9", "fd00:251::9", "192.168.251.256", ""),
            Spec(I, "unicast_peer", [
                .. Statements("unicast_peer", "{\n        192.168.251.2\n    }", "{\n        fd00:251::2\n    }", "{\n        192.168.251.256\n    }",
                    "{\n        192.168.251.2 min_ttl 0 max_ttl 255\n    }", "{\n        192.168.251.2 min_ttl 256\n    }",
                    "{\n        192.168.251.2 max_ttl -1\n    }", "{\n        192.168.251.2 min_ttl 10 max_ttl 5\n    }",
                    "{\n        192.168.251.2 hops 1\n    }", "{\n        192.168.251.2 min_ttl\n    }", "{\n    }"),
                Case("unicast_peer", "peer-is-src", "unicast_src_ip 192.168.251.9\n    unicast_peer {\n        192.168.251.9\n    }"),
                Case("unicast_peer", "strict", "unicast_peer {\n        192.168.251.2\n    }\n    priority 255") with { GlobalLine = "vrrp_strict" },
                Case("unicast_peer", "vmac", "unicast_peer {\n        192.168.251.2\n    }\n    use_vmac"),
                Case("unicast_peer", "vmac-xmit-base", "unicast_peer {\n        192.168.251.2\n    }\n    use_vmac\n    vmac_xmit_base"),
            ]),
            WithPeers(I, "unicast_ttl", "0", "255", "256", "-1", "x", ""),
            WithPeers(I, "check_unicast_src", "", "x"),
            Values(I, "unicast_fault_no_peer", "", "x"),
            WithPeers(I, "old_unicast_checksum", "", "never", "always"),
            Flag(I, "v3_checksum_as_v2"),
            Int(I, "garp_lower_prio_delay", 0, 4294),
            Int(I, "garp_lower_prio_repeat", 0, int.MaxValue),
            Flag(I, "lower_prio_no_advert"),
            Flag(I, "higher_prio_send_advert"),
            Int(I, "down_timer_adverts", 1, 100),
            Labelled(I, "virtual_routes",
                ("dev", Block($"192.168.253.0/24 dev {InterfacePlaceholder}")),
                ("via-table-metric-scope-onlink", Block($"192.168.253.0/24 via 192.168.251.254 dev {InterfacePlaceholder} table 100 metric 10 scope global onlink")),
                ("src-default-main", Block($"src 192.168.251.1 default via 192.168.251.254 dev {InterfacePlaceholder} table main")),
                ("to-protocol-keepalived", Block($"to 192.168.253.0/24 dev {InterfacePlaceholder} protocol keepalived")),
                ("protocol-static", Block($"192.168.253.0/24 dev {InterfacePlaceholder} protocol static")),
                ("blackhole", Block("blackhole 192.168.253.0/24 no_track")),
                ("unreachable", Block("unreachable 192.168.253.0/24 no_track")),
                ("no-dev", Block("192.168.253.0/24 via 192.168.251.254")),
                ("gw", Block($"192.168.253.0/24 gw 192.168.251.254 dev {InterfacePlaceholder}")),
                ("or", Block($"192.168.253.0/24 via 192.168.251.254 or 192.168.251.253 dev {InterfacePlaceholder}")),
                ("ipv6", Block($"fd00:253::/64 dev {InterfacePlaceholder}")),
                ("prefix-33", Block($"192.168.253.0/33 dev {InterfacePlaceholder}")),
                ("mixed-family", Block($"192.168.253.0/24 via fd00::1 dev {InterfacePlaceholder}")),
                ("scope-256", Block($"192.168.253.0/24 dev {InterfacePlaceholder} scope 256")),
                ("metric-2^32", Block($"192.168.253.0/24 dev {InterfacePlaceholder} metric 4294967296")),
                ("table-name", Block($"192.168.253.0/24 dev {InterfacePlaceholder} table nosuchtable")),
                ("mtu", Block($"192.168.253.0/24 dev {InterfacePlaceholder} mtu 1400")),
                ("bogus", Block($"192.168.253.0/24 dev {InterfacePlaceholder} bogus")),
                ("no-destination", Block($"dev {InterfacePlaceholder}")),
                ("empty", "{\n    }")),
            Labelled(I, "virtual_rules",
                ("from-table-priority", Block("from 192.168.251.0/24 table 100 priority 100")),
                ("to-lookup-preference", Block("to 192.168.251.0/24 lookup main preference 200")),
                ("fwmark-mask", Block("from all fwmark 0x10/0xff table 100 priority 100")),
                ("iif-oif-tos", Block($"from 192.168.251.0/24 iif {InterfacePlaceholder} oif {InterfacePlaceholder} tos 16 table 100 priority 100")),
                ("goto", Block("from 192.168.251.0/24 goto 200 priority 100")),
                ("goto-backwards", Block("from 192.168.251.0/24 goto 50 priority 100")),
                ("goto-no-priority", Block("from 192.168.251.0/24 goto 200")),
                ("blackhole", Block("from 192.168.251.0/24 blackhole priority 100")),
                ("ipv6", Block("from fd00:251::/64 table 100 priority 100")),
                ("mixed-family", Block("from 192.168.251.0/24 to fd00::/64 table 100 priority 100")),
                ("no-priority", Block("from 192.168.251.0/24 table 100")),
                ("no-action", Block("from 192.168.251.0/24 priority 100")),
                ("two-actions", Block("from 192.168.251.0/24 table 100 blackhole priority 100")),
                ("tos-256", Block("from 192.168.251.0/24 tos 256 table 100 priority 100")),
                ("pref", Block("from 192.168.251.0/24 table 100 pref 100")),
                ("uidrange", Block("from 192.168.251.0/24 table 100 priority 100 uidrange 1-2")),
                ("bogus", Block("from 192.168.251.0/24 table 100 priority 100 bogus")),
                ("empty", "{\n    }")),
            Values(I, "vmac_xmit_base", "", "x"),
            Values(I, "use_vmac_addr", "", "x"),
            Values(I, "dont_track_primary", ""),
            Flag(I, "skip_check_adv_addr"),
            Values(I, "use_vmac", "", "vrrp.51", "vrrp." + new string('v', 11), "vrrp." + new string('v', 12)),
            Values(I, "accept", ""),
            Values(I, "no_accept", ""),
            Spec(I, "strict_mode", [
                .. Statements("strict_mode", "", "on", "off", "maybe"),
                Case("strict_mode", "owner", "strict_mode\n    priority 255"),
                Case("strict_mode", "owner-auth", "strict_mode\n    priority 255\n    authentication {\n        auth_type PASS\n        auth_pass 1111\n    }"),
                Case("strict_mode", "global-owner", "priority 255") with { GlobalLine = "vrrp_strict" },
            ]),
            Notify(I, "notify"),
            Notify(I, "notify_master"),
            Notify(I, "notify_backup"),
            Notify(I, "notify_fault"),
            Notify(I, "notify_stop"),
            Notify(I, "notify_master_rx_lower_pri"),
            Flag(I, "notify_priority_changes"),

            // vrrp_script
            Values(S, "script", "\"/bin/true\"", "\"/bin/true arg\"", "/bin/true", ""),
            Timer(S, "interval", 0, 86400),
            Timer(S, "timeout", 0, 86400),
            Values(S, "weight", "-254", "-253", "0", "253", "254", "10 reverse", "x", ""),
            Int(S, "rise", 1, int.MaxValue),
            Int(S, "fall", 1, int.MaxValue),
            Values(S, "user", "root", "root root", "nobody nogroup", "nosuchuser-ks", ""),
            Values(S, "init_fail", "", "x"),

            // vrrp_sync_group
            Values(Y, "group", "{\n        VI_1\n        VI_2\n    }", "{\n        VI_1\n    }", "{\n        VI_1\n        VI_9\n    }", "{\n    }"),
            Values(Y, "track_script", "{\n        chk\n    }", "{\n        chk weight 254\n    }", "{\n        chk weight 255\n    }", "{\n        nosuch\n    }"),
            Values(Y, "track_interface", $"{{\n        {InterfacePlaceholder}\n    }}", "{\n        lo\n    }", "{\n        lo weight 254\n    }",
                "{\n        lo weight 255\n    }", "{\n        lo weight -20 reverse\n    }"),
            Values(Y, "track_file", "{\n        tf\n    }", "{\n        tf weight 0\n    }", "{\n        tf weight 300\n    }"),
            Values(Y, "track_process", "{\n        tp\n    }", "{\n        tp weight 10\n    }", "{\n        nosuch\n    }"),
            Values(Y, "sync_group_tracking_weight", ""),
            Notify(Y, "notify"),
            Notify(Y, "notify_master"),
            Notify(Y, "notify_backup"),
            Notify(Y, "notify_fault"),
            Notify(Y, "notify_stop"),
            Flag(Y, "notify_priority_changes"),
        ];
    }

    // ---- rendering ----

    /// <summary>
    /// A valid base configuration (keepalived -t exit 0) with the case's statement written into its block. A base line
    /// with the swept keyword is left out, so a missing or bad value is not masked by the base's good one.
    /// </summary>
    public static string Render(SweepCase sweepCase, string interfaceName)
    {
        string Lines(SweepBlock block, params string[] baseLines) => string.Join("\n", baseLines
            .Where(l => sweepCase.Block != block || l.Split(' ')[0] != sweepCase.Keyword)
            .Append(sweepCase.Block == block ? sweepCase.Statement : "")
            .Select(l => "    " + l));

        string globals = Lines(SweepBlock.GlobalDefs, "router_id sweep", "enable_script_security", "script_user root")
            + (sweepCase.GlobalLine is { } extra ? "\n    " + extra : "");
        string script = Lines(SweepBlock.VrrpScript, "script \"/bin/true\"", "interval 1");
        string instance = Lines(SweepBlock.VrrpInstance, "state MASTER", $"interface {InterfacePlaceholder}", "virtual_router_id 51",
            "priority 100", "advert_int 1");
        string vip = sweepCase.Block == SweepBlock.VrrpInstance && sweepCase.Keyword == "virtual_ipaddress"
            ? "" : "    " + VipBlock(VirtualAddress + "/24");
        string syncGroup = sweepCase.Block != SweepBlock.VrrpSyncGroup ? "" : $$"""
            vrrp_instance VI_2 {
                state BACKUP
                interface {{InterfacePlaceholder}}
                virtual_router_id 52
                priority 50
                advert_int 1
                virtual_ipaddress {
                    192.168.252.1/24
                }
            }
            vrrp_sync_group G1 {
            {{Lines(SweepBlock.VrrpSyncGroup, "group {\n        VI_1\n        VI_2\n    }")}}
            }

            """;

        // The trackers an instance's or group's track_file/track_process entry names, declared before the instances.
        // The tracked process is the daemon itself (its comm is "keepsharp"), so the start half finds it running
        // and the instance can become master; a missing process would rightly hold it in FAULT.
        string trackers = sweepCase.Keyword is not ("track_file" or "track_process") ? "" : """
            track_file tf {
                file /tmp/keepsharp-sweep-track-file
            }
            vrrp_track_process tp {
                process keepsharp
            }

            """;
        string text = $$"""
            global_defs {
            {{globals}}
            }
            {{trackers}}
            vrrp_script chk {
            {{script}}
            }
            vrrp_instance VI_1 {
            {{instance}}
            {{vip}}
            }
            {{syncGroup}}
            """;
        return text.Replace(InterfacePlaceholder, interfaceName, StringComparison.Ordinal);
    }

    /// <summary>Block values with readable case labels.</summary>
    private static SweepKeywordSpec Labelled(SweepBlock block, string keyword, params (string Label, string Value)[] values) =>
        Spec(block, keyword, values.Select(v => Case(keyword, v.Label, keyword + " " + v.Value)));

    /// <summary>A one-line block value (virtual_routes, virtual_rules).</summary>
    private static string Block(string line) => "{\n        " + line + "\n    }";

    private static string VipBlock(params string[] addresses) =>
        "virtual_ipaddress {\n" + string.Concat(addresses.Select(a => $"        {a}\n")) + "    }";

    // ---- spec builders ----

    private static SweepCase Case(string keyword, string label, string statement) => new($"{keyword}[{label}]", default, keyword, statement);

    private static IEnumerable<SweepCase> Statements(string keyword, params string[] values) =>
        values.Select(v => Case(keyword, v.Length > 40 ? $"overlong-{v.Length}" : v.Replace('\n', ' '), (keyword + " " + v).TrimEnd()));

    private static SweepKeywordSpec Spec(SweepBlock block, string keyword, IEnumerable<SweepCase> cases) =>
        new(block, keyword, cases.Select(c => c with { Id = $"{BlockName(block)}.{c.Id}", Block = block }).ToList());

    private static SweepKeywordSpec Values(SweepBlock block, string keyword, params string[] values) =>
        Spec(block, keyword, Statements(keyword, values));

    private static SweepKeywordSpec Int(SweepBlock block, string keyword, long min, long max) =>
        Values(block, keyword, Num(min - 1), Num(min), Num(max), Num(max + 1), "1.5", "x", "");

    private static SweepKeywordSpec Timer(SweepBlock block, string keyword, double min, double max) =>
        Values(block, keyword, Num(min - 1), Num(min), "0.000001", Num(max), Num(max + 0.5), "x", "");

    /// <summary>The keyword's values alone and, as keepalived checks some only with peers, after a unicast_peer block.</summary>
    private static SweepKeywordSpec WithPeers(SweepBlock block, string keyword, params string[] values) =>
        Spec(block, keyword, [
            .. Statements(keyword, values),
            .. values.Select(v => Case(keyword, "peers-" + (v.Length == 0 ? "none" : v),
                "unicast_peer {\n        192.168.251.2\n    }\n    " + (keyword + " " + v).TrimEnd())),
        ]);

    private static SweepKeywordSpec Flag(SweepBlock block, string keyword) => Values(block, keyword, "", "on", "off", "maybe");

    private static SweepKeywordSpec Word(SweepBlock block, string keyword) => Values(block, keyword, "value-1", OverLong, "");

    private static SweepKeywordSpec Notify(SweepBlock block, string keyword) =>
        Values(block, keyword, "/bin/true", "\"/bin/true arg\"", "/nonexistent/keepsharp-notify", "");

    private static SweepValueProbe AdvertProbe(string pattern) => new(pattern,
        config => config.VrrpInstances.Single(i => i.Name == "VI_1").AdvertInterval.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture));

    private static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The block's keyword, as the loader's keyword tables name it.</summary>
    public static string BlockName(SweepBlock block) => block switch
    {
        SweepBlock.GlobalDefs => "global_defs",
        SweepBlock.VrrpInstance => "vrrp_instance",
        SweepBlock.VrrpScript => "vrrp_script",
        _ => "vrrp_sync_group",
    };
}
