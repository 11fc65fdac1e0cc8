using System.Globalization;
using KeepSharp.Linux;
using KeepSharp.Linux.Systemd;

namespace KeepSharp.Tests.Operations;

/// <summary>sd_notify without libsystemd: exact datagrams at a real AF_UNIX socket, path and abstract; the watchdog's environment.</summary>
public sealed class SystemdNotifierTests
{
    [Fact]
    public void Ready_stopping_and_watchdog_are_one_exact_datagram_each_at_a_path_socket()
    {
        using var listener = NotifyListener.AtPath();
        using var notifier = new SystemdNotifier(listener.Name);
        Assert.True(notifier.IsEnabled);
        Assert.Null(notifier.Problem);

        Assert.True(notifier.Ready());
        Assert.True(notifier.Watchdog());
        Assert.True(notifier.Stopping());

        Assert.Equal("READY=1"u8.ToArray(), listener.Receive());
        Assert.Equal("WATCHDOG=1"u8.ToArray(), listener.Receive());
        Assert.Equal("STOPPING=1"u8.ToArray(), listener.Receive());
        Assert.True(listener.IsQuiet(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(0, notifier.FailedSends);
    }

    [Fact]
    public void An_at_sign_names_an_abstract_socket()
    {
        using var listener = NotifyListener.Abstract();
        using var notifier = new SystemdNotifier(listener.Name);
        Assert.True(notifier.IsEnabled);

        Assert.True(notifier.Ready());

        Assert.Equal("READY=1"u8.ToArray(), listener.Receive());
    }

    [Fact]
    public void Reloading_carries_clock_monotonic_in_microseconds_then_ready_follows()
    {
        using var listener = NotifyListener.AtPath();
        using var notifier = new SystemdNotifier(listener.Name);

        long before = SystemdNotifier.MonotonicMicroseconds();
        Assert.True(notifier.Reloading());
        long after = SystemdNotifier.MonotonicMicroseconds();
        Assert.True(notifier.Ready());

        string reloading = listener.ReceiveText();
        Assert.StartsWith("RELOADING=1\nMONOTONIC_USEC=", reloading);
        long usec = long.Parse(reloading["RELOADING=1\nMONOTONIC_USEC=".Length..], NumberStyles.None, CultureInfo.InvariantCulture);
        Assert.InRange(usec, before, after);
        Assert.Equal("READY=1", listener.ReceiveText());
        // CLOCK_MONOTONIC, the clock systemd compares with: .NET's Stopwatch reads the same clock on Linux (ns).
        Assert.InRange(usec, before, System.Diagnostics.Stopwatch.GetTimestamp() / 1000);
        Assert.Equal("RELOADING=1\nMONOTONIC_USEC=1234567", SystemdNotifier.ReloadingMessage(1234567));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_a_socket_every_message_is_a_no_op(string? socket)
    {
        using var notifier = new SystemdNotifier(socket, watchdogUsec: "6000000");
        Assert.False(notifier.IsEnabled);
        Assert.Null(notifier.Problem);
        Assert.Null(notifier.WatchdogTimeout);
        Assert.True(notifier.Ready());
        Assert.True(notifier.Reloading());
        Assert.True(notifier.Watchdog());
        Assert.True(notifier.Stopping());
        Assert.Equal(0, notifier.FailedSends);
    }

    [Theory]
    [InlineData("run/notify")]
    [InlineData("vsock:2:1234")]
    [InlineData("@")]
    public void An_address_systemd_would_not_give_disables_it_with_a_reason(string socket)
    {
        using var notifier = new SystemdNotifier(socket);
        Assert.False(notifier.IsEnabled);
        Assert.Contains(socket, notifier.Problem);
        Assert.True(notifier.Ready());
    }

    [Fact]
    public void A_path_longer_than_sun_path_is_refused_and_107_bytes_of_abstract_name_fit()
    {
        using var tooLong = new SystemdNotifier("/" + new string('x', 107));
        Assert.False(tooLong.IsEnabled);
        Assert.Contains("does not fit", tooLong.Problem);

        Span<byte> address = stackalloc byte[110];
        Assert.True(SystemdNotifier.TryEncodeAddress("/" + new string('x', 106), address, out uint pathLength, out _));
        Assert.Equal(2u + 107 + 1, pathLength); // family, path, its NUL
        Assert.True(SystemdNotifier.TryEncodeAddress("@" + new string('y', 107), address, out uint abstractLength, out _));
        Assert.Equal(2u + 108, abstractLength); // family, leading NUL, name (no terminator)
        Assert.Equal(0, address[2]);
        Assert.Equal((byte)'y', address[3]);
    }

    [Fact]
    public void A_socket_nobody_listens_on_counts_a_failed_send_and_never_throws()
    {
        string path = Path.Combine(Path.GetTempPath(), $"keepsharp-absent-{Guid.NewGuid():N}");
        using var notifier = new SystemdNotifier(path);
        Assert.True(notifier.IsEnabled);

        Assert.False(notifier.Ready());
        Assert.False(notifier.Watchdog());

        Assert.Equal(2, notifier.FailedSends);
        Assert.Equal(Errno.ENOENT, notifier.LastErrno);
    }

    [Theory]
    [InlineData("6000000", null, 6.0)]
    [InlineData("6000000", "", 6.0)]
    [InlineData("6000000", "4242", 6.0)]     // WATCHDOG_PID is ours
    [InlineData("250000", null, 0.25)]
    [InlineData("1", null, 0.000001)]
    [InlineData("6000000", "4243", null)]    // another process's watchdog
    [InlineData("6000000", "pid", null)]
    [InlineData("0", null, null)]
    [InlineData("", null, null)]
    [InlineData(null, "4242", null)]
    [InlineData("-5", null, null)]
    [InlineData(" 6000000", null, null)]
    [InlineData("6s", null, null)]
    [InlineData("99999999999999999999999", null, null)]
    public void The_watchdog_timeout_is_watchdog_usec_for_this_process_only(string? usec, string? pid, double? seconds)
    {
        TimeSpan? timeout = SystemdNotifier.ParseWatchdog(usec, pid, processId: 4242);
        Assert.Equal(seconds is { } s ? TimeSpan.FromMicroseconds(Math.Round(s * 1_000_000)) : null, timeout);
    }

    [Fact]
    public void The_watchdog_is_fed_every_half_timeout_and_a_foreign_watchdog_pid_is_ignored()
    {
        using var listener = NotifyListener.AtPath();
        using var ours = new SystemdNotifier(listener.Name, "6000000", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(TimeSpan.FromSeconds(6), ours.WatchdogTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), ours.WatchdogInterval);

        using var foreign = new SystemdNotifier(listener.Name, "6000000", (Environment.ProcessId + 1).ToString(CultureInfo.InvariantCulture));
        Assert.True(foreign.IsEnabled); // READY/STOPPING still go to systemd
        Assert.Null(foreign.WatchdogTimeout);
        Assert.Null(foreign.WatchdogInterval);
    }

    [Fact]
    public void Feeding_the_watchdog_allocates_nothing()
    {
        using var listener = NotifyListener.AtPath();
        using var notifier = new SystemdNotifier(listener.Name);
        for (int i = 0; i < 100; i++)
        {
            notifier.Watchdog();
            listener.Receive();
        }
        // A Unix datagram socket queues at most net.unix.max_dgram_qlen (10) datagrams: rounds of 8, drained in between.
        long allocated = 0;
        for (int round = 0; round < 10; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 8; i++)
                Assert.True(notifier.Watchdog());
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            for (int i = 0; i < 8; i++)
                Assert.Equal("WATCHDOG=1"u8.ToArray(), listener.Receive());
        }
        Assert.Equal(0, allocated);
    }
}
