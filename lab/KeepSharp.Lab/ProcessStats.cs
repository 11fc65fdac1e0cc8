using System.Globalization;

namespace KeepSharp.Lab;

/// <summary>One reading of a daemon's processes from /proc: CPU ticks, resident memory, threads, descriptors.</summary>
/// <param name="SelfTicks">utime+stime of the daemon's own processes (same program as the root: keepalived's parent
/// and VRRP child count together).</param>
/// <param name="AllTicks">utime+stime of every process in the tree plus cutime+cstime (reaped children: scripts).</param>
public readonly record struct ProcessSample(double AtMs, long SelfTicks, long AllTicks, long RssKb, int Threads, int Fds, int Processes);

/// <summary>
/// /proc readings of a daemon and its children (keepalived runs as two processes: both count). CPU is in clock ticks
/// (USER_HZ, 100 a second on Linux): a share of one core over a window is Δticks / <see cref="TicksPerSecond"/> / seconds.
/// </summary>
public static class ProcessStats
{
    public const double TicksPerSecond = 100;

    /// <summary>The process and all its descendants (from /proc/*/stat parent links).</summary>
    public static List<int> Tree(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out int pid)) continue;
            if (Fields(pid) is { } f && int.TryParse(f[1], CultureInfo.InvariantCulture, out int ppid)) parents[pid] = ppid;
        }
        var tree = new List<int> { root };
        for (int i = 0; i < tree.Count; i++)
            foreach (var (pid, ppid) in parents)
                if (ppid == tree[i] && !tree.Contains(pid)) tree.Add(pid);
        return tree;
    }

    /// <summary>/proc/PID/stat after the command name: [0] state, [1] ppid, ... [11] utime, [12] stime, [13] cutime, [14] cstime.</summary>
    private static string[]? Fields(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static string Comm(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").Trim(); }
        catch (IOException) { return ""; }
    }

    /// <summary>
    /// CPU ticks of the daemon rooted at <paramref name="pid"/>: Self = its own processes (those running the same program),
    /// All = the whole tree including reaped children (scripts, notify).
    /// </summary>
    public static (long Self, long All) CpuTicks(int pid)
    {
        var s = Sample(pid, 0);
        return (s.SelfTicks, s.AllTicks);
    }

    /// <summary>The daemon's own processes: the root and its descendants running the same program (keepalived's VRRP child).</summary>
    public static List<int> DaemonProcesses(int pid)
    {
        string comm = Comm(pid);
        return [.. Tree(pid).Where(p => p == pid || Comm(p) == comm)];
    }

    /// <summary>Reads CPU, RSS, threads and open descriptors of the daemon's own processes (see <see cref="CpuTicks"/>).</summary>
    public static ProcessSample Sample(int pid, double atMs)
    {
        if (pid <= 0) return new ProcessSample(atMs, 0, 0, 0, 0, 0, 0);
        string comm = Comm(pid);
        long self = 0, all = 0, rss = 0;
        int threads = 0, fds = 0, processes = 0;
        foreach (int p in Tree(pid))
        {
            if (Fields(p) is not { } f || f[0] == "Z") continue;
            long u = long.Parse(f[11], CultureInfo.InvariantCulture), st = long.Parse(f[12], CultureInfo.InvariantCulture);
            long cu = long.Parse(f[13], CultureInfo.InvariantCulture), cs = long.Parse(f[14], CultureInfo.InvariantCulture);
            all += u + st + cu + cs;
            if (p != pid && Comm(p) != comm) continue;
            self += u + st;
            processes++;
            foreach (string line in ReadLines($"/proc/{p}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                else if (line.StartsWith("Threads:", StringComparison.Ordinal)) threads += int.Parse(line.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
            try { fds += Directory.GetFileSystemEntries($"/proc/{p}/fd").Length; }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return new ProcessSample(atMs, self, all, rss, threads, fds, processes);
    }

    private static string[] ReadLines(string path)
    {
        try { return File.ReadAllLines(path); }
        catch (IOException) { return []; }
    }

    /// <summary>Share of one core (percent) between two samples, of the daemon's own processes.</summary>
    public static double CpuPercent(ProcessSample from, ProcessSample to) =>
        to.AtMs <= from.AtMs ? 0 : 100 * (to.SelfTicks - from.SelfTicks) / TicksPerSecond / ((to.AtMs - from.AtMs) / 1000);

    /// <summary>Share of one core (percent) of the whole tree, reaped children included.</summary>
    public static double CpuPercentAll(ProcessSample from, ProcessSample to) =>
        to.AtMs <= from.AtMs ? 0 : 100 * (to.AllTicks - from.AllTicks) / TicksPerSecond / ((to.AtMs - from.AtMs) / 1000);
}
