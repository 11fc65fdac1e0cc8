using System.Globalization;
using KeepSharp.Daemon.Logging;
using KeepSharp.Daemon.Runtime;
using KeepSharp.Linux.Systemd;
using KeepSharp.Tests.Daemon.Notify;

namespace KeepSharp.Tests.Operations;

/// <summary>The daemon's side: READY=1 when the loop starts, WATCHDOG=1 from the loop's timers every half WatchdogSec.</summary>
public sealed class SystemdServiceTests
{
    [Fact]
    public void Started_sends_ready_and_schedules_the_watchdog_on_the_loop_every_half_timeout()
    {
        using var listener = NotifyListener.AtPath();
        using var notifier = new SystemdNotifier(listener.Name, "4000000", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var loop = new FakeLoop();
        using var log = new Log([], detail: false);
        var service = new SystemdService(notifier, loop, log);
        long period = 2 * loop.Time.TimestampFrequency;

        long before = loop.Time.GetTimestamp();
        service.OnStarted();
        long after = loop.Time.GetTimestamp();

        Assert.Equal("READY=1", listener.ReceiveText());
        (long due, Action feed) = Assert.Single(loop.Timers);
        Assert.InRange(due, before + period, after + period);
        Assert.True(listener.IsQuiet(TimeSpan.FromMilliseconds(50)), "nothing is fed before the timer runs");

        // The loop runs the timer: one WATCHDOG=1, and the next feed on the same grid.
        loop.Timers.Clear();
        feed();
        Assert.Equal("WATCHDOG=1", listener.ReceiveText());
        (long next, Action again) = Assert.Single(loop.Timers);
        Assert.Equal(due + period, next);
        Assert.Same(feed, again);
    }

    [Fact]
    public void Without_a_watchdog_only_ready_is_sent_and_no_timer_is_scheduled()
    {
        using var listener = NotifyListener.AtPath();
        using var notifier = new SystemdNotifier(listener.Name, "4000000", "1"); // pid 1's watchdog, not ours
        var loop = new FakeLoop();
        using var log = new Log([], detail: false);

        new SystemdService(notifier, loop, log).OnStarted();

        Assert.Equal("READY=1", listener.ReceiveText());
        Assert.Empty(loop.Timers);
        Assert.True(listener.IsQuiet(TimeSpan.FromMilliseconds(50)));
    }
}
