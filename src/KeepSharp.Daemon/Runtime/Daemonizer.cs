using System.Diagnostics;

namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// keepalived forks into the background unless <c>-n</c>. A .NET process cannot fork safely, so the
/// daemon starts itself again with an internal flag; the child detaches into its own session and the
/// parent returns at once, as a forking daemon does (systemd <c>Type=forking</c> + <c>PIDFile</c>).
/// </summary>
internal static class Daemonizer
{
    public static int SpawnInBackground(string[] args)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find the daemon's own executable");
        var start = new ProcessStartInfo(self)
        {
            UseShellExecute = false,
        };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        start.ArgumentList.Add("--daemonized");
        using Process child = Process.Start(start) ?? throw new InvalidOperationException("cannot start the daemon process");
        return 0;
    }
}
