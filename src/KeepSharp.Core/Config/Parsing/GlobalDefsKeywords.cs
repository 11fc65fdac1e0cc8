using System.Net;
using System.Net.Sockets;
using static KeepSharp.Config.Parsing.ValueParsers;

namespace KeepSharp.Config.Parsing;

/// <summary>Keywords of <c>global_defs</c>.</summary>
internal static class GlobalDefsKeywords
{
    public static KeywordTable<ConfigBuilder> Table { get; } = new KeywordTable<ConfigBuilder>("global_defs")
        .On("router_id", (c, b, s) => { if (TryArg(c, s, out var v)) { b.GlobalDefs.RouterId = v; } })
        .On("vrrp_garp_master_delay", (c, b, s) => { if (TryTimer(c, s, 0, 1000, out var v)) { b.GlobalDefs.VrrpGarpMasterDelay = v; } })
        .On("vrrp_garp_master_repeat", (c, b, s) => { if (TryRepeat(c, s, out var v)) { b.GlobalDefs.VrrpGarpMasterRepeat = v; } })
        .On("vrrp_garp_master_refresh", (c, b, s) => { if (TryTimer(c, s, 0, 100000, out var v)) { b.GlobalDefs.VrrpGarpMasterRefresh = v; } })
        .On("vrrp_garp_master_refresh_repeat", (c, b, s) => { if (TryRepeat(c, s, out var v)) { b.GlobalDefs.VrrpGarpMasterRefreshRepeat = v; } })
        .On("vrrp_garp_interval", (c, b, s) => { if (TryTimer(c, s, 0, 4294, out var v, minExclusive: true)) { b.GlobalDefs.VrrpGarpInterval = v; } })
        .On("vrrp_gna_interval", (c, b, s) => { if (TryTimer(c, s, 0, 4294, out var v, minExclusive: true)) { b.GlobalDefs.VrrpGnaInterval = v; } })
        .On("vrrp_garp_lower_prio_delay", (c, b, s) => { if (TryTimer(c, s, 0, 1000, out var v)) { b.GlobalDefs.VrrpGarpLowerPrioDelay = v; } })
        .On("vrrp_garp_lower_prio_repeat", (c, b, s) => { if (TryInt(c, s, 0, int.MaxValue, out var v)) { b.GlobalDefs.VrrpGarpLowerPrioRepeat = v; } })
        .On("vrrp_down_timer_adverts", (c, b, s) => { if (TryInt(c, s, 1, 100, out var v)) { b.GlobalDefs.VrrpDownTimerAdverts = v; } })
        .On("vrrp_lower_prio_no_advert", (c, b, s) => { if (TryFlag(c, s, out var v)) { b.GlobalDefs.VrrpLowerPrioNoAdvert = v; } })
        .On("vrrp_higher_prio_send_advert", (c, b, s) => { if (TryFlag(c, s, out var v)) { b.GlobalDefs.VrrpHigherPrioSendAdvert = v; } })
        .On("vrrp_min_garp", VrrpMinGarp)
        .On("v3_checksum_as_v2", (c, b, s) => { if (TryFlag(c, s, out var v)) { b.GlobalDefs.V3ChecksumAsV2 = v; } })
        .On("vrrp_strict", (c, b, s) => b.GlobalDefs.VrrpStrict = true) // keepalived ignores any argument
        .On("vrrp_skip_check_adv_addr", (c, b, s) => b.GlobalDefs.VrrpSkipCheckAdvAddr = true) // keepalived ignores any argument
        .On("vrrp_check_unicast_src", (c, b, s) => b.GlobalDefs.VrrpCheckUnicastSrc = true) // keepalived ignores any argument
        .On("vrrp_version", (c, b, s) => { if (TryInt(c, s, 2, 3, out var v)) { b.GlobalDefs.VrrpVersion = v; } })
        .On("vrrp_priority", (c, b, s) => { if (TryInt(c, s, -20, 19, out var v)) { b.GlobalDefs.VrrpPriority = v; } })
        .On("vrrp_mcast_group4", (c, b, s) =>
        {
            if (TryMulticastGroup(c, s, AddressFamily.InterNetwork, out var group))
            {
                b.GlobalDefs.VrrpMcastGroup4 = group;
                b.GlobalDefs.VrrpMcastGroup4Location = s.Location;
            }
        })
        .On("vrrp_mcast_group6", (c, b, s) =>
        {
            if (TryMulticastGroup(c, s, AddressFamily.InterNetworkV6, out var group))
            {
                b.GlobalDefs.VrrpMcastGroup6 = group;
                b.GlobalDefs.VrrpMcastGroup6Location = s.Location;
            }
        })
        .On("enable_script_security", (c, b, s) => b.GlobalDefs.EnableScriptSecurity = true) // keepalived ignores any argument
        .On("script_user", (c, b, s) =>
        {
            if (TryArg(c, s, out var user))
            {
                b.GlobalDefs.ScriptUser = user;
                b.GlobalDefs.ScriptGroup = s.Args.Count > 1 ? s.Args[1].Text : null;
            }
        })
        .On("notification_email", (c, b, s) =>
        {
            if (BlockHelpers.TryBlock(c, s, out _))
            {
                b.NotificationEmail.AddRange(BlockHelpers.ListEntries(s).Select(e => e.Name));
                if (!BlockHelpers.ListEntries(s).Any())
                {
                    c.Warning(s.Location, "empty notification_email block");
                }
            }
        })
        .On("notification_email_from", (c, b, s) => { if (TryArg(c, s, out var v)) { b.GlobalDefs.NotificationEmailFrom = v; } })
        .On("smtp_server", (c, b, s) =>
        {
            if (TryArg(c, s, out var server))
            {
                b.GlobalDefs.SmtpServer = server;
                if (s.Args.Count > 1 && TryInt(c, s, 1, 65535, out var port, 1)) { b.GlobalDefs.SmtpServerPort = port; }
            }
        })
        .On("smtp_helo_name", (c, b, s) => b.GlobalDefs.SmtpHeloName = s.Args.Count > 0 ? s.Args[0].Text : null) // keepalived takes it bare
        .On("smtp_connect_timeout", (c, b, s) => { if (TryTimer(c, s, 0, 3600, out var v, minExclusive: true)) { b.GlobalDefs.SmtpConnectTimeout = v; } })
        .On("smtp_alert", (c, b, s) => { if (TryFlag(c, s, out var v)) { b.GlobalDefs.SmtpAlert = v; } })
        .On("default_interface", (c, b, s) => { if (TryArg(c, s, out var v)) { b.GlobalDefs.DefaultInterface = v; } })
        .On("dynamic_interfaces", (c, b, s) => b.GlobalDefs.DynamicInterfaces = true)
        .On("notify_fifo", (c, b, s) => NotifyLineParsers.Fifo(c, s, "", b.GlobalDefs.NotifyFifo, f => b.GlobalDefs.NotifyFifo = f))
        .On("notify_fifo_script", (c, b, s) => NotifyLineParsers.FifoScript(c, s, "", b.GlobalDefs.NotifyFifoScript, l => b.GlobalDefs.NotifyFifoScript = l))
        .On("vrrp_notify_fifo", (c, b, s) => NotifyLineParsers.Fifo(c, s, "vrrp_", b.GlobalDefs.VrrpNotifyFifo, f => b.GlobalDefs.VrrpNotifyFifo = f))
        .On("vrrp_notify_fifo_script", (c, b, s) => NotifyLineParsers.FifoScript(c, s, "vrrp_", b.GlobalDefs.VrrpNotifyFifoScript, l => b.GlobalDefs.VrrpNotifyFifoScript = l))
        .On("vrrp_notify_priority_changes", (c, b, s) => { if (TryFlag(c, s, out var v)) { b.GlobalDefs.VrrpNotifyPriorityChanges = v; } })
        .On("state_file_location", (c, b, s) => DumpFile(c, s, v => b.GlobalDefs.StateFileLocation = v))
        .On("stats_file_location", (c, b, s) => DumpFile(c, s, v => b.GlobalDefs.StatsFileLocation = v))
        .On("json_file_location", (c, b, s) => DumpFile(c, s, v => b.GlobalDefs.JsonFileLocation = v))
        .On("state_dump_file", (c, b, s) => DumpFile(c, s, v => b.GlobalDefs.StateFileLocation = v))
        .On("stats_dump_file", (c, b, s) => DumpFile(c, s, v => b.GlobalDefs.StatsFileLocation = v))
        .On("json_dump_file", (c, b, s) => DumpFile(c, s, v => b.GlobalDefs.JsonFileLocation = v))
        .On("json_version", JsonVersion)
        .On("metrics_listen", OperationsKeywords.MetricsListen) // KeepSharp's own: the Prometheus endpoint
        .On("control_socket", OperationsKeywords.ControlSocket) // KeepSharp's own: keepsharp status / reload / garp
        .Ignore(
            // Accepted, not modelled (keepalived.conf(5) global_defs vocabulary).
            "lvs_id", "bfd_cpu_affinity", "bfd_no_swap", "bfd_priority", "bfd_process_name", "bfd_rlimit_rttime",
            "bfd_rt_priority", "checker_cpu_affinity", "checker_log_all_failures", "checker_no_swap", "checker_priority",
            "checker_process_name", "checker_rlimit_rttime", "checker_rt_priority", "config_save_dir", "data_use_instance",
            "dbus_service_name", "disable_local_igmp", "enable_dbus", "enable_snmp_checker", "enable_snmp_rfc",
            "enable_snmp_rfcv2", "enable_snmp_rfcv3", "enable_snmp_vrrp", "enable_snmp_keepalived", "enable_traps",
            "fifo_write_vrrp_states_on_reload", "include_check", "log_unknown_vrids", "lvs_flush", "lvs_flush_on_stop",
            "lvs_netlink_cmd_rcv_bufs", "lvs_netlink_cmd_rcv_bufs_force", "lvs_netlink_monitor_rcv_bufs",
            "lvs_netlink_monitor_rcv_bufs_force", "lvs_notify_fifo", "lvs_notify_fifo_script", "lvs_sync_daemon",
            "lvs_timeouts", "max_auto_priority", "min_auto_priority_delay", "nftables", "nftables_counters",
            "nftables_ifindex", "nftables_ipvs", "nftables_ipvs_priority", "nftables_ipvs_start_fwmark", "nftables_priority",
            "no_checker_emails", "no_email_faults", "process_monitor_rcv_bufs",
            "process_monitor_rcv_bufs_force", "process_name", "process_names", "random_seed", "reload_check_config",
            "reload_file", "reload_repeat", "reload_time_file", "rs_init_notifies", "shutdown_script",
            "shutdown_script_timeout", "smtp_alert_checker", "smtp_alert_vrrp", "snmp_socket", "startup_script",
            "startup_script_timeout", "tmp_config_directory", "umask", "vmac_addr_prefix", "vmac_prefix", "vrrp_cpu_affinity",
            "vrrp_garp_extra_if", "vrrp_ipsets", "vrrp_iptables", "vrrp_netlink_cmd_rcv_bufs", "vrrp_netlink_cmd_rcv_bufs_force",
            "vrrp_netlink_monitor_rcv_bufs", "vrrp_netlink_monitor_rcv_bufs_force", "vrrp_no_swap",
            "vrrp_process_name", "vrrp_rlimit_rttime", "vrrp_rt_priority",
            "vrrp_rx_bufs_multiplier", "vrrp_rx_bufs_policy", "vrrp_startup_delay", "net_namespace", "net_namespace_ipvs",
            "namespace_with_ipsets", "instance", "use_pid_dir", "linkbeat_use_polling", "child_wait_time", "vrrp_iptables",
            "vrrp_garp_extra_if_vmac");

