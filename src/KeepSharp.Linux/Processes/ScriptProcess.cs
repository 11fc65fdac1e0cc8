using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux.Processes;

/// <summary>How far the daemon has gone in ending a script that overran its timeout.</summary>
public enum ScriptTermination
{
    /// <summary>Running, or ended on its own.</summary>
    None,

    /// <summary>SIGTERM sent to the process group (keepalived's SCRIPT_STATE_REQUESTING_TERMINATION).</summary>
    Requested,

    /// <summary>SIGKILL sent to the process group (keepalived's SCRIPT_STATE_FORCING_TERMINATION).</summary>
    Forced,
}

/// <summary>
/// One running script, driven by the event loop without blocking and without threads of its own:
/// <list type="number">
/// <item><see cref="Start"/> spawns it (see <see cref="ScriptSpawner"/>) and opens a pidfd for it.</item>
/// <item>The loop registers <see cref="ExitFd"/> (readable once the child has exited) and, when output is captured,
/// <see cref="Output"/>'s <see cref="ScriptOutputReader.Fd"/>, and arms a timer for the script's timeout.</item>
/// <item>On output readiness: <see cref="ScriptOutputReader.ReadAvailable"/>, and unregister at end-of-file.</item>
/// <item>On exit readiness: <see cref="TryReap"/> (waitid(P_PIDFD, WNOHANG): reaps only this child), a last
/// <see cref="ScriptOutputReader.ReadAvailable"/>, then <see cref="Dispose"/> (a grandchild may hold the pipe open
/// forever, so the loop does not wait for end-of-file after the exit).</item>
/// <item>On the timer: <see cref="OnTimeout"/> signals the group and returns when to call it again (keepalived:
/// SIGTERM, SIGKILL 2 s later, then SIGKILL every 10 s).</item>
/// </list>
/// </summary>
public sealed class ScriptProcess : IDisposable
{
    /// <summary>keepalived's wait after SIGTERM before SIGKILL, and after the first SIGKILL (vrrp_scheduler.c).</summary>
    public static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(2);

    /// <summary>keepalived's wait between later SIGKILLs of a script that "failed to terminate after kill".</summary>
    public static readonly TimeSpan StuckKillInterval = TimeSpan.FromSeconds(10);

    private readonly FileDescriptorHandle _pidFd;
    private ScriptExitStatus? _exit;

    private ScriptProcess(int pid, FileDescriptorHandle pidFd, ScriptOutputReader? output)
    {
        Pid = pid;
        _pidFd = pidFd;
        Output = output;
    }

    /// <summary>The script's pid, which is also its process group id.</summary>
    public int Pid { get; }

    /// <summary>The pidfd: poll it for readability, which means the child has exited and <see cref="TryReap"/> will reap it.</summary>
    public int ExitFd => _pidFd.IsClosed ? -1 : _pidFd.Fd;

    /// <summary>The captured stdout and stderr; null when not captured.</summary>
    public ScriptOutputReader? Output { get; }

    public ScriptTermination Termination { get; private set; }

    /// <summary>The outcome once reaped.</summary>
    public ScriptExitStatus? ExitStatus => _exit;

    public bool HasExited => _exit.HasValue;

    /// <summary>Spawns the script. Throws <see cref="ScriptSpawnException"/> when it could not start (nothing to reap then).</summary>
    public static unsafe ScriptProcess Start(ScriptStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        FileDescriptorHandle? readEnd = null;
        FileDescriptorHandle? writeEnd = null;
        if (info.CaptureOutput)
        {
            int* fds = stackalloc int[2];
            LinuxNetworkException.ThrowIfFailed(Libc.Pipe2(fds, Libc.O_CLOEXEC), "pipe2");
            readEnd = new FileDescriptorHandle(fds[0]);
            writeEnd = new FileDescriptorHandle(fds[1]);
        }

        int pid;
        try
        {
            // Only the daemon's end is non-blocking: the script writes to an ordinary blocking pipe.
            if (readEnd is not null)
            {
                SetNonBlocking(readEnd);
            }

            pid = ScriptSpawner.Spawn(info, writeEnd?.Fd ?? -1);
        }
        catch
        {
            readEnd?.Dispose();
            writeEnd?.Dispose();
            throw;
        }

        writeEnd?.Dispose();
        int pidFd = (int)Libc.Syscall(Libc.SYS_pidfd_open, pid, 0, 0);
        if (pidFd < 0)
        {
            int errno = Libc.LastErrno;
            Libc.Kill(-pid, Libc.SIGKILL);
            readEnd?.Dispose();
            throw new ScriptSpawnException(info.Arguments[0], "pidfd_open", errno);
        }

        var output = readEnd is null ? null : new ScriptOutputReader(readEnd, info.OutputLimits);
        return new ScriptProcess(pid, new FileDescriptorHandle(pidFd), output);
    }

