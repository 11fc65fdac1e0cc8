using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux;

/// <summary>
/// Raw AF_INET socket for IP protocol 112 (VRRP) bound to one interface, with IP_HDRINCL:
/// the caller supplies the complete IPv4 header (the kernel fills total length and checksum, the
/// identification when 0 and the source address when 0). Non-blocking; poll <see cref="FileDescriptor"/>.
/// An IPv6 counterpart (<c>OpenIPv6</c>) will live beside <see cref="OpenIPv4"/>.
/// </summary>
public sealed unsafe class VrrpSocket : IDisposable
{
    private readonly FileDescriptorHandle _handle;
    private readonly uint _group;   // network byte order, as laid out in memory
    private bool _joined;

    private VrrpSocket(FileDescriptorHandle handle, string interfaceName, int interfaceIndex, IPAddress group, bool joined)
    {
        _handle = handle;
        InterfaceName = interfaceName;
        InterfaceIndex = interfaceIndex;
        MulticastGroup = group;
        _group = ToNetworkUInt32(group);
        _joined = joined;
    }

    public int FileDescriptor => _handle.Fd;

    public string InterfaceName { get; }

    public int InterfaceIndex { get; }

    /// <summary>Default destination of <see cref="Send(ReadOnlySpan{byte})"/> (224.0.0.18 for VRRP).</summary>
    public IPAddress MulticastGroup { get; }

    /// <summary>errno of the last failed <c>Send</c> (0 after a successful one).</summary>
    public int LastSendError { get; private set; }

