using System.Net;
using System.Net.Sockets;
using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux;

/// <summary>
/// The AF_PACKET sockets the announcers send frames on (gratuitous ARP, unsolicited NA): opened through the managed
/// <see cref="Socket"/>, bound to one interface with protocol 0 (so the socket never receives), and written with libc's
/// <c>sendto</c>, so that a failure (a full transmit queue under a flood, a link going down) is an errno and a return
/// value: <see cref="Socket.SendTo(ReadOnlySpan{byte}, SocketFlags, SocketAddress)"/> throws, and an exception per failed
/// frame would allocate on the send path.
/// </summary>
internal static unsafe class PacketSocket
{
    private const int SockAddrLlLength = 20;

    /// <summary>A non-blocking send-only packet socket on <paramref name="ifIndex"/>.</summary>
    public static Socket OpenSendOnly(int ifIndex)
    {
        var socket = new Socket(AddressFamily.Packet, SocketType.Raw, ProtocolType.Unspecified);
        try
        {
            socket.Blocking = false;
            socket.Bind(new PacketEndPoint(Address(ifIndex, protocol: 0, ReadOnlySpan<byte>.Empty)));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>struct sockaddr_ll: family, protocol (BE), ifindex, hatype, pkttype, halen, addr[8].</summary>
    public static SocketAddress Address(int ifIndex, ushort protocol, ReadOnlySpan<byte> hardwareAddress)
    {
        var address = new SocketAddress(AddressFamily.Packet, SockAddrLlLength);
        Span<byte> b = address.Buffer.Span;
        b[2] = (byte)(protocol >> 8);
        b[3] = (byte)protocol;
        System.Runtime.InteropServices.MemoryMarshal.Write(b[4..], in ifIndex);
        b[11] = (byte)hardwareAddress.Length;
        hardwareAddress.CopyTo(b[12..]);
        return address;
    }

    public static bool TrySend(Socket socket, ReadOnlySpan<byte> frame, SocketAddress destination, out SocketError error)
    {
        if (socket.SafeHandle.IsClosed)
        {
            error = SocketError.NotSocket;
            return false;
        }
        fixed (byte* f = frame)
        fixed (byte* a = destination.Buffer.Span)
        {
            while (true)
            {
                nint n = Libc.SendTo(socket.SafeHandle, f, (nuint)frame.Length, 0, a, (uint)destination.Size);
                if (n >= 0)
                {
                    error = SocketError.Success;
                    return true;
                }
                int errno = Libc.LastErrno;
                if (errno == Errno.EINTR)
                    continue;
                error = ToSocketError(errno);
                return false;
            }
        }
    }

    /// <summary>
    /// Sends the first <paramref name="count"/> messages of <paramref name="messages"/> with one <c>sendmmsg</c>; returns
    /// how many left. When that is fewer than <paramref name="count"/>, the next one failed: its error is in
    /// <paramref name="error"/> (the kernel reports it only when it was the first of the call, so the caller sends that
    /// one again alone to learn it).
    /// </summary>
    public static int TrySendMany(Socket socket, Libc.MMsgHdr* messages, int count, out SocketError error)
    {
        error = SocketError.Success;
        if (socket.SafeHandle.IsClosed)
        {
            error = SocketError.NotSocket;
            return 0;
        }
        while (true)
        {
            int n = Libc.SendMMsg(socket.SafeHandle, messages, (uint)count, 0);
            if (n >= 0)
                return n;
            int errno = Libc.LastErrno;
            if (errno == Errno.EINTR)
                continue;
            error = ToSocketError(errno);
            return 0;
        }
    }

    private static SocketError ToSocketError(int errno) => errno switch
    {
        Errno.EAGAIN => SocketError.WouldBlock,
        Errno.ENOBUFS => SocketError.NoBufferSpaceAvailable,
        Errno.ENETDOWN => SocketError.NetworkDown,
        Errno.ENODEV or Errno.ENXIO => SocketError.NetworkUnreachable,
        Errno.EBADF => SocketError.NotSocket,
        _ => SocketError.SocketError,
    };

    private sealed class PacketEndPoint(SocketAddress address) : EndPoint
    {
        public override AddressFamily AddressFamily => AddressFamily.Packet;

        public override SocketAddress Serialize() => address;

        public override EndPoint Create(SocketAddress socketAddress) => new PacketEndPoint(socketAddress);
    }
}
