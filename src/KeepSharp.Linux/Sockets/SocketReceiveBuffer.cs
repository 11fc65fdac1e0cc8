using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux;

/// <summary>
/// The receive buffer of a VRRP socket: large enough to hold a peer's burst (hundreds of routers advertising in the
/// same pass) while the event loop reads them a batch at a time. Only queued packets use memory.
/// </summary>
internal static class SocketReceiveBuffer
{
    /// <summary>1 MiB (the kernel doubles it for its bookkeeping): a few thousand adverts.</summary>
    public const int Size = 1 << 20;

    /// <summary>SO_RCVBUFFORCE (past net.core.rmem_max, needs CAP_NET_ADMIN, as the daemon has); else SO_RCVBUF up to that limit.</summary>
    public static void Enlarge(FileDescriptorHandle socket)
    {
        if (Libc.SetSockOptInt(socket, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, Size) != 0)
        {
            Libc.SetSockOptInt(socket, Libc.SOL_SOCKET, Libc.SO_RCVBUF, Size);
        }
    }
}
