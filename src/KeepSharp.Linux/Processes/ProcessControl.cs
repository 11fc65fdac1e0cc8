using System.Runtime.InteropServices;

namespace KeepSharp.Linux;

/// <summary>Process-level calls the daemon needs: a new session when it detaches, liveness of a pid.</summary>
public static partial class ProcessControl
{
    private const int ESRCH = 3;

    /// <summary>setsid(2): leave the parent's session and controlling terminal, as a forked daemon does.</summary>
    public static void StartNewSession() => SetSid();

    /// <summary>kill(pid, 0): true when a process with this pid exists (also when it belongs to another user).</summary>
    public static bool IsAlive(int pid) => pid > 0 && (Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() != ESRCH);

    [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
    private static partial int SetSid();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
