using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

internal static unsafe partial class Libc
{
    /// <summary>struct mmsghdr: one message of a <c>sendmmsg</c> batch and the bytes the kernel sent of it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MMsgHdr
    {
        internal MsgHdr Header;
        internal uint Length;
    }

    /// <summary>
    /// sendmmsg(2) on a managed <see cref="System.Net.Sockets.Socket"/>'s descriptor: the number of messages sent (the
    /// kernel stops at the first that fails and drops its error unless it was the first), or -1 and errno.
    /// </summary>
    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    internal static partial int SendMmsg(System.Net.Sockets.SafeSocketHandle fd, MMsgHdr* messages, uint count, int flags);
}
