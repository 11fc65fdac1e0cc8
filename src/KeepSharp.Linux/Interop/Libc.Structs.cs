using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

internal static partial class Libc
{
    /// <summary>struct sockaddr_in. Port and address are in network byte order.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SockAddrIn
    {
        internal ushort Family;
        internal ushort Port;
        internal uint Address;
        internal ulong Zero;
    }

    /// <summary>struct sockaddr_nl.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SockAddrNl
    {
        internal ushort Family;
        internal ushort Pad;
        internal uint Pid;
        internal uint Groups;
    }

    /// <summary>struct ip_mreqn. Addresses are in network byte order.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct IpMreqn
    {
        internal uint MulticastAddress;
        internal uint InterfaceAddress;
        internal int InterfaceIndex;
    }

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        internal int Fd;
        internal short Events;
        internal short REvents;
    }

    /// <summary>struct timeval (64-bit time_t).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct TimeVal
    {
        internal long Seconds;
        internal long Microseconds;
    }
}
