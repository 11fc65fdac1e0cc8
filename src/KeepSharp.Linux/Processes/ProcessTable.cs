using System.Globalization;
using System.Text;

namespace KeepSharp.Linux.Processes;

/// <summary>One running process as /proc shows it.</summary>
/// <param name="Pid">Its pid in the reading process's pid namespace.</param>
/// <param name="Comm">/proc/PID/comm without the newline (the kernel keeps 15 characters).</param>
/// <param name="CommandLine">/proc/PID/cmdline (NUL-separated arguments; empty when not asked for, and for kernel threads and zombies).</param>
/// <param name="Zombie">State Z in /proc/PID/stat.</param>
public sealed record ProcessEntry(int Pid, string Comm, byte[] CommandLine, bool Zombie);

/// <summary>
/// A scan of /proc (keepalived's track_process.c <c>read_procs</c>): every numeric directory, its comm and state, and
/// its command line when asked (reading cmdline touches the process's memory, so it is read only when some tracker
/// compares the full command). A process that exits during the scan is skipped.
/// </summary>
public static class ProcessTable
{
    public static List<ProcessEntry> Scan(bool readCommandLine, string procRoot = "/proc")
    {
        var result = new List<ProcessEntry>();
        foreach (string dir in Directory.EnumerateDirectories(procRoot))
        {
            string name = Path.GetFileName(dir);
            if (name.Length == 0 || name[0] is <= '0' or > '9' || !int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                continue;
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                int close = stat.LastIndexOf(')');
                bool zombie = close >= 0 && close + 2 < stat.Length && stat[close + 2] == 'Z';
                string comm = File.ReadAllText(Path.Combine(dir, "comm")).TrimEnd('\n');
                byte[] commandLine = readCommandLine ? File.ReadAllBytes(Path.Combine(dir, "cmdline")) : [];
                result.Add(new ProcessEntry(pid, comm, commandLine, zombie));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone (ESRCH/ENOENT) or hidden between the directory read and this one.
            }
        }
        return result;
    }

    /// <summary>The command line as text (arguments separated by spaces), for logs.</summary>
    public static string Describe(ProcessEntry entry) =>
        entry.CommandLine.Length == 0 ? $"[{entry.Comm}]" : Encoding.UTF8.GetString(entry.CommandLine).TrimEnd('\0').Replace('\0', ' ');
}
