namespace KeepSharp.Daemon.CommandLine;

/// <summary>What the command line asked for, with keepalived's defaults.</summary>
internal sealed class DaemonOptions
{
    public const string DefaultConfigFile = "/etc/keepalived/keepalived.conf";
    public const string DefaultPidFile = "/run/keepalived.pid";
    public const string DefaultVrrpPidFile = "/run/vrrp.pid";

    public string ConfigFile { get; set; } = DefaultConfigFile;
    public bool DontFork { get; set; }
    public bool LogConsole { get; set; }
    public bool LogDetail { get; set; }
    public bool NoSyslog { get; set; }
    public string? LogFile { get; set; }
    public int? LogFacility { get; set; }
    public bool ConfigTest { get; set; }
    public string? ConfigTestLogFile { get; set; }
    public string PidFile { get; set; } = DefaultPidFile;
    public string VrrpPidFile { get; set; } = DefaultVrrpPidFile;
    public bool DontReleaseVrrp { get; set; }
    public string? ConfigId { get; set; }
    /// <summary><c>-d</c>: dump the configuration to the log at startup.</summary>
    public bool DumpConfig { get; set; }
    /// <summary>
    /// <c>-X</c>: keepalived removes an instance's VIPs whenever it leaves MASTER, even when it does not think it added
    /// them. KeepSharp always does so (and removes leftovers at startup), so this only records that it was asked.
    /// </summary>
    public bool ReleaseVips { get; set; }
    /// <summary><c>-m</c> (and <c>-M</c>): RLIMIT_CORE unlimited at startup.</summary>
    public bool CoreDump { get; set; }
    /// <summary><c>-M[PATTERN]</c>: accepted; KeepSharp does not rewrite /proc/sys/kernel/core_pattern.</summary>
    public string? CoreDumpPattern { get; set; }
    /// <summary><c>-e</c>: every include is checked as <c>includea</c>.</summary>
    public bool AllConfig { get; set; }
    /// <summary><c>--all</c>: run every subsystem even without configuration; KeepSharp has only VRRP, which always runs.</summary>
    public bool RunAll { get; set; }
    public bool ShowVersion { get; set; }
    public bool ShowHelp { get; set; }
    /// <summary><c>--signum=NAME</c>: print the number of keepalived's signal NAME and exit (the first one given).</summary>
    public string? SignalFunction { get; set; }
    /// <summary>Set when the process re-executed itself in the background (internal).</summary>
    public bool Daemonized { get; set; }
}
