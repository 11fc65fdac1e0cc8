using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux.Netlink;

/// <summary>An AF_NETLINK/NETLINK_ROUTE socket created with libc socket() (System.Net.Sockets has no netlink family).</summary>
internal sealed unsafe class NetlinkSocket : IDisposable
{
    private readonly FileDescriptorHandle _handle;

    private NetlinkSocket(FileDescriptorHandle handle, uint portId)
    {
        _handle = handle;
        PortId = portId;
    }

    internal uint PortId { get; }

    internal int FileDescriptor => _handle.Fd;

    internal static NetlinkSocket Open(uint groups, bool nonBlocking, int receiveBufferBytes, TimeSpan? receiveTimeout)
    {
        int type = Libc.SOCK_RAW | Libc.SOCK_CLOEXEC | (nonBlocking ? Libc.SOCK_NONBLOCK : 0);
        int fd = Libc.Socket(Libc.AF_NETLINK, type, Libc.NETLINK_ROUTE);
        LinuxNetworkException.ThrowIfFailed(fd, "socket(AF_NETLINK, NETLINK_ROUTE)");
        var handle = new FileDescriptorHandle(fd);
        try
        {
            if (receiveBufferBytes > 0)
            {
                // SO_RCVBUFFORCE ignores rmem_max (needs CAP_NET_ADMIN); fall back to SO_RCVBUF.
                if (Libc.SetSockOptInt(handle, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, receiveBufferBytes) < 0)
                {
                    Libc.SetSockOptInt(handle, Libc.SOL_SOCKET, Libc.SO_RCVBUF, receiveBufferBytes);
                }
            }

            // Extended ACKs give better diagnostics; older kernels may refuse, which is harmless.
            Libc.SetSockOptInt(handle, Libc.SOL_NETLINK, Libc.NETLINK_EXT_ACK, 1);

            if (receiveTimeout is TimeSpan timeout)
            {
                var tv = new Libc.TimeVal
                {
                    Seconds = (long)timeout.TotalSeconds,
                    Microseconds = timeout.Milliseconds * 1000L + timeout.Microseconds,
                };
                LinuxNetworkException.ThrowIfFailed(
                    Libc.SetSockOpt(handle, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, &tv, (uint)sizeof(Libc.TimeVal)),
                    "setsockopt(SO_RCVTIMEO)");
            }

            var address = new Libc.SockAddrNl { Family = Libc.AF_NETLINK, Groups = groups };
            LinuxNetworkException.ThrowIfFailed(
                Libc.Bind(handle, &address, (uint)sizeof(Libc.SockAddrNl)), "bind(AF_NETLINK)");

            uint length = (uint)sizeof(Libc.SockAddrNl);
            LinuxNetworkException.ThrowIfFailed(
                Libc.GetSockName(handle, &address, &length), "getsockname(AF_NETLINK)");
            return new NetlinkSocket(handle, address.Pid);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Sends one request to the kernel (pid 0). Returns 0 or -errno.</summary>
    internal int Send(ReadOnlySpan<byte> message)
    {
        var kernel = new Libc.SockAddrNl { Family = Libc.AF_NETLINK };
        fixed (byte* p = message)
        {
            nint n = Libc.SendTo(_handle, p, (nuint)message.Length, 0, &kernel, (uint)sizeof(Libc.SockAddrNl));
            return n < 0 ? -Libc.LastErrno : 0;
        }
    }

    /// <summary>Receives one datagram; returns its length, or -errno (-EAGAIN when nothing is pending).</summary>
    internal int Receive(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = Libc.RecvFrom(_handle, p, (nuint)buffer.Length, 0, null, null);
                if (n >= 0)
                {
                    return (int)n;
                }

                int errno = Libc.LastErrno;
                if (errno != Errno.EINTR)
                {
                    return -errno;
                }
            }
        }
    }

    public void Dispose() => _handle.Dispose();
}
