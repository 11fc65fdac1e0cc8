using System.Net;

namespace KeepSharp.Config;

/// <summary>The <c>global_defs</c> block (the VRRP-relevant parts, plus cheap extras).</summary>
public sealed class GlobalDefs
{
    public static readonly IPAddress DefaultMcastGroup4 = IPAddress.Parse("224.0.0.18");
    public static readonly IPAddress DefaultMcastGroup6 = IPAddress.Parse("ff02::12");

    public string? RouterId { get; set; }

    public TimeSpan VrrpGarpMasterDelay { get; set; } = TimeSpan.FromSeconds(5);

    public int VrrpGarpMasterRepeat { get; set; } = 5;

    public TimeSpan VrrpGarpMasterRefresh { get; set; } = TimeSpan.Zero;

    public int VrrpGarpMasterRefreshRepeat { get; set; } = 1;

    public TimeSpan VrrpGarpInterval { get; set; } = TimeSpan.Zero;

    public TimeSpan VrrpGnaInterval { get; set; } = TimeSpan.Zero;

    public TimeSpan VrrpGarpLowerPrioDelay { get; set; } = TimeSpan.FromSeconds(5);

    public int VrrpGarpLowerPrioRepeat { get; set; } = 5;

    public bool VrrpStrict { get; set; }

    /// <summary>keepalived's VRRP_DOWN_TIMER_ADVERTS (RFC 5798 6.1: the master is down after 3 missed adverts).</summary>
    public const int DefaultDownTimerAdverts = 3;

    /// <summary><c>vrrp_down_timer_adverts</c> (1..100): the default of the instances' <c>down_timer_adverts</c>.</summary>
    public int VrrpDownTimerAdverts { get; set; } = DefaultDownTimerAdverts;

    /// <summary><c>vrrp_lower_prio_no_advert</c>: the default of the instances' <c>lower_prio_no_advert</c>.</summary>
    public bool VrrpLowerPrioNoAdvert { get; set; }

    /// <summary><c>vrrp_higher_prio_send_advert</c>: the default of the instances' <c>higher_prio_send_advert</c>.</summary>
    public bool VrrpHigherPrioSendAdvert { get; set; }

    /// <summary><c>vrrp_min_garp</c>: set; keepalived then lowers the GARP defaults not yet set (repeat 1, refresh 0, refresh repeat 0, delay 0).</summary>
    public bool VrrpMinGarp { get; set; }

    /// <summary><c>v3_checksum_as_v2</c> (keepalived after 2.2.7): the default of the instances' <c>v3_checksum_as_v2</c>.</summary>
    public bool V3ChecksumAsV2 { get; set; }

    public bool VrrpSkipCheckAdvAddr { get; set; }

    public bool VrrpCheckUnicastSrc { get; set; }

    public int VrrpVersion { get; set; } = 2;

    public IPAddress VrrpMcastGroup4 { get; set; } = DefaultMcastGroup4;

    /// <summary>Where <c>vrrp_mcast_group4</c> was set; null when the default group is used.</summary>
    public ConfigLocation? VrrpMcastGroup4Location { get; set; }

    public IPAddress VrrpMcastGroup6 { get; set; } = DefaultMcastGroup6;

    /// <summary>Where <c>vrrp_mcast_group6</c> was set; null when the default group is used.</summary>
    public ConfigLocation? VrrpMcastGroup6Location { get; set; }

    public int? VrrpPriority { get; set; }

    public bool EnableScriptSecurity { get; set; }

    public string? ScriptUser { get; set; }

    public string? ScriptGroup { get; set; }

    public IReadOnlyList<string> NotificationEmail { get; set; } = [];

    public string? NotificationEmailFrom { get; set; }

    public string? SmtpServer { get; set; }

    public int? SmtpServerPort { get; set; }

    public string? SmtpHeloName { get; set; }

    public TimeSpan? SmtpConnectTimeout { get; set; }

    public bool SmtpAlert { get; set; }

    public string? DefaultInterface { get; set; }

    public bool DynamicInterfaces { get; set; }

    /// <summary><c>notify_fifo</c> (shared by keepalived's VRRP and checker processes).</summary>
    public NotifyFifoLine? NotifyFifo { get; set; }

    /// <summary><c>vrrp_notify_fifo</c>.</summary>
    public NotifyFifoLine? VrrpNotifyFifo { get; set; }

    /// <summary><c>notify_fifo_script</c>: started with the FIFO path appended when <see cref="NotifyFifo"/> opens.</summary>
    public NotifyScriptLine? NotifyFifoScript { get; set; }

    /// <summary><c>vrrp_notify_fifo_script</c>: started with the FIFO path appended when <see cref="VrrpNotifyFifo"/> opens.</summary>
    public NotifyScriptLine? VrrpNotifyFifoScript { get; set; }

    /// <summary><c>vrrp_notify_priority_changes</c>: MASTER_PRIORITY / BACKUP_PRIORITY FIFO lines by default.</summary>
    public bool VrrpNotifyPriorityChanges { get; set; }

    /// <summary>
    /// <c>state_file_location</c> (keepalived's parser also reads <c>state_dump_file</c>): where SIGUSR1 writes
    /// keepalived.data; null: the temporary directory. A path ending in '/' is a directory.
    /// </summary>
    public string? StateFileLocation { get; set; }

    /// <summary><c>stats_file_location</c> (or <c>stats_dump_file</c>): where SIGUSR2 writes keepalived.stats.</summary>
    public string? StatsFileLocation { get; set; }

    /// <summary><c>json_file_location</c> (or <c>json_dump_file</c>): where SIGRTMIN+2 writes keepalived.json.</summary>
    public string? JsonFileLocation { get; set; }

    /// <summary><c>json_version 1|2</c> (keepalived after 2.2.7): the shape of keepalived.json.</summary>
    public int JsonVersion { get; set; } = 1;

    /// <summary>KeepSharp's <c>metrics_listen ADDR:PORT</c>: where the Prometheus endpoint listens; null (default): none.</summary>
    public System.Net.IPEndPoint? MetricsListen { get; set; }

    /// <summary>
    /// KeepSharp's <c>control_socket PATH|off</c>: the Unix socket of <c>keepsharp status</c>; null: <see cref="DefaultControlSocket"/>;
    /// empty: none.
    /// </summary>
    public string? ControlSocket { get; set; }

    /// <summary>Where the control socket is when global_defs does not say.</summary>
    public const string DefaultControlSocket = "/run/keepsharp.sock";
}
