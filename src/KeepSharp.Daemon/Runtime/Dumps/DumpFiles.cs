using System.Text;
using KeepSharp.Config;
using KeepSharp.Daemon.Logging;
using KeepSharp.Linux;
using KeepSharp.Linux.Files;

namespace KeepSharp.Daemon.Runtime.Dumps;

/// <summary>What a signal asks to be written.</summary>
internal enum DumpKind
{
    /// <summary>SIGUSR1: keepalived.data.</summary>
    Data,
    /// <summary>SIGUSR2: keepalived.stats.</summary>
    Stats,
    /// <summary>SIGRTMIN+2: keepalived.json.</summary>
    Json,
}

/// <summary>
/// Where the dump files go and how they are written: keepalived's names in its temporary directory (<c>$TMPDIR</c>
/// when it is an absolute path, else <c>/tmp</c>: lib/utils.c set_tmp_dir), unless global_defs says otherwise
/// (<see cref="Resolve"/>); written whole under a new name and renamed into place (<see cref="SafeFile.Replace"/>),
/// so a reader never sees half a file and a symlink planted on the path is replaced, never followed; mode rw-------,
/// as keepalived leaves them (it runs with umask 0177).
/// </summary>
internal static class DumpFiles
{
    public const UnixFileMode Permissions = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static string DefaultName(DumpKind kind) => kind switch
    {
        DumpKind.Data => "keepalived.data",
        DumpKind.Stats => "keepalived.stats",
        _ => "keepalived.json",
    };

    /// <summary>keepalived's temporary directory: <c>$TMPDIR</c> when it is an absolute path, else /tmp.</summary>
    public static string TemporaryDirectory(string? tmpdir = null)
    {
        tmpdir ??= Environment.GetEnvironmentVariable("TMPDIR");
        return tmpdir is ['/', ..] ? tmpdir.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/" : "/tmp";
    }

    public static string PathFor(DumpKind kind, GlobalDefs globals, string? tmpdir = null) => Resolve(kind switch
    {
        DumpKind.Data => globals.StateFileLocation,
        DumpKind.Stats => globals.StatsFileLocation,
        _ => globals.JsonFileLocation,
    }, DefaultName(kind), TemporaryDirectory(tmpdir));

    /// <summary>
    /// keepalived's reading of a dump file location (global_data.c open_dump_file, keepalived.conf(5)): unset, the
    /// default name in the temporary directory; an absolute path ending in '/', the default name in that directory;
    /// another absolute path, that file; a relative path, its last component in the temporary directory (or the default
    /// name there if it ends in '/').
    /// </summary>
    public static string Resolve(string? location, string defaultName, string temporaryDirectory)
    {
        if (string.IsNullOrEmpty(location))
            return Path.Combine(temporaryDirectory, defaultName);
        bool directory = location.EndsWith('/');
        if (location[0] == '/')
            return directory ? location + defaultName : location;
        if (directory)
            return Path.Combine(temporaryDirectory, defaultName);
        int slash = location.LastIndexOf('/');
        return Path.Combine(temporaryDirectory, slash < 0 ? location : location[(slash + 1)..]);
    }

    public static string Format(DumpKind kind, DumpSnapshot snapshot) => kind switch
    {
        DumpKind.Data => DataFormat.Format(snapshot),
        DumpKind.Stats => StatsFormat.Format(snapshot),
        _ => JsonFormat.Format(snapshot, snapshot.Globals.JsonVersion),
    };

    /// <summary>Formats and writes; on a worker thread, never on the loop.</summary>
    public static void Write(DumpKind kind, DumpSnapshot snapshot, string path, Log log)
    {
        string text;
        try
        {
            text = Format(kind, snapshot);
        }
        catch (Exception e)
        {
            // A formatting bug must not take the daemon down: the dump is lost, the routers go on.
            log.Error($"Cannot format {DefaultName(kind)}: {e}");
            return;
        }
        int errno = SafeFile.Replace(path, Encoding.UTF8.GetBytes(text), Permissions);
        if (errno == 0)
            log.Info(kind switch
            {
                DumpKind.Data => $"Data written to {path}",
                DumpKind.Stats => $"Statistics written to {path}",
                _ => $"JSON written to {path}",
            });
        else
            log.Error($"Can't open {path} ({errno}: {Errno.Describe(errno)})");
    }
}
