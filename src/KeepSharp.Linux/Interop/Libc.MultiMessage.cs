using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

// sendmmsg/recvmmsg: several datagrams per system call (64-bit Linux ABI: x86_64 and arm64).
internal static unsafe partial class Libc
{
    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    internal static partial int SendMMsg(FileDescriptorHandle fd, MMsgHdr* messages, uint count, int flags);

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
