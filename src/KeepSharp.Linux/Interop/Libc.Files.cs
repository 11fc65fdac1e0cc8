using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

// Files the daemon writes as root (see Files/SafeFile.cs).
internal static unsafe partial class Libc
{
    // open(2) flags. O_NOFOLLOW is the one that differs between architectures:
    // 0400000 on x86 and x86_64, 0100000 on arm and arm64 (asm/fcntl.h).
    internal const int O_WRONLY = 0x1;
    internal const int O_CREAT = 0x40;
    internal const int O_EXCL = 0x80;
    internal const int O_APPEND = 0x400;
    internal static readonly int O_NOFOLLOW =
        RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    // statx(2) flags and file types (statx itself: Libc.FileStatus.cs)
    internal const int AT_EMPTY_PATH = 0x1000;
    internal const ushort S_IFMT = 0xf000;
    internal const ushort S_IFREG = 0x8000;

    /// <summary>The three-argument open(2), for O_CREAT (the mode is used only when the file is created).</summary>
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags, uint mode);

    /// <summary>rename(2): atomically replaces <paramref name="newPath"/>; a symlink there is replaced, not followed.</summary>
    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Rename(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Unlink(string path);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    internal static partial int FChmod(int fd, uint mode);
}
