using System.Runtime.InteropServices;

namespace KeepSharp.Lab;

/// <summary>The few libc calls the lab needs: setns(2) for the client probe thread, kill(2) for signals.</summary>
internal static partial class Native
{
    public const int CLONE_NEWNET = 0x40000000;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setns(int fd, int nstype);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int sig);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    /// <summary>Index of a network interface in the calling thread's network namespace (0 = none).</summary>
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint if_nametoindex(string name);

    /// <summary>Moves the calling thread into the named network namespace (/var/run/netns/NAME).</summary>
    public static void EnterNetns(string name)
    {
        using var handle = File.OpenHandle($"/var/run/netns/{name}", FileMode.Open, FileAccess.Read);
        if (setns((int)handle.DangerousGetHandle(), CLONE_NEWNET) != 0)
            throw new LabException($"setns({name}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public static bool Signal(int pid, int sig) => pid > 0 && kill(pid, sig) == 0;

    public static bool Alive(int pid) => pid > 0 && Directory.Exists($"/proc/{pid}") && !IsZombie(pid);

    private static bool IsZombie(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] == 'Z';
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    /// <summary>Direct children of a process (from /proc/PID/task/*/children).</summary>
    public static List<int> Children(int pid)
    {
        var result = new List<int>();
        try
        {
            foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                string text;
                try { text = File.ReadAllText(Path.Combine(task, "children")); }
                catch (IOException) { continue; }
                foreach (string s in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    if (int.TryParse(s, out int c)) result.Add(c);
            }
        }
        catch (DirectoryNotFoundException) { }
        catch (IOException) { }
        return result;
    }
}

public sealed class LabException(string message) : Exception(message);
