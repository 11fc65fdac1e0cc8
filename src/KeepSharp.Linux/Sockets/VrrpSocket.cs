using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux;

/// <summary>
/// A raw IPv4 socket for IP protocol 112 bound to one interface and joined to the VRRP group on it.
/// The caller writes the whole IPv4 header (IP_HDRINCL: source address, TTL 255 and TOS are ours) and
/// receives whole datagrams, header included. Non-blocking; send and receive do not allocate.
/// </summary>
public sealed unsafe class VrrpSocket : IDisposable
{
    private const int IpProtocolVrrp = 112;

    private readonly SafeSocketHandle _handle;
    private readonly IpMreqn _membership;
    private bool _joined;

    private VrrpSocket(SafeSocketHandle handle, IpMreqn membership)
    {
        _handle = handle;
        _membership = membership;
        _joined = true;
    }

    public int FileDescriptor => (int)_handle.DangerousGetHandle();

    public static VrrpSocket OpenIPv4(string interfaceName, IPAddress multicastGroup)
    {
        int ifIndex = InterfaceIndex.Of(interfaceName);
        int fd = Libc.Socket(Libc.AF_INET, Libc.SOCK_RAW | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, IpProtocolVrrp);
        if (fd < 0)
            throw Errno.Exception("socket(AF_INET, SOCK_RAW, 112)", Errno.Last);
        var handle = new SafeSocketHandle(fd, ownsHandle: true);
        try
        {
            byte[] name = Encoding.ASCII.GetBytes(interfaceName + "\0");
            fixed (byte* p = name)
                Check(Libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_BINDTODEVICE, p, (uint)name.Length), $"SO_BINDTODEVICE {interfaceName}");
            Check(Libc.SetSockOpt(fd, Libc.IPPROTO_IP, Libc.IP_HDRINCL, 1), "IP_HDRINCL");
            Check(Libc.SetSockOpt(fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_TTL, 255), "IP_MULTICAST_TTL");
            Check(Libc.SetSockOpt(fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_LOOP, 0), "IP_MULTICAST_LOOP");
            var membership = new IpMreqn
            {
                MulticastAddress = NetworkOrder(multicastGroup),
                InterfaceIndex = ifIndex,
            };
            Check(Libc.SetSockOpt(fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_IF, &membership, (uint)sizeof(IpMreqn)), "IP_MULTICAST_IF");
            Check(Libc.SetSockOpt(fd, Libc.IPPROTO_IP, Libc.IP_ADD_MEMBERSHIP, &membership, (uint)sizeof(IpMreqn)), $"IP_ADD_MEMBERSHIP {multicastGroup} on {interfaceName}");
            return new VrrpSocket(handle, membership);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Receives one datagram (IPv4 header included) into <paramref name="buffer"/>: its length, 0 when none is pending, or −errno.</summary>
    public int Receive(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            nint n = Libc.Recv(FileDescriptor, p, (nuint)buffer.Length, Libc.MSG_DONTWAIT);
            if (n >= 0)
                return (int)n;
            int errno = Errno.Last;
            return errno is Errno.EAGAIN or Errno.EINTR ? 0 : -errno;
        }
    }

    /// <summary>Sends a complete IPv4 datagram to <paramref name="destination"/>. False when the kernel refused it.</summary>
    public bool Send(ReadOnlySpan<byte> ipv4Datagram, IPAddress destination) => Send(ipv4Datagram, NetworkOrder(destination));

    /// <summary>Sends to an IPv4 address given in network byte order (as read from a header). Allocation-free.</summary>
    public bool Send(ReadOnlySpan<byte> ipv4Datagram, uint destinationNetworkOrder)
    {
        var address = new SockAddrIn { Family = Libc.AF_INET, Address = destinationNetworkOrder };
        fixed (byte* p = ipv4Datagram)
            return Libc.SendTo(FileDescriptor, p, (nuint)ipv4Datagram.Length, 0, &address, (uint)sizeof(SockAddrIn)) == ipv4Datagram.Length;
    }

    /// <summary>Leaves the VRRP group (on shutdown; closing the socket does it too).</summary>
    public void LeaveGroup()
    {
        if (!_joined || _handle.IsClosed)
            return;
        IpMreqn membership = _membership;
        Libc.SetSockOpt(FileDescriptor, Libc.IPPROTO_IP, Libc.IP_DROP_MEMBERSHIP, &membership, (uint)sizeof(IpMreqn));
        _joined = false;
    }

    public void Dispose()
    {
        LeaveGroup();
        _handle.Dispose();
    }

    private static void Check(int result, string what)
    {
        if (result < 0)
            throw Errno.Exception($"setsockopt {what}", Errno.Last);
    }

    internal static uint NetworkOrder(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException($"{address} is not an IPv4 address", nameof(address));
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes); // the bytes as they lie in memory
    }
}