    /// <summary>
    /// <c>vrrp_min_garp [BOOL]</c> (keepalived global_parser.c): one gratuitous ARP/NA and no repeats. keepalived lowers
    /// each GARP default that still holds its built-in value (master repeat 5 to 1, refresh repeat 1 to 0, master delay
    /// 5 s to 0), so a value set before, other than the default, stays, and one set after overrides it.
    /// </summary>
    private static void VrrpMinGarp(ParseContext context, ConfigBuilder builder, ConfigStatement statement)
    {
        if (!TryFlag(context, statement, out var on) || !on)
        {
            return;
        }

        var g = builder.GlobalDefs;
        g.VrrpMinGarp = true;
        var defaults = new GlobalDefs();
        if (g.VrrpGarpMasterRepeat == defaults.VrrpGarpMasterRepeat) { g.VrrpGarpMasterRepeat = 1; }
        if (g.VrrpGarpMasterRefreshRepeat == defaults.VrrpGarpMasterRefreshRepeat) { g.VrrpGarpMasterRefreshRepeat = 0; }
        if (g.VrrpGarpMasterDelay == defaults.VrrpGarpMasterDelay) { g.VrrpGarpMasterDelay = TimeSpan.Zero; }
    }

    /// <summary>
    /// <c>state_file_location PATH</c> and its kin (keepalived.conf(5); keepalived's parser reads them as
    /// <c>state_dump_file</c>, <c>stats_dump_file</c>, <c>json_dump_file</c>): exactly one non-empty path, else
    /// "requires a non-empty path" and the keyword is skipped (global_parser.c state_dump_file_handler).
    /// </summary>
    private static void DumpFile(ParseContext context, ConfigStatement statement, Action<string> set)
    {
        if (statement.Args.Count != 1 || statement.Args[0].Text.Length == 0)
        {
            context.Warning(statement.Location, $"{statement.Name} requires a non-empty path");
            return;
        }

        set(statement.Args[0].Text);
    }

