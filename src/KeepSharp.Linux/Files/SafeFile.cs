using System.Text;
using KeepSharp.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace KeepSharp.Linux.Files;

/// <summary>
/// Files the daemon writes as root, often in a directory any user can write to (<c>/tmp</c>): it never
/// follows a symlink someone planted there and never writes into a file someone else prepared
/// (keepalived's CVE-2018-19044, -19045 and -19046, fixed in keepalived by <c>fopen_safe</c>).
/// </summary>
public static class SafeFile
{
    private const int MaxNameAttempts = 8;
    private const int MaxReadBytes = 4096;
    private const uint OwnerReadWrite = (uint)(UnixFileMode.UserRead | UnixFileMode.UserWrite);

    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="contents"/>, whole or not at all: the bytes go to a
    /// new file on an unpredictable name in the same directory (O_CREAT|O_EXCL|O_NOFOLLOW, so nothing that
    /// already exists is opened, whatever it is), which is then renamed over <paramref name="path"/>. rename(2)
    /// replaces a symlink at <paramref name="path"/> instead of following it, and a reader never sees half a file.
    /// Returns 0, or the errno of the step that failed (the temporary file is removed).
    /// </summary>
    public static int Replace(string path, ReadOnlySpan<byte> contents, UnixFileMode mode)
    {
        int fd = -1;
        string temporary = "";
        Span<byte> random = stackalloc byte[6];
        for (int attempt = 0; attempt < MaxNameAttempts && fd < 0; attempt++)
        {
            Libc.FillRandom(random);
            temporary = path + "." + Convert.ToHexString(random);
            fd = Libc.Open(temporary, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, OwnerReadWrite);
            if (fd < 0 && Libc.LastErrno != Errno.EEXIST)
                return Libc.LastErrno;
        }
        if (fd < 0)
            return Errno.EEXIST;

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            RandomAccess.Write(handle, contents, 0);
            if (Libc.FChmod(fd, (uint)mode) != 0 || Libc.Rename(temporary, path) != 0)
            {
                int errno = Libc.LastErrno;
                Libc.Unlink(temporary);
                return errno;
            }
            return 0;
        }
        catch (IOException)
        {
            Libc.Unlink(temporary);
            return Errno.EIO;
        }
    }

    /// <summary>
    /// Opens a log file for appending (keepalived's <c>-g</c>), creating it with <paramref name="mode"/>. The last
    /// path component must not be a symlink (O_NOFOLLOW), and an existing file is used only when it is a regular
    /// file with a single link owned by this user: a file, or a hard link to one, that another user prepared is refused.
    /// </summary>
    /// <exception cref="IOException">The file cannot be opened or is not safe to append to.</exception>
    public static unsafe SafeFileHandle OpenForAppend(string path, UnixFileMode mode)
    {
        int fd = Libc.Open(path, Libc.O_WRONLY | Libc.O_APPEND | Libc.O_CREAT | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, (uint)mode);
        if (fd < 0)
            throw new IOException($"cannot open {path}: {Errno.Describe(Libc.LastErrno)}");
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        Libc.StatxBuffer status;
        if (Libc.Statx(fd, "", Libc.AT_EMPTY_PATH, Libc.STATX_BASIC_STATS, &status) != 0)
        {
            int errno = Libc.LastErrno;
            handle.Dispose();
            throw new IOException($"cannot inspect {path}: {Errno.Describe(errno)}");
        }
        string? refusal = (status.Mode & Libc.S_IFMT) != Libc.S_IFREG ? "it is not a regular file"
            : status.LinkCount != 1 ? $"it has {status.LinkCount} hard links"
            : status.Uid != Libc.GetEUid() ? $"it is owned by uid {status.Uid}"
            : null;
        if (refusal is not null)
        {
            handle.Dispose();
            throw new IOException($"refusing to write to {path}: {refusal}");
        }
        return handle;
    }

    /// <summary>The text of a small regular file, without following a symlink; null when there is none.</summary>
    public static string? ReadNoFollow(string path)
    {
        int fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
        if (fd < 0)
            return null;
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            Span<byte> buffer = stackalloc byte[MaxReadBytes];
            int length = RandomAccess.Read(handle, buffer, 0);
            return Encoding.UTF8.GetString(buffer[..length]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>unlink(2): removes the name (a symlink itself, never its target). Returns 0 or the errno.</summary>
    public static int Delete(string path) => Libc.Unlink(path) == 0 ? 0 : Libc.LastErrno;
}
