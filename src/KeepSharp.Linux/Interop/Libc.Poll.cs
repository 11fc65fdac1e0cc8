using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

internal static unsafe partial class Libc
{
    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    /// <summary>ppoll(2): as poll with a nanosecond timeout (null = infinite); <paramref name="signalMask"/> null keeps the mask.</summary>
    [LibraryImport("libc", EntryPoint = "ppoll", SetLastError = true)]
    internal static partial int PPoll(PollFd* fds, nuint count, TimeSpec* timeout, void* signalMask);
}
