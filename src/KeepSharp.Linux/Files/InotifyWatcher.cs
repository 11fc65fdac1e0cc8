using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux.Files;

/// <summary>The inotify events keepalived's tracked files listen to (inotify(7)).</summary>
[Flags]
public enum InotifyEvents : uint
{
    None = 0,
    CloseWrite = 0x8,
    MovedFrom = 0x40,
    MovedTo = 0x80,
    Delete = 0x200,
    IsDirectory = 0x4000_0000,
    /// <summary>IN_MOVE.</summary>
    Move = MovedFrom | MovedTo,
}

/// <summary>One inotify event: the watch it came from, what happened, and the entry's name in the watched directory.</summary>
public readonly record struct InotifyEvent(int Watch, InotifyEvents Mask, string Name);

/// <summary>
/// A non-blocking inotify instance (inotify_init1(IN_NONBLOCK | IN_CLOEXEC)): add directory watches, poll
/// <see cref="Fd"/> for readability, then <see cref="ReadEvents"/> drains what is queued.
/// </summary>
public sealed unsafe class InotifyWatcher : IDisposable
{
    /// <summary>sizeof(struct inotify_event): wd, mask, cookie, len.</summary>
    private const int HeaderSize = 16;

    private readonly FileDescriptorHandle _fd;
    private readonly byte[] _buffer = new byte[64 * (HeaderSize + 256)];

    public InotifyWatcher()
    {
        int fd = Libc.InotifyInit1(Libc.IN_NONBLOCK | Libc.IN_CLOEXEC);
        if (fd < 0)
            throw new IOException($"inotify_init1 failed: errno {Marshal.GetLastPInvokeError()}");
        _fd = new FileDescriptorHandle(fd);
    }

    /// <summary>The descriptor to poll for readability.</summary>
    public int Fd => _fd.Fd;

    /// <summary>Watches <paramref name="path"/> for <paramref name="events"/>; returns the watch descriptor, or −errno.</summary>
    public int AddWatch(string path, InotifyEvents events)
    {
        int wd = Libc.InotifyAddWatch(_fd, path, (uint)events);
        return wd >= 0 ? wd : -Marshal.GetLastPInvokeError();
    }

    /// <summary>Reads every queued event (until EAGAIN) and hands each to <paramref name="onEvent"/>.</summary>
    /// <returns>The number of events read.</returns>
    public int ReadEvents(Action<InotifyEvent> onEvent)
    {
        int count = 0;
        while (true)
        {
            nint length;
            fixed (byte* p = _buffer)
                length = Libc.Read(_fd, p, (nuint)_buffer.Length);
            if (length < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR)
                    continue;
                if (errno == Errno.EAGAIN)
                    return count;
                throw new IOException($"inotify read failed: errno {errno}");
            }
            if (length < HeaderSize)
                return count;
            var data = _buffer.AsSpan(0, (int)length);
            while (data.Length >= HeaderSize)
            {
                int wd = BinaryPrimitives.ReadInt32LittleEndian(data);
                uint mask = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
                int nameLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(data[12..]);
                var name = data.Slice(HeaderSize, nameLength);
                int nul = name.IndexOf((byte)0);
                onEvent(new InotifyEvent(wd, (InotifyEvents)mask, Encoding.UTF8.GetString(nul < 0 ? name : name[..nul])));
                count++;
                data = data[(HeaderSize + nameLength)..];
            }
        }
    }

    public void Dispose() => _fd.Dispose();
}
