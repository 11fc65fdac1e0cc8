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

    /// <summary>
    /// keepalived's <c>-m</c> (core_dump_init): RLIMIT_CORE to unlimited, soft and hard, so an abnormal end leaves a core.
    /// Returns null, or what failed ("Failed to get core file size" / "Failed to set core file size", keepalived's words).
    /// </summary>
    public static unsafe string? EnableCoreDumps()
    {
        Libc.RLimit original;
        if (Libc.GetRLimit(Libc.RLIMIT_CORE, &original) == -1)
        {
            return "Failed to get core file size";
        }

        var unlimited = new Libc.RLimit { Current = Libc.RLIM_INFINITY, Maximum = Libc.RLIM_INFINITY };
        return Libc.SetRLimit(Libc.RLIMIT_CORE, &unlimited) == -1 ? "Failed to set core file size" : null;
    }

    /// <summary>RLIMIT_CORE's soft limit (ulong.MaxValue is unlimited).</summary>
    public static unsafe ulong CoreDumpLimit()
    {
        Libc.RLimit limit;
        return Libc.GetRLimit(Libc.RLIMIT_CORE, &limit) == 0 ? limit.Current : 0;
    }

    /// <summary>kill(pid, 0): true when a process with this pid exists (also when it belongs to another user).</summary>
    public static bool IsAlive(int pid) => pid > 0 && (Libc.Kill(pid, 0) == 0 || Libc.LastErrno != Errno.ESRCH);
}
