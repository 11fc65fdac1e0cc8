using System.Runtime.InteropServices;

namespace KeepSharp.Linux;

/// <summary>Process-level calls the daemon needs: a new session when it detaches, liveness of a pid.</summary>
public static partial class ProcessControl
{
    private const int ESRCH = 3;

    /// <summary>setsid(2): leave the parent's session and controlling terminal, as a forked daemon does.</summary>
    public static void StartNewSession() => SetSid();

    /// <summary>Points standard input, output and error at /dev/null, as a daemon that left its terminal does.</summary>
    public static void DetachStandardStreams()
    {
        int fd = Open("/dev/null", 2 /* O_RDWR */);
        if (fd < 0)
            throw new LinuxNetworkException("open /dev/null", Marshal.GetLastPInvokeError());
        for (int target = 0; target <= 2; target++)
            Dup2(fd, target);
        if (fd > 2)
            Close(fd);
    }

    /// <summary>kill(pid, 0): true when a process with this pid exists (also when it belongs to another user).</summary>
    public static bool IsAlive(int pid) => pid > 0 && (Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() != ESRCH);

    [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
    private static partial int SetSid();

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int fd, int target);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
