using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

internal static partial class Libc
{
    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int EventFd(uint initialValue, int flags);
}
