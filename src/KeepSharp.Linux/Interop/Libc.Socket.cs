using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

/// <summary>socket(2), setsockopt(2), bind(2): for the families .NET's Socket does not offer (raw protocol 112, netlink).</summary>
internal static unsafe partial class Libc
{
    public const int AF_INET = 2;
    public const int AF_NETLINK = 16;
    public const int SOCK_RAW = 3;
    public const int SOCK_NONBLOCK = 0x800;
    public const int SOCK_CLOEXEC = 0x80000;

    public const int SOL_SOCKET = 1;
    public const int SO_RCVBUF = 8;
    public const int SO_BINDTODEVICE = 25;

    public const int IPPROTO_IP = 0;
    public const int IP_TOS = 1;
    public const int IP_HDRINCL = 3;
    public const int IP_MULTICAST_IF = 32;
    public const int IP_MULTICAST_TTL = 33;
    public const int IP_MULTICAST_LOOP = 34;
    public const int IP_ADD_MEMBERSHIP = 35;
    public const int IP_DROP_MEMBERSHIP = 36;

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSockOpt(int fd, int level, int name, void* value, uint length);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    public static partial int Bind(int fd, void* address, uint length);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    public static int SetSockOpt(int fd, int level, int name, int value) =>
        SetSockOpt(fd, level, name, &value, sizeof(int));
}

/// <summary>struct ip_mreqn: a multicast group, a local address and an interface index.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IpMreqn
{
    public uint MulticastAddress;   // network order
    public uint LocalAddress;       // network order
    public int InterfaceIndex;
}

/// <summary>struct sockaddr_in.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SockAddrIn
{
    public ushort Family;
    public ushort Port;             // network order
    public uint Address;            // network order
    public ulong Zero;
}
