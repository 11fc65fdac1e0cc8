using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux;

/// <summary>Process-level calls the daemon needs: a new session when it detaches, liveness of a pid.</summary>
public static class ProcessControl
{
    /// <summary>setsid(2): leave the parent's session and controlling terminal, as a forked daemon does.</summary>
    public static void StartNewSession() => Libc.SetSid();

    /// <summary>Points standard input, output and error at /dev/null, as a daemon that left its terminal does.</summary>
    public static void DetachStandardStreams()
    {
        int fd = Libc.Open("/dev/null", Libc.O_RDWR);
        LinuxNetworkException.ThrowIfFailed(fd, "open /dev/null");
        for (int target = 0; target <= 2; target++)
        {
            Libc.Dup2(fd, target);
        }

        if (fd > 2)
        {
            Libc.Close(fd);
        }
    }

    /// <summary>kill(pid, 0): true when a process with this pid exists (also when it belongs to another user).</summary>
    public static bool IsAlive(int pid) => pid > 0 && (Libc.Kill(pid, 0) == 0 || Libc.LastErrno != Errno.ESRCH);
}
