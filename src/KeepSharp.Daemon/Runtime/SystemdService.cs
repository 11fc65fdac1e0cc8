using KeepSharp.Daemon.Logging;
using KeepSharp.Daemon.Runtime.Loop;
using KeepSharp.Linux;
using KeepSharp.Linux.Systemd;

namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// The daemon's side of systemd's <c>Type=notify</c> protocol: <c>READY=1</c> once every instance has started
/// and the loop is about to wait for events, then <c>WATCHDOG=1</c> every half <c>WatchdogSec=</c> from a timer
/// on the loop, so a loop that hangs stops feeding the watchdog and systemd restarts the daemon.
/// (<c>STOPPING=1</c> is sent by the stop request itself.) With no <c>$NOTIFY_SOCKET</c> nothing is attached.
/// </summary>
internal sealed class SystemdService
{
    private readonly SystemdNotifier _notifier;
    private readonly ILoopServices _loop;
    private readonly Log _log;
    private readonly Action _feed;
    private long _period;
    private long _nextDue;
    private bool _feedFailing;

    internal SystemdService(SystemdNotifier notifier, ILoopServices loop, Log log)
    {
        _notifier = notifier;
        _loop = loop;
        _log = log;
        _feed = Feed;
    }

    /// <summary>Attaches <paramref name="notifier"/> to <paramref name="daemon"/>'s start (a no-op when it is disabled).</summary>
    public static void Attach(VrrpDaemon daemon, SystemdNotifier notifier, Log log)
    {
        if (notifier.Problem is { } problem)
            log.Warning(problem);
        if (!notifier.IsEnabled)
            return;
        var service = new SystemdService(notifier, daemon.Loop, log);
        daemon.WhenStarted(service.OnStarted);
        // A reload: RELOADING=1 (with MONOTONIC_USEC) when an accepted configuration is applied, READY=1 when it is done.
        daemon.Reloading += () => notifier.Reloading();
        daemon.Reloaded += _ => notifier.Ready();
    }

    /// <summary>On the loop, every instance started: READY=1, and the watchdog's first feed scheduled.</summary>
    internal void OnStarted()
    {
        if (_notifier.Ready())
            _log.Detail($"systemd: READY=1 sent to {_notifier.SocketName}");
        else
            _log.Warning($"systemd: cannot send READY=1 to {_notifier.SocketName}: {Errno.Describe(_notifier.LastErrno)}");
        if (_notifier.WatchdogInterval is not { } interval)
            return;
        _period = Math.Max(1, (long)(interval.TotalSeconds * _loop.Time.TimestampFrequency));
        _log.Info($"systemd watchdog: WatchdogSec={_notifier.WatchdogTimeout!.Value.TotalSeconds:0.###}s, feeding it every {interval.TotalSeconds:0.###}s");
        _nextDue = _loop.Time.GetTimestamp() + _period;
        _loop.ScheduleAt(_nextDue, _feed);
    }

    private void Feed()
    {
        bool sent = _notifier.Watchdog();
        if (!sent && !_feedFailing)
            _log.Warning($"systemd watchdog: cannot send WATCHDOG=1 to {_notifier.SocketName}: {Errno.Describe(_notifier.LastErrno)}");
        else if (sent && _feedFailing)
            _log.Info("systemd watchdog: WATCHDOG=1 delivered again");
        _feedFailing = !sent;
        // On the period's grid; a loop that fell behind (a long pause) feeds once and continues from now.
        long now = _loop.Time.GetTimestamp();
        _nextDue += _period;
        if (_nextDue <= now)
            _nextDue = now + _period;
        _loop.ScheduleAt(_nextDue, _feed);
    }
}
