using KeepSharp.Linux;

namespace KeepSharp.Daemon.CommandLine;

/// <summary>
/// The signals keepalived acts on, by the names of its <c>--signum</c> option (lib/signals.c get_signum): STOP
/// SIGTERM, RELOAD SIGHUP, DATA SIGUSR1, STATS SIGUSR2, STATS_CLEAR SIGRTMAX-1, JSON SIGRTMIN+2. The real-time ones are
/// the C library's (glibc keeps the first two for itself, so SIGRTMIN is 34 and JSON 36; STATS_CLEAR is 63).
/// </summary>
internal static class SignalFunctions
{
    public const int Stop = 15;
    public const int Reload = 1;
    public const int Data = 10;
    public const int Stats = 12;

    public static int Json => RealtimeSignals.Min + 2;

    public static int StatsClear => RealtimeSignals.Max - 1;

    /// <summary>The number for keepalived's name (case-sensitive, as keepalived's strcmp); null for an unknown name.</summary>
    public static int? Number(string name) => name switch
    {
        "STOP" => Stop,
        "RELOAD" => Reload,
        "DATA" => Data,
        "STATS" => Stats,
        "STATS_CLEAR" => StatsClear,
        "JSON" => Json,
        _ => null,
    };

    /// <summary>
    /// <c>--signum=NAME</c>, as keepalived's main.c does it: the number and a newline on stdout and exit 0, or
    /// "Unknown sigfunc NAME" on stderr and exit 1.
    /// </summary>
    public static int Print(string name, TextWriter stdout, TextWriter stderr)
    {
        if (Number(name) is { } number)
        {
            stdout.Write($"{number}\n");
            return 0;
        }
        stderr.Write($"Unknown sigfunc {name}\n");
        return 1;
    }
}