    /// <summary>
    /// Reaps the child if it has exited (never blocks). After a timeout the rest of its process group is sent
    /// SIGKILL, as keepalived does when a script dies of its SIGTERM, so no grandchild outlives a killed script.
    /// </summary>
    public unsafe bool TryReap(out ScriptExitStatus status)
    {
        if (_exit is ScriptExitStatus known)
        {
            status = known;
            return true;
        }

        Libc.SigInfo info = default;
        int result;
        do
        {
            result = Libc.WaitId(Libc.P_PIDFD, _pidFd.Fd, &info, Libc.WEXITED | Libc.WNOHANG);
        }
        while (result < 0 && Libc.LastErrno == Errno.EINTR);

        LinuxNetworkException.ThrowIfFailed(result, "waitid(P_PIDFD)");
        if (info.Pid == 0)
        {
            status = default;
            return false;
        }

        bool timedOut = Termination != ScriptTermination.None;
        status = info.Code == Libc.CLD_EXITED
            ? new ScriptExitStatus(ScriptExitKind.Exited, info.Status, timedOut)
            : new ScriptExitStatus(ScriptExitKind.Signaled, info.Status, timedOut);
        _exit = status;
        if (timedOut)
        {
            Libc.Kill(-Pid, Libc.SIGKILL);
        }

        return true;
    }

    /// <summary>
    /// The script's timeout (or a later grace period) expired: SIGTERM the process group the first time, SIGKILL
    /// after. Returns when to call again if the child has still not been reaped; null once it has.
    /// </summary>
    public TimeSpan? OnTimeout()
    {
        if (HasExited)
        {
            return null;
        }

        switch (Termination)
        {
            case ScriptTermination.None:
                Termination = ScriptTermination.Requested;
                SignalGroup(Libc.SIGTERM);
                return TerminationGrace;
            case ScriptTermination.Requested:
                Termination = ScriptTermination.Forced;
                SignalGroup(Libc.SIGKILL);
                return TerminationGrace;
            default:
                SignalGroup(Libc.SIGKILL);
                return StuckKillInterval;
        }
    }

    /// <summary>SIGTERM to the process group, as keepalived's <c>script_killall()</c> at shutdown (SIGKILL follows 1 s later).</summary>
    public void Terminate()
    {
        if (!HasExited)
        {
            SignalGroup(Libc.SIGTERM);
        }
    }

    /// <summary>SIGKILL to the process group.</summary>
    public void ForceKill()
    {
        if (!HasExited)
        {
            SignalGroup(Libc.SIGKILL);
        }
    }

    /// <summary>
    /// Closes the pidfd and the output pipe. A child not yet reaped is SIGKILLed with its group and reaped here
    /// (a blocking wait, brief after SIGKILL), so disposing never leaves a zombie; the loop normally reaps first.
    /// </summary>
    public unsafe void Dispose()
    {
        if (!_pidFd.IsClosed && !HasExited)
        {
            Libc.Kill(-Pid, Libc.SIGKILL);
            Libc.SigInfo info = default;
            while (Libc.WaitId(Libc.P_PIDFD, _pidFd.Fd, &info, Libc.WEXITED) < 0 && Libc.LastErrno == Errno.EINTR)
            {
            }

            _exit = new ScriptExitStatus(ScriptExitKind.Signaled, Libc.SIGKILL, TimedOut: true);
        }

        _pidFd.Dispose();
        Output?.Dispose();
    }

    private void SignalGroup(int signal)
    {
        if (Libc.Kill(-Pid, signal) < 0 && Libc.LastErrno != Errno.ESRCH)
        {
            throw new LinuxNetworkException("kill(-" + Pid + ", " + signal + ")", Libc.LastErrno);
        }
    }

    private static void SetNonBlocking(FileDescriptorHandle fd)
    {
        int flags = Libc.Fcntl(fd.Fd, Libc.F_GETFL, 0);
        LinuxNetworkException.ThrowIfFailed(flags, "fcntl(F_GETFL)");
        LinuxNetworkException.ThrowIfFailed(Libc.Fcntl(fd.Fd, Libc.F_SETFL, flags | Libc.O_NONBLOCK), "fcntl(F_SETFL)");
    }
}
