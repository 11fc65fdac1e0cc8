using KeepSharp.Daemon.Logging;
using KeepSharp.Linux;

namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// The daemon's pid file (keepalived's <c>-p</c>): refuses to start a second daemon on the same file,
/// replaces a stale one, and is removed when the daemon stops.
/// </summary>
internal sealed class PidFile : IDisposable
{
    private readonly string _path;

    private PidFile(string path) => _path = path;

    /// <summary>Writes the pid file, or returns null (after logging why) when a live daemon already owns it.</summary>
    public static PidFile? TryAcquire(string path, Log log)
    {
        if (File.Exists(path)
            && int.TryParse(File.ReadAllText(path).Trim(), out int pid)
            && pid != Environment.ProcessId
            && ProcessControl.IsAlive(pid))
        {
            log.Info($"daemon is already running (pid {pid}, {path})");
            return null;
        }
        string? directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        File.WriteAllText(path, $"{Environment.ProcessId}\n");
        return new PidFile(path);
    }

    public void Dispose()
    {
        try
        {
            if (File.Exists(_path) && File.ReadAllText(_path).Trim() == Environment.ProcessId.ToString())
                File.Delete(_path);
        }
        catch (IOException)
        {
        }
    }
}
