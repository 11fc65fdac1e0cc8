using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

// sendmmsg/recvmmsg: several datagrams per system call (64-bit Linux ABI: x86_64 and arm64).
internal static unsafe partial class Libc
{
    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    internal static partial int SendMMsg(FileDescriptorHandle fd, MMsgHdr* messages, uint count, int flags);

    /// <summary>
    /// sendmmsg(2) on a managed <see cref="System.Net.Sockets.Socket"/>'s descriptor (the packet socket of gratuitous ARPs
    /// and NAs): the number of messages sent (the kernel stops at the first that fails and drops its error unless it was
    /// the first), or -1 and errno.
    /// </summary>
    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    internal static partial int SendMMsg(System.Net.Sockets.SafeSocketHandle fd, MMsgHdr* messages, uint count, int flags);

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    internal static partial int RecvMMsg(FileDescriptorHandle fd, MMsgHdr* messages, uint count, int flags, TimeSpec* timeout);

    /// <summary>struct mmsghdr: a message header and the bytes sent or received for it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MMsgHdr
    {
        internal MsgHdr Header;
        internal uint Length;
    }
}
