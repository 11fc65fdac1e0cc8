using System.Runtime.InteropServices;
using System.Text;
using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux.Notify;

/// <summary>
/// A notify FIFO as keepalived 2.2.7 <c>lib/notify.c fifo_open()</c> and <c>fifo_close()</c> handle it: created with
/// mkfifo(path, 0644) when missing (then chowned to the configured user when that differs from the daemon's), opened
/// <c>O_RDWR | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW</c> so opening never waits for a reader and a write never blocks;
/// a path that already exists is opened as it is (keepalived does not check that it is a FIFO; a symlink fails on
/// O_NOFOLLOW). Writes that would block (no reader draining a full pipe) are dropped, as keepalived ignores
/// write(2)'s result. Closing unlinks the FIFO only if it was created here, before closing, so a reader
/// that loops reopening it cannot reopen it.
/// </summary>
public sealed class NotifyFifoFile : IDisposable
{
    private readonly FileDescriptorHandle _fd;

    private NotifyFifoFile(string path, FileDescriptorHandle fd, bool created, bool isFifo)
    {
        Path = path;
        _fd = fd;
        Created = created;
        IsFifo = isFifo;
    }

    public string Path { get; }

    /// <summary>True when this daemon created the FIFO (it is unlinked on close).</summary>
    public bool Created { get; }

    /// <summary>False when the path existed and is not a FIFO (it is written all the same, as keepalived does).</summary>
    public bool IsFifo { get; }

    /// <summary>Lines not written because the pipe was full or the write failed.</summary>
    public long DroppedWrites { get; private set; }

    /// <summary>
    /// mkfifo(2) when missing: returns false with keepalived's wording when creation fails for another reason than
    /// EEXIST. <paramref name="created"/> tells whether it was created (and so must be removed if the open fails).
    /// </summary>
    public static bool TryCreate(string path, uint? ownerUid, uint? ownerGid, out bool created, out string? message)
    {
        ArgumentNullException.ThrowIfNull(path);
        message = null;
        created = Libc.MkFifo(path, 0x1A4) == 0; // S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH
        if (created)
        {
            uint uid = Libc.GetEUid(), gid = Libc.GetEGid();
            if ((ownerUid is { } u && u != uid) || (ownerGid is { } g && g != gid))
            {
                uint newUid = ownerUid is { } ou && ou != uid ? ou : uint.MaxValue;
                uint newGid = ownerGid is { } og && og != gid ? og : uint.MaxValue;
                if (Libc.Chown(path, newUid, newGid) != 0)
                {
                    message = $"Failed to set uid:gid for fifo {path}";
                }
            }

            return true;
        }

        int errno = Libc.LastErrno;
        if (errno == Libc.EEXIST)
        {
            return true;
        }

        message = $"Unable to create notify fifo {path} - {Marshal.GetPInvokeErrorMessage(errno)}";
        return false;
    }

    /// <summary>Opens the path (after <see cref="TryCreate"/>); on failure removes a FIFO that was just created.</summary>
    public static NotifyFifoFile? Open(string path, bool created, out string? message)
    {
        ArgumentNullException.ThrowIfNull(path);
        int fd = Libc.Open(path, Libc.O_RDWR | Libc.O_CLOEXEC | Libc.O_NONBLOCK | Libc.O_NOFOLLOW);
        if (fd < 0)
        {
            int errno = Libc.LastErrno;
            message = $"Unable to open notify fifo {path} - errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})";
            if (created)
            {
                _ = Libc.Unlink(path);
            }

            return null;
        }

        var handle = new FileDescriptorHandle(fd);
        bool isFifo = IsFifoDescriptor(path);
        message = isFifo ? null : $"notify fifo {path} exists and is not a FIFO - writing to it as keepalived does";
        return new NotifyFifoFile(path, handle, created, isFifo);
    }

    /// <summary>Writes one line without blocking; a full pipe drops it (counted in <see cref="DroppedWrites"/>).</summary>
    public unsafe bool Write(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        int length = Encoding.UTF8.GetByteCount(line);
        Span<byte> bytes = length <= 512 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(line, bytes);
        fixed (byte* p = bytes)
        {
            if (Libc.Write(_fd, p, (nuint)length) == length)
            {
                return true;
            }
        }

        DroppedWrites++;
        return false;
    }

    public void Dispose()
    {
        if (_fd.IsClosed)
        {
            return;
        }

        if (Created)
        {
            _ = Libc.Unlink(Path);
        }

        _fd.Dispose();
    }

    private static unsafe bool IsFifoDescriptor(string path)
    {
        Libc.StatxBuffer status = default;
        return Libc.Statx(Libc.AT_FDCWD, path, Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, &status) == 0
            && (status.Mode & 0xF000) == 0x1000;
    }
}