    /// <summary>
    /// Opens the socket in the calling thread's network namespace. If <paramref name="multicastGroup"/> is a
    /// multicast address it is joined on the interface; a unicast address is only used as the default destination.
    /// </summary>
    public static VrrpSocket OpenIPv4(string interfaceName, IPAddress multicastGroup)
    {
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        ArgumentNullException.ThrowIfNull(multicastGroup);
        if (multicastGroup.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("An IPv4 address is required.", nameof(multicastGroup));
        }

        int ifIndex = (int)Libc.IfNameToIndex(interfaceName);
        if (ifIndex == 0)
        {
            throw new LinuxNetworkException("if_nametoindex(" + interfaceName + ")", Libc.LastErrno is 0 ? Errno.ENODEV : Libc.LastErrno);
        }

        int fd = Libc.Socket(Libc.AF_INET, Libc.SOCK_RAW | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, Libc.IPPROTO_VRRP);
        LinuxNetworkException.ThrowIfFailed(fd, "socket(AF_INET, SOCK_RAW, IPPROTO_VRRP)");
        var handle = new FileDescriptorHandle(fd);
        try
        {
            Span<byte> name = stackalloc byte[Encoding.UTF8.GetByteCount(interfaceName) + 1];
            Encoding.UTF8.GetBytes(interfaceName, name);
            fixed (byte* p = name)
            {
                Check(Libc.SetSockOpt(handle, Libc.SOL_SOCKET, Libc.SO_BINDTODEVICE, p, (uint)name.Length), "setsockopt(SO_BINDTODEVICE)");
            }

            Check(Libc.SetSockOptInt(handle, Libc.SOL_IP, Libc.IP_HDRINCL, 1), "setsockopt(IP_HDRINCL)");

            // Only deliver groups this socket joined (Linux defaults to every group joined by anyone).
            Check(Libc.SetSockOptInt(handle, Libc.SOL_IP, Libc.IP_MULTICAST_ALL, 0), "setsockopt(IP_MULTICAST_ALL)");

            var outgoing = new Libc.IpMreqn { InterfaceIndex = ifIndex };
            Check(Libc.SetSockOpt(handle, Libc.SOL_IP, Libc.IP_MULTICAST_IF, &outgoing, (uint)sizeof(Libc.IpMreqn)), "setsockopt(IP_MULTICAST_IF)");
            Check(Libc.SetSockOptInt(handle, Libc.SOL_IP, Libc.IP_MULTICAST_TTL, 255), "setsockopt(IP_MULTICAST_TTL)");
            Check(Libc.SetSockOptInt(handle, Libc.SOL_IP, Libc.IP_MULTICAST_LOOP, 0), "setsockopt(IP_MULTICAST_LOOP)");

            bool joined = false;
            uint group = ToNetworkUInt32(multicastGroup);
            if (IsMulticast(multicastGroup))
            {
                var membership = new Libc.IpMreqn { MulticastAddress = group, InterfaceIndex = ifIndex };
                Check(Libc.SetSockOpt(handle, Libc.SOL_IP, Libc.IP_ADD_MEMBERSHIP, &membership, (uint)sizeof(Libc.IpMreqn)), "setsockopt(IP_ADD_MEMBERSHIP)");
                joined = true;
            }

            return new VrrpSocket(handle, interfaceName, ifIndex, multicastGroup, joined);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Receives one datagram including its IPv4 header. Returns its length, 0 when nothing is pending,
    /// or -errno. A datagram longer than <paramref name="buffer"/> is truncated (compare the header's total length).
    /// </summary>
    public int Receive(Span<byte> buffer)
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
                if (errno == Errno.EAGAIN)
                {
                    return 0;
                }

                if (errno != Errno.EINTR)
                {
                    return -errno;
                }
            }
        }
    }

    /// <summary>Sends a complete IPv4 datagram to <see cref="MulticastGroup"/>.</summary>
    public bool Send(ReadOnlySpan<byte> ipv4Datagram) => Send(ipv4Datagram, _group);

    /// <summary>Sends a complete IPv4 datagram to <paramref name="destination"/> (e.g. a unicast peer).</summary>
    public bool Send(ReadOnlySpan<byte> ipv4Datagram, IPAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return Send(ipv4Datagram, ToNetworkUInt32(destination));
    }

    /// <summary>
    /// Sends a complete IPv4 datagram. <paramref name="destinationNetworkOrder"/> holds the four address bytes
    /// in wire order (as read with <c>MemoryMarshal.Read&lt;uint&gt;</c> from a packet). Zero allocation;
    /// failures (e.g. ENETDOWN, ENOBUFS, EAGAIN) return false and set <see cref="LastSendError"/>.
    /// </summary>
    public bool Send(ReadOnlySpan<byte> ipv4Datagram, uint destinationNetworkOrder)
    {
        var to = new Libc.SockAddrIn { Family = Libc.AF_INET, Address = destinationNetworkOrder };
        fixed (byte* p = ipv4Datagram)
        {
            while (true)
            {
                nint n = Libc.SendTo(_handle, p, (nuint)ipv4Datagram.Length, 0, &to, (uint)sizeof(Libc.SockAddrIn));
                if (n >= 0)
                {
                    LastSendError = 0;
                    return true;
                }

                int errno = Libc.LastErrno;
                if (errno != Errno.EINTR)
                {
                    LastSendError = errno;
                    return false;
                }
            }
        }
    }

    /// <summary>Leaves the multicast group (IP_DROP_MEMBERSHIP); idempotent, also done by <see cref="Dispose"/>.</summary>
    public void LeaveGroup()
    {
        if (!_joined || _handle.IsClosed)
        {
            return;
        }

        _joined = false;
        var membership = new Libc.IpMreqn { MulticastAddress = _group, InterfaceIndex = InterfaceIndex };
        Libc.SetSockOpt(_handle, Libc.SOL_IP, Libc.IP_DROP_MEMBERSHIP, &membership, (uint)sizeof(Libc.IpMreqn));
    }

    public void Dispose()
    {
        LeaveGroup();
        _handle.Dispose();
    }

    private static void Check(int result, string operation) => LinuxNetworkException.ThrowIfFailed(result, operation);

    private static bool IsMulticast(IPAddress address)
    {
        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return (b[0] & 0xF0) == 0xE0;
    }

    private static uint ToNetworkUInt32(IPAddress address)
    {
        Span<byte> b = stackalloc byte[16];
        if (!address.TryWriteBytes(b, out int written) || written != 4)
        {
            throw new ArgumentException("An IPv4 address is required.", nameof(address));
        }

        return MemoryMarshal.Read<uint>(b);
    }
}
