using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux;

/// <summary>
/// ppoll(2) over a small set of file descriptors plus an eventfd for cross-thread wake-up.
/// <see cref="Register"/>, <see cref="Unregister"/>, <see cref="Wait"/> and the result queries belong to the
/// event-loop thread; <see cref="Wake"/> is thread-safe.
/// </summary>
public sealed unsafe class Poller : IDisposable
{
    private readonly FileDescriptorHandle _eventFd;
    private Libc.PollFd[] _fds;   // [0] is the eventfd; slot i is _fds[i + 1]
    private int _count;           // registered slots (including unregistered holes)

    public Poller(int initialCapacity = 8)
    {
        int fd = Libc.EventFd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        LinuxNetworkException.ThrowIfFailed(fd, "eventfd");
        _eventFd = new FileDescriptorHandle(fd);
        _fds = new Libc.PollFd[Math.Max(1, initialCapacity) + 1];
        _fds[0] = new Libc.PollFd { Fd = fd, Events = Libc.POLLIN };
    }

    /// <summary>True when the last <see cref="Wait"/> returned because of <see cref="Wake"/> (the wake-up is consumed).</summary>
    public bool WasWoken { get; private set; }

    /// <summary>Watches <paramref name="fd"/> for readability (and writability if asked); returns its slot.</summary>
    public int Register(int fd, bool writable = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fd);
        for (int i = 1; i <= _count; i++)
        {
            if (_fds[i].Fd < 0)
            {
                _fds[i] = Entry(fd, writable);
                return i - 1;
            }
        }

        if (_count + 1 == _fds.Length)
        {
            Array.Resize(ref _fds, _fds.Length * 2);
        }

        _count++;
        _fds[_count] = Entry(fd, writable);
        return _count - 1;
    }

    /// <summary>Stops watching a slot; the slot number may be reused by a later <see cref="Register"/>.</summary>
    public void Unregister(int slot)
    {
        ref Libc.PollFd e = ref SlotRef(slot);
        e = new Libc.PollFd { Fd = -1 };
    }

    /// <summary>
    /// Blocks until a registered fd is ready, <see cref="Wake"/> is called, or the timeout (null = infinite) elapses.
    /// Returns the number of ready registered slots (0 on timeout, wake-up only, or EINTR); -errno on failure.
    /// The timeout keeps its sub-millisecond part (ppoll's timespec), so a deadline is met to the kernel's timer slack
    /// rather than up to a millisecond late as with poll's rounded-up milliseconds.
    /// </summary>
    public int Wait(TimeSpan? timeout)
    {
        Libc.TimeSpec spec = ToTimeSpec(timeout ?? TimeSpan.Zero);
        int ready;
        fixed (Libc.PollFd* p = _fds)
        {
            ready = Libc.PPoll(p, (nuint)(_count + 1), timeout is null ? null : &spec, null);
        }

        WasWoken = false;
        if (ready < 0)
        {
            int errno = Libc.LastErrno;
            ClearResults();
            return errno == Errno.EINTR ? 0 : -errno;
        }

        if ((_fds[0].REvents & Libc.POLLIN) != 0)
        {
            ulong value;
            Libc.Read(_eventFd, &value, sizeof(ulong)); // resets the counter
            WasWoken = true;
            ready--;
        }

        return ready;
    }

    /// <summary>
    /// Sleeps for <paramref name="duration"/> watching only for <see cref="Wake"/> (registered descriptors are not
    /// watched, and their results read as not ready). True when woken early; the wake-up is left pending, so the next
    /// <see cref="Wait"/> returns at once and reports it.
    /// </summary>
    public bool Sleep(TimeSpan duration)
    {
        ClearResults();
        Libc.TimeSpec spec = ToTimeSpec(duration);
        int ready;
        fixed (Libc.PollFd* p = _fds)
        {
            ready = Libc.PPoll(p, 1, &spec, null);
        }

        bool woken = ready > 0 && (_fds[0].REvents & Libc.POLLIN) != 0;
        _fds[0].REvents = 0;
        return woken;
    }

    /// <summary>Readable, or hung up / in error (a read will not block and reports the condition).</summary>
    public bool IsReadable(int slot) => (SlotRef(slot).REvents & (Libc.POLLIN | Libc.POLLPRI | Libc.POLLERR | Libc.POLLHUP)) != 0;

    public bool IsWritable(int slot) => (SlotRef(slot).REvents & Libc.POLLOUT) != 0;

    public bool HasError(int slot) => (SlotRef(slot).REvents & (Libc.POLLERR | Libc.POLLHUP | Libc.POLLNVAL)) != 0;

    /// <summary>Interrupts a concurrent or the next <see cref="Wait"/>. Thread-safe, allocation-free.</summary>
    public void Wake()
    {
        ulong one = 1;
        Libc.Write(_eventFd, &one, sizeof(ulong)); // EAGAIN only if the counter is saturated: already pending
    }

    public void Dispose() => _eventFd.Dispose();

    /// <summary>The timespec ppoll waits for: negative spans are zero, ticks (100 ns) become nanoseconds, nothing is rounded.</summary>
    internal static Libc.TimeSpec ToTimeSpec(TimeSpan timeout)
    {
        long ticks = Math.Max(0, timeout.Ticks);
        return new Libc.TimeSpec
        {
            Seconds = ticks / TimeSpan.TicksPerSecond,
            Nanoseconds = ticks % TimeSpan.TicksPerSecond * TimeSpan.NanosecondsPerTick,
        };
    }

    private void ClearResults()
    {
        for (int i = 0; i <= _count; i++)
        {
            _fds[i].REvents = 0;
        }
    }

    private ref Libc.PollFd SlotRef(int slot)
    {
        if ((uint)slot >= (uint)_count)
        {
            throw new ArgumentOutOfRangeException(nameof(slot));
        }

        return ref _fds[slot + 1];
    }

    private static Libc.PollFd Entry(int fd, bool writable)
        => new() { Fd = fd, Events = (short)(Libc.POLLIN | (writable ? Libc.POLLOUT : 0)) };
}
