using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

// IPv6 socket constants and structs (linux/in6.h, linux/ipv6.h; identical on x86_64 and arm64).
// in6_addr is 4-byte aligned in C: Pack = 4 keeps sizeof(in6_pktinfo) = sizeof(ipv6_mreq) = 20, sockaddr_in6 = 28.
internal static partial class Libc
{
    internal const int ENOPROTOOPT = 92;

    internal const int IPPROTO_IPV6 = 41;
    internal const int IPPROTO_ICMPV6 = 58;

    // IPPROTO_IPV6 socket options
    internal const int IPV6_CHECKSUM = 7;
    internal const int IPV6_UNICAST_HOPS = 16;
    internal const int IPV6_MULTICAST_IF = 17;
    internal const int IPV6_MULTICAST_HOPS = 18;
    internal const int IPV6_MULTICAST_LOOP = 19;
    internal const int IPV6_ADD_MEMBERSHIP = 20;
    internal const int IPV6_DROP_MEMBERSHIP = 21;
    internal const int IPV6_MULTICAST_ALL = 29;
    internal const int IPV6_RECVPKTINFO = 49;
    internal const int IPV6_PKTINFO = 50;
    internal const int IPV6_RECVHOPLIMIT = 51;
    internal const int IPV6_HOPLIMIT = 52;

    /// <summary>struct sockaddr_in6 (28 bytes). Port and flow info in network byte order.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    internal struct SockAddrIn6
    {
        internal ushort Family;
        internal ushort Port;
        internal uint FlowInfo;
        internal In6Addr Address;
        internal uint ScopeId;
    }

    /// <summary>struct in6_addr: 16 bytes in wire order.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4, Size = 16)]
    internal struct In6Addr
    {
        internal ulong High; // bytes 0..7 as laid out in memory
        internal ulong Low;  // bytes 8..15
    }

    /// <summary>struct ipv6_mreq.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    internal struct Ipv6Mreq
    {
        internal In6Addr MulticastAddress;
        internal int InterfaceIndex;
    }

    /// <summary>struct in6_pktinfo (IPV6_PKTINFO ancillary data).</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    internal struct In6PktInfo
    {
        internal In6Addr Address;
        internal int InterfaceIndex;
    }
}
