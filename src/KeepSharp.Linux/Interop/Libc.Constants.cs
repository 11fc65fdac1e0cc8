namespace KeepSharp.Linux.Interop;

// Linux ABI constants (identical on x86_64 and arm64 for everything used here).
internal static partial class Libc
{
    // Address families
    internal const int AF_UNSPEC = 0;
    internal const int AF_UNIX = 1;
    internal const int AF_INET = 2;
    internal const int AF_INET6 = 10;
    internal const int AF_NETLINK = 16;
    internal const int AF_PACKET = 17;

    // Socket types and creation flags
    internal const int SOCK_DGRAM = 2;
    internal const int SOCK_RAW = 3;
    internal const int SOCK_NONBLOCK = 0x800;
    internal const int SOCK_CLOEXEC = 0x80000;

    // open(2)
    internal const int O_RDONLY = 0;
    internal const int O_NONBLOCK = 0x800;
    internal const int O_CLOEXEC = 0x80000;

    // Protocols
    internal const int IPPROTO_IP = 0;
    internal const int IPPROTO_VRRP = 112;
    internal const int NETLINK_ROUTE = 0;

    // Socket option levels
    internal const int SOL_SOCKET = 1;
    internal const int SOL_IP = 0;
    internal const int SOL_NETLINK = 270;

    // SOL_SOCKET options
    internal const int SO_SNDBUF = 7;
    internal const int SO_RCVBUF = 8;
    internal const int SO_RCVTIMEO = 20;
    internal const int SO_BINDTODEVICE = 25;
    internal const int SO_RCVBUFFORCE = 33;

    // SOL_IP options
    internal const int IP_TOS = 1;
    internal const int IP_HDRINCL = 3;
    internal const int IP_PKTINFO = 8;
    internal const int IP_MULTICAST_IF = 32;
    internal const int IP_MULTICAST_TTL = 33;
    internal const int IP_MULTICAST_LOOP = 34;
    internal const int IP_ADD_MEMBERSHIP = 35;
    internal const int IP_DROP_MEMBERSHIP = 36;
    internal const int IP_MULTICAST_ALL = 49;

    // SOL_NETLINK options
    internal const int NETLINK_ADD_MEMBERSHIP = 1;
    internal const int NETLINK_EXT_ACK = 11;

    // send/recv flags
    internal const int MSG_DONTWAIT = 0x40;
    internal const int MSG_TRUNC = 0x20;

    // poll(2)
    internal const short POLLIN = 0x001;
    internal const short POLLPRI = 0x002;
    internal const short POLLOUT = 0x004;
    internal const short POLLERR = 0x008;
    internal const short POLLHUP = 0x010;
    internal const short POLLNVAL = 0x020;

    // eventfd(2)
    internal const int EFD_NONBLOCK = O_NONBLOCK;
    internal const int EFD_CLOEXEC = O_CLOEXEC;

    // clock_gettime(2)
    internal const int CLOCK_MONOTONIC = 1;

    // setns(2)
    internal const int CLONE_NEWNET = 0x40000000;
}
