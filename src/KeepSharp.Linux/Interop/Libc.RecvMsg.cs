using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

// recvmsg/sendmsg and ancillary data (64-bit Linux ABI: x86_64 and arm64).
internal static unsafe partial class Libc
{
    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    internal static partial nint RecvMsg(FileDescriptorHandle fd, MsgHdr* message, int flags);

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    internal static partial nint SendMsg(FileDescriptorHandle fd, MsgHdr* message, int flags);

    internal const int MSG_CTRUNC = 0x8;
    internal const int MSG_DONTROUTE = 0x4;

    /// <summary>struct in_pktinfo (IP_PKTINFO ancillary data). Addresses in network byte order.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct InPktInfo
    {
        internal int InterfaceIndex;
        internal uint SpecificDestination; // local address the packet was routed to
        internal uint HeaderDestination;   // destination address in the IP header
    }

    /// <summary>struct iovec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct IoVec
    {
        internal void* Base;
        internal nuint Length;
    }

    /// <summary>struct msghdr.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MsgHdr
    {
        internal void* Name;
        internal uint NameLength;
        internal IoVec* Iov;
        internal nuint IovLength;
        internal void* Control;
        internal nuint ControlLength;
        internal int Flags;
    }

    /// <summary>struct cmsghdr; data follows at <see cref="CmsgHeaderSize"/>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct CmsgHdr
    {
        internal nuint Length;
        internal int Level;
        internal int Type;
    }

    internal static int CmsgAlign(int length) => (length + sizeof(nuint) - 1) & ~(sizeof(nuint) - 1);

    internal static int CmsgHeaderSize => CmsgAlign(sizeof(CmsgHdr));

    /// <summary>CMSG_SPACE(dataLength).</summary>
    internal static int CmsgSpace(int dataLength) => CmsgHeaderSize + CmsgAlign(dataLength);

    /// <summary>CMSG_LEN(dataLength).</summary>
    internal static int CmsgLen(int dataLength) => CmsgHeaderSize + dataLength;
}
