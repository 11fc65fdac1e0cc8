using KeepSharp.Daemon.Logging;

namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// What an exception nobody caught does (AppDomain.UnhandledException: a thread-pool work item, a signal
/// handler, the main thread): without this a Native AOT process aborts on the spot, leaving its virtual
/// addresses in the kernel, its pid file behind and its queued log lines unwritten. Instead the exception
/// is logged with its stack, synchronously, to every sink; the event loop is asked to resign and release
/// (or, when it cannot, the addresses are removed through a new netlink socket); the pid file is removed;
/// and the process exits with <see cref="ExitProgramError"/>, so a supervisor (systemd
/// <c>Restart=on-failure</c>) starts it again. Failures on the loop itself are handled by the loop.
/// </summary>
internal sealed class CrashHandler
{
    /// <summary>keepalived's KEEPALIVED_EXIT_PROGRAM_ERROR (EX_SOFTWARE, lib/scheduler.h): an internal error.</summary>
    public const int ExitProgramError = 70;

    private static readonly TimeSpan LoopReleaseTimeout = TimeSpan.FromSeconds(3);

    private readonly Log _log;
    private int _crashing;

    private CrashHandler(Log log) => _log = log;

    /// <summary>Set once the pid file is written.</summary>
    public PidFile? PidFile { get; set; }

    /// <summary>Set once the daemon is created.</summary>
    public VrrpDaemon? Daemon { get; set; }

    public static CrashHandler Install(Log log)
    {
        var handler = new CrashHandler(log);
        AppDomain.CurrentDomain.UnhandledException += handler.OnUnhandledException;
        return handler;
    }

    private void OnUnhandledException(object? sender, UnhandledExceptionEventArgs args)
    {
        if (Interlocked.Exchange(ref _crashing, 1) != 0)
        {
            // A second failure while the first is handled: the first handler exits the process.
            Thread.Sleep(Timeout.Infinite);
        }
        Thread thread = Thread.CurrentThread;
        _log.Fatal($"Unhandled exception on thread '{thread.Name ?? (thread.IsThreadPoolThread ? "thread pool" : "unnamed")}' ({Environment.CurrentManagedThreadId}): {args.ExceptionObject}");
        try
        {
            if (Daemon is { } daemon && !daemon.StopAfterFailure(LoopReleaseTimeout))
            {
                _log.Fatal("The event loop did not release the virtual addresses; removing them directly");
                daemon.RemoveEveryAddress();
            }
        }
        catch (Exception e)
        {
            _log.Fatal($"Releasing the virtual addresses failed: {e}");
        }
        PidFile?.Dispose();
        _log.Fatal($"Stopped after an unhandled exception - exiting with status {ExitProgramError}");
        Environment.Exit(ExitProgramError);
    }
}
