using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux;

/// <summary>
/// poll(2) over a small set of file descriptors, plus an eventfd that any thread may signal to wake the
/// waiting thread. Waiting allocates nothing.
/// </summary>
public sealed unsafe class Poller : IDisposable
{
    private readonly int _wakeFd;
    private PollFd[] _fds;
    private int _count;

    public Poller()
    {
        _wakeFd = Libc.EventFd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        if (_wakeFd < 0)
            throw Errno.Exception("eventfd", Errno.Last);
        _fds = new PollFd[8];
        _fds[0] = new PollFd { Fd = _wakeFd, Events = Libc.POLLIN };
        _count = 1;
    }

    /// <summary>Adds <paramref name="fd"/> for readability; returns its slot for <see cref="IsReadable"/>.</summary>
    public int Register(int fd)
    {
        if (_count == _fds.Length)
            Array.Resize(ref _fds, _fds.Length * 2);
        _fds[_count] = new PollFd { Fd = fd, Events = Libc.POLLIN };
        return _count++;
    }

    /// <summary>Waits until a registered fd is readable, <see cref="Wake"/> is called, or the timeout (−1: none) passes. Returns the number of ready fds.</summary>
    public int Wait(int timeoutMilliseconds)
    {
        int ready;
        fixed (PollFd* p = _fds)
        {
            for (int i = 0; i < _count; i++)
                p[i].ReturnedEvents = 0;
            ready = Libc.Poll(p, (nuint)_count, timeoutMilliseconds);
        }
        if (ready < 0)
        {
            int errno = Errno.Last;
            if (errno != Errno.EINTR)
                throw Errno.Exception("poll", errno);
            return 0;
        }
        if ((_fds[0].ReturnedEvents & Libc.POLLIN) != 0)
        {
            ulong value;
            Libc.Read(_wakeFd, &value, sizeof(ulong));
        }
        return ready;
    }

    /// <summary>After <see cref="Wait"/>: whether the fd in <paramref name="slot"/> is readable (or in error, which a read reports).</summary>
    public bool IsReadable(int slot) => (_fds[slot].ReturnedEvents & (Libc.POLLIN | Libc.POLLERR | Libc.POLLHUP)) != 0;

    /// <summary>Thread-safe: makes the current or next <see cref="Wait"/> return.</summary>
    public void Wake()
    {
        ulong one = 1;
        Libc.Write(_wakeFd, &one, sizeof(ulong));
    }

    public void Dispose() => Libc.Close(_wakeFd);
}
