using System.Text;
using KeepSharp.Daemon.Logging;
using KeepSharp.Linux;
using KeepSharp.Linux.Files;

namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// The daemon's pid file (keepalived's <c>-p</c>): refuses to start a second daemon on the same file,
/// replaces a stale one, and is removed when the daemon stops (also after a failure, from any thread).
/// It is written with <see cref="SafeFile.Replace"/> and read without following a symlink, so a symlink
/// planted on its path is replaced, never written through.
/// </summary>
internal sealed class PidFile : IDisposable
{
    /// <summary>rw-r--r--, as keepalived writes it (keepalived/core/pidfile.c).</summary>
    private const UnixFileMode Permissions = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly string _path;
    private int _released;

    private PidFile(string path) => _path = path;

    /// <summary>Writes the pid file, or returns null (after logging why) when a live daemon already owns it.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static PidFile? TryAcquire(string path, Log log)
    {
        if (OwnerOf(path) is { } pid && pid != Environment.ProcessId && ProcessControl.IsAlive(pid))
        {
            // keepalived's words ("daemon is already running", LOG_INFO, exit 0), with the pid and the file.
            log.Info($"daemon is already running (pid {pid}, {path}): not starting a second one on the same pid file");
            return null;
        }
        string? directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        int errno = SafeFile.Replace(path, Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"), Permissions);
        if (errno != 0)
            throw new IOException($"cannot write pid file {path}: {Errno.Describe(errno)}");
        return new PidFile(path);
    }

    /// <summary>Thread-safe and idempotent: removes the file if it still names this process.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0 && OwnerOf(_path) == Environment.ProcessId)
            SafeFile.Delete(_path);
    }

    private static int? OwnerOf(string path) =>
        SafeFile.ReadNoFollow(path) is { } text && int.TryParse(text.Trim(), out int pid) ? pid : null;
}
