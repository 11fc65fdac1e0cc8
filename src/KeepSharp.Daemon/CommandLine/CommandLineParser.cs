namespace KeepSharp.Daemon.CommandLine;

/// <summary>
/// Parses keepalived's command line (getopt_long style: <c>-n</c>, <c>-lD</c>, <c>-f FILE</c>,
/// <c>-fFILE</c>, <c>--use-file=FILE</c>, <c>--use-file FILE</c>). Options of keepalived's other
/// subsystems are accepted where ignoring them is harmless.
/// </summary>
internal static class CommandLineParser
{
    private enum Arg { None, Required, Optional }

    private sealed record OptionSpec(char Short, string Long, Arg Argument, Action<DaemonOptions, string?> Apply);

    private static readonly OptionSpec[] Specs =
    [
        new('f', "use-file", Arg.Required, (o, v) => o.ConfigFile = v!),
        new('P', "vrrp", Arg.None, (_, _) => { }),
        new('n', "dont-fork", Arg.None, (o, _) => o.DontFork = true),
        new('l', "log-console", Arg.None, (o, _) => o.LogConsole = true),
        new('D', "log-detail", Arg.None, (o, _) => o.LogDetail = true),
        new('S', "log-facility", Arg.Required, (o, v) => o.LogFacility = ParseFacility(v!)),
        new('g', "log-file", Arg.Optional, (o, v) => o.LogFile = v ?? "/tmp/keepalived.log"),
        new('G', "no-syslog", Arg.None, (o, _) => o.NoSyslog = true),
        new('t', "config-test", Arg.Optional, (o, v) => { o.ConfigTest = true; o.ConfigTestLogFile = v; }),
        new('p', "pid", Arg.Required, (o, v) => o.PidFile = v!),
        new('r', "vrrp_pid", Arg.Required, (o, v) => o.VrrpPidFile = v!),
        new('c', "checkers_pid", Arg.Required, (_, _) => { }),
        new('V', "dont-release-vrrp", Arg.None, (o, _) => o.DontReleaseVrrp = true),
        new('X', "release-vips", Arg.None, (o, _) => o.ReleaseVips = true),
        new('d', "dump-conf", Arg.None, (o, _) => o.DumpConfig = true),
        new('m', "core-dump", Arg.None, (o, _) => o.CoreDump = true),
        new('M', "core-dump-pattern", Arg.Optional, (o, v) => { o.CoreDump = true; o.CoreDumpPattern = string.IsNullOrEmpty(v) ? "core" : v; }),
        new('e', "all-config", Arg.None, (o, _) => o.AllConfig = true),
        new('\0', "all", Arg.None, (o, _) => o.RunAll = true),
        new('R', "dont-respawn", Arg.None, (_, _) => { }),
        new('i', "config-id", Arg.Required, (o, v) => o.ConfigId = v),
        new('v', "version", Arg.None, (o, _) => o.ShowVersion = true),
        new('h', "help", Arg.None, (o, _) => o.ShowHelp = true),
        new('\0', "signum", Arg.Required, (o, v) => o.SignalFunction ??= v),
        new('\0', "daemonized", Arg.None, (o, _) => o.Daemonized = true),
    ];

    /// <summary>Parses <paramref name="args"/>; on a usage error returns null and sets <paramref name="error"/>.</summary>
    public static DaemonOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new DaemonOptions();
        error = null;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                int eq = arg.IndexOf('=');
                string name = eq < 0 ? arg[2..] : arg[2..eq];
                OptionSpec? spec = Array.Find(Specs, s => s.Long == name);
                if (spec is null)
                {
                    error = $"unrecognized option '{arg}'";
                    return null;
                }
                string? value = eq < 0 ? null : arg[(eq + 1)..];
                if (spec.Argument == Arg.None && value is not null)
                {
                    error = $"option '--{name}' doesn't allow an argument";
                    return null;
                }
                if (spec.Argument == Arg.Required && value is null)
                {
                    if (i + 1 >= args.Count)
                    {
                        error = $"option '--{name}' requires an argument";
                        return null;
                    }
                    value = args[++i];
                }
                if (!TryApply(spec, options, value, out error))
                    return null;
            }
            else if (arg.StartsWith('-') && arg.Length > 1)
            {
                for (int j = 1; j < arg.Length; j++)
                {
                    char c = arg[j];
                    OptionSpec? spec = c == '\0' ? null : Array.Find(Specs, s => s.Short == c);
                    if (spec is null)
                    {
                        error = $"invalid option -- '{c}'";
                        return null;
                    }
                    string? value = null;
                    if (spec.Argument != Arg.None && j + 1 < arg.Length)
                    {
                        value = arg[(j + 1)..];
                        j = arg.Length;
                    }
                    else if (spec.Argument == Arg.Required)
                    {
                        if (i + 1 >= args.Count)
                        {
                            error = $"option requires an argument -- '{c}'";
                            return null;
                        }
                        value = args[++i];
                    }
                    if (!TryApply(spec, options, value, out error))
                        return null;
                }
            }
            else
            {
                error = $"unexpected argument '{arg}'";
                return null;
            }
        }
        return options;
    }

    private static bool TryApply(OptionSpec spec, DaemonOptions options, string? value, out string? error)
    {
        try
        {
            spec.Apply(options, value);
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }
    }

    private static int ParseFacility(string value) =>
        int.TryParse(value, out int n) && n is >= 0 and <= 7
            ? n
            : throw new FormatException($"invalid log facility '{value}' (expected 0-7)");
}
