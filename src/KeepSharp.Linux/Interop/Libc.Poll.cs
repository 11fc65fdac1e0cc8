using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

internal static unsafe partial class Libc
{
    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);
}
