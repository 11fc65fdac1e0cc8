using System.Net;
using System.Net.Sockets;
using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux;

/// <summary>
/// Sends one link-layer frame on an AF_PACKET socket through libc's <c>sendto</c>, so that a failure (a full transmit
/// queue under a flood, a link going down) is an errno and a return value: <see cref="Socket.SendTo(ReadOnlySpan{byte}, SocketFlags, SocketAddress)"/>
/// throws, and an exception per failed frame would allocate on the send path (gratuitous ARP, unsolicited NA).
/// </summary>
internal static unsafe class FrameSend
{
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
                error = errno switch
                {
                    Errno.EAGAIN => SocketError.WouldBlock,
                    Errno.ENOBUFS => SocketError.NoBufferSpaceAvailable,
                    Errno.ENETDOWN => SocketError.NetworkDown,
                    Errno.ENODEV or Errno.ENXIO => SocketError.NetworkUnreachable,
                    Errno.EBADF => SocketError.NotSocket,
                    _ => SocketError.SocketError,
                };
                return false;
            }
        }
    }
}
