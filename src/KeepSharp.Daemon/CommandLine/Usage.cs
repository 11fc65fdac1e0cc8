namespace KeepSharp.Daemon.CommandLine;

internal static class Usage
{
    public const string Text = """
        Usage: keepsharp [OPTION...]
          -f, --use-file=FILE          Use the specified configuration file
                                         (default /etc/keepalived/keepalived.conf)
          -P, --vrrp                   Only run with VRRP subsystem (the only one KeepSharp has)
              --all                    Force all child processes to run (accepted: VRRP always runs)
          -l, --log-console            Log messages to local console
          -D, --log-detail             Detailed log messages
          -S, --log-facility=[0-7]     Set syslog facility to LOG_LOCAL[0-7]
          -g, --log-file=FILE          Also log to FILE (default /tmp/keepalived.log)
          -G, --no-syslog              Don't log via syslog
          -X, --release-vips           Drop VIP on transition from signal (KeepSharp always does)
          -V, --dont-release-vrrp      Don't remove VRRP VIPs on daemon stop
          -n, --dont-fork              Don't fork the daemon process
          -d, --dump-conf              Dump the configuration data
          -p, --pid=FILE               Use specified pidfile for the daemon process
          -r, --vrrp_pid=FILE          Accepted for keepalived compatibility (single process)
          -m, --core-dump              Produce core dump if terminate abnormally
          -M, --core-dump-pattern=PATN Accepted as -m (core_pattern is left alone)
          -e, --all-config             Error if any configuration file missing (same as includea)
          -i, --config-id id           Skip configuration lines beginning '@' that don't match id
          -t, --config-test[=LOG_FILE] Check the configuration for obvious errors, output to
                                         stderr by default
              --signum=SIGFUNC         Return signal number for STOP, RELOAD, DATA, STATS, STATS_CLEAR, JSON
          -v, --version                Display the version number
          -h, --help                   Display this help message

        keepsharp check-cluster FILE... [--json]
                                       Check one keepalived.conf per host together: pairing,
                                         consistency, and the election each failure produces

        keepsharp status [--json] [-s|--socket PATH]
                                       The running daemon's instances, trackers, counters and the
                                         routers heard on the wire (control socket, default /run/keepsharp.sock)
        keepsharp reload [-f FILE] [-s PATH]
                                       Check FILE as the daemon loads it, then have the daemon reload it
        keepsharp garp INSTANCE [-s PATH]
                                       Have a master instance send its gratuitous ARPs / NAs again
        """;
}
