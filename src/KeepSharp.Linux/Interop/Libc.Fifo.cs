using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

// Named pipes (notify_fifo); open/unlink/O_NOFOLLOW: Libc.Files.cs.
internal static partial class Libc
{
    internal const int EEXIST = 17;

    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int MkFifo(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Chown(string path, uint owner, uint group);
}
