using System.Net.Sockets;
using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux.Netlink;

/// <summary>A NETLINK_ROUTE socket (created through libc: .NET's Socket has no netlink family).</summary>
internal sealed unsafe class NetlinkSocket : IDisposable
{
    private const int NetlinkRoute = 0;

    private readonly SafeSocketHandle _handle;

    private NetlinkSocket(SafeSocketHandle handle) => _handle = handle;

    public int FileDescriptor => (int)_handle.DangerousGetHandle();

    /// <summary>Opens the socket; <paramref name="groups"/> subscribes to RTMGRP_* notifications.</summary>
    public static NetlinkSocket Open(uint groups, bool nonBlocking)
    {
        int type = Libc.SOCK_RAW | Libc.SOCK_CLOEXEC | (nonBlocking ? Libc.SOCK_NONBLOCK : 0);
        int fd = Libc.Socket(Libc.AF_NETLINK, type, NetlinkRoute);
        if (fd < 0)
            throw Errno.Exception("socket(AF_NETLINK, NETLINK_ROUTE)", Errno.Last);
        var handle = new SafeSocketHandle(fd, ownsHandle: true);
        // sockaddr_nl: family, pad, pid (0: the kernel assigns one), groups.
        Span<byte> address = stackalloc byte[12];
        address.Clear();
        BitConverter.TryWriteBytes(address, (ushort)Libc.AF_NETLINK);
        BitConverter.TryWriteBytes(address[8..], groups);
        fixed (byte* p = address)
        {
            if (Libc.Bind(fd, p, (uint)address.Length) < 0)
            {
                int errno = Errno.Last;
                handle.Dispose();
                throw Errno.Exception("bind(AF_NETLINK)", errno);
            }
        }
        if (groups != 0)
            Libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, 1 << 20);
        return new NetlinkSocket(handle);
    }

    public bool Send(ReadOnlySpan<byte> message)
    {
        Span<byte> kernel = stackalloc byte[12];
        kernel.Clear();
        BitConverter.TryWriteBytes(kernel, (ushort)Libc.AF_NETLINK);
        fixed (byte* m = message)
        fixed (byte* k = kernel)
            return Libc.SendTo(FileDescriptor, m, (nuint)message.Length, 0, k, (uint)kernel.Length) == message.Length;
    }

    /// <summary>Receives one datagram of netlink messages: its length, 0 when none is pending (non-blocking), or −errno.</summary>
    public int Receive(Span<byte> buffer, bool dontWait)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = Libc.Recv(FileDescriptor, p, (nuint)buffer.Length, dontWait ? Libc.MSG_DONTWAIT : 0);
                if (n >= 0)
                    return (int)n;
                int errno = Errno.Last;
                if (errno == Errno.EINTR)
                    continue;
                return errno == Errno.EAGAIN ? 0 : -errno;
            }
        }
    }

    public void Dispose() => _handle.Dispose();
}