    /// <summary><c>json_version 1|2</c> (global_parser.c json_version_handler).</summary>
    private static void JsonVersion(ParseContext context, ConfigBuilder builder, ConfigStatement statement)
    {
        if (statement.Args.Count < 1)
        {
            context.Warning(statement.Location, $"{statement.Name} requires version");
            return;
        }

        if (statement.Args.Count != 1 || !int.TryParse(statement.Args[0].Text, System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out int version) || version is < 1 or > 2)
        {
            context.Warning(statement.Location, "Invalid JSON version");
            return;
        }

        builder.GlobalDefs.JsonVersion = version;
    }

    /// <summary>
    /// A multicast group of one family; keepalived skips (and fails <c>-t</c> for) a group of the other family
    /// or a unicast address.
    /// </summary>
    private static bool TryMulticastGroup(ParseContext context, ConfigStatement statement, AddressFamily family, out IPAddress group)
    {
        if (!TryIp(context, statement, out group))
        {
            return false;
        }

        string familyName = family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
        if (group.AddressFamily != family)
        {
            context.Warning(statement.Location, $"{statement.Name} [{group}] is not {familyName} - skipped");
            return false;
        }

        bool multicast = family == AddressFamily.InterNetwork ? group.GetAddressBytes()[0] >> 4 == 0xE : group.IsIPv6Multicast;
        if (!multicast)
        {
            context.Warning(statement.Location, $"{statement.Name} [{group}] is not multicast - skipped");
            return false;
        }

        return true;
    }
}
