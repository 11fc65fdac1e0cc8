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
/// The IPv6 counterpart is <see cref="VrrpSocket6"/> (payload only: IPv6 raw sockets carry no header).
/// IP_PKTINFO is on, so <see cref="Receive(Span{byte}, out ReceivedPacketInfo)"/> reports the arrival interface
/// and the destination address (multicast or unicast).
/// </summary>
public sealed unsafe class VrrpSocket : IDisposable
{
    private readonly FileDescriptorHandle _handle;
    private readonly uint _group;   // network byte order, as laid out in memory
    private readonly bool _unicast;
    private bool _joined;
    private DatagramBatch? _batch;     // allocated at the first BeginBatch
    private DatagramReceiveBatch? _received;   // allocated at the first ReceiveMany
    private bool _batching;
    private int _batchFailures;

    private VrrpSocket(FileDescriptorHandle handle, string interfaceName, int interfaceIndex, IPAddress group, bool joined, bool unicast = false)
    {
        _unicast = unicast;
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

    /// <summary>
    /// Default destination of <see cref="Send(ReadOnlySpan{byte})"/> (224.0.0.18 for VRRP); 0.0.0.0 for a socket
    /// opened with <see cref="OpenIPv4Unicast"/>, whose <see cref="Send(ReadOnlySpan{byte})"/> sends to the
    /// destination written in the datagram's header.
    /// </summary>
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

        return OpenCore(interfaceName, multicastGroup, null);
    }

    /// <summary>
    /// Opens the socket for unicast peers (keepalived's unicast_peer): no group is joined. When
    /// <paramref name="localAddress"/> (unicast_src_ip) is given the socket is bound to it, as keepalived binds
    /// its read socket, so only datagrams addressed to it are received; otherwise every protocol-112 datagram
    /// arriving on the interface is. The TTL is whatever the caller writes in the header (unicast_ttl).
    /// </summary>
    public static VrrpSocket OpenIPv4Unicast(string interfaceName, IPAddress? localAddress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        if (localAddress is not null && localAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("An IPv4 address is required.", nameof(localAddress));
        }

        return OpenCore(interfaceName, null, localAddress);
    }

    private static VrrpSocket OpenCore(string interfaceName, IPAddress? multicastGroup, IPAddress? localAddress)
    {
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
            SocketReceiveBuffer.Enlarge(handle);

            // Only deliver groups this socket joined (Linux defaults to every group joined by anyone).
            Check(Libc.SetSockOptInt(handle, Libc.SOL_IP, Libc.IP_MULTICAST_ALL, 0), "setsockopt(IP_MULTICAST_ALL)");

            var outgoing = new Libc.IpMreqn { InterfaceIndex = ifIndex };
            Check(Libc.SetSockOpt(handle, Libc.SOL_IP, Libc.IP_MULTICAST_IF, &outgoing, (uint)sizeof(Libc.IpMreqn)), "setsockopt(IP_MULTICAST_IF)");
            Check(Libc.SetSockOptInt(handle, Libc.SOL_IP, Libc.IP_MULTICAST_TTL, 255), "setsockopt(IP_MULTICAST_TTL)");
            Check(Libc.SetSockOptInt(handle, Libc.SOL_IP, Libc.IP_MULTICAST_LOOP, 0), "setsockopt(IP_MULTICAST_LOOP)");
            Check(Libc.SetSockOptInt(handle, Libc.SOL_IP, Libc.IP_PKTINFO, 1), "setsockopt(IP_PKTINFO)");

            if (localAddress is not null)
            {
                var local = new Libc.SockAddrIn { Family = Libc.AF_INET, Address = ToNetworkUInt32(localAddress) };
                Check(Libc.Bind(handle, &local, (uint)sizeof(Libc.SockAddrIn)), "bind(" + localAddress + ")");
            }

            if (multicastGroup is null)
            {
                return new VrrpSocket(handle, interfaceName, ifIndex, IPAddress.Any, joined: false, unicast: true);
            }

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

    /// <summary>
    /// Receives every pending datagram, up to <see cref="DatagramReceiveBatch.Capacity"/>, with one <c>recvmmsg</c>:
    /// returns how many (read them with <see cref="ReceivedDatagram"/> until the next call), 0 when nothing is
    /// pending, or -errno. Each includes its IPv4 header, as from <see cref="Receive(Span{byte})"/>. Allocation-free
    /// after the first call.
    /// </summary>
    public int ReceiveMany()
    {
        _received ??= new DatagramReceiveBatch();
        return _received.Receive(_handle);
    }

    /// <summary>Datagram <paramref name="index"/> of the last <see cref="ReceiveMany"/>.</summary>
    public ReadOnlySpan<byte> ReceivedDatagram(int index)
        => _received is null ? throw new InvalidOperationException("Nothing was received.") : _received.Datagram(index);

    /// <summary>
    /// Receives one datagram including its IPv4 header, as <see cref="Receive(Span{byte})"/>, and reports its
    /// metadata: source (header), destination and interface index (IP_PKTINFO), TTL (header) as hop limit.
    /// A longer datagram is truncated to the buffer's length, which is returned, with
    /// <see cref="ReceivedPacketInfo.Truncated"/> set. Allocation-free.
    /// </summary>
    public int Receive(Span<byte> buffer, out ReceivedPacketInfo info)
    {
        info = default;
        info.HopLimit = -1;
        const int controlSize = 64;
        byte* control = stackalloc byte[controlSize];
        fixed (byte* p = buffer)
        {
            var iov = new Libc.IoVec { Base = p, Length = (nuint)buffer.Length };
            var msg = new Libc.MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = controlSize };
            nint n;
            while (true)
            {
                n = Libc.RecvMsg(_handle, &msg, Libc.MSG_TRUNC);
                if (n >= 0)
                {
                    break;
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

            info.Truncated = (msg.Flags & Libc.MSG_TRUNC) != 0;
            int received = (int)Math.Min(n, buffer.Length);
            if (received >= 20)
            {
                info.HopLimit = buffer[8];
                info.Source = ReceivedPacketInfo.ToValue(buffer.Slice(12, 4));
                info.Destination = ReceivedPacketInfo.ToValue(buffer.Slice(16, 4));
            }

            int header = Libc.CmsgHeaderSize;
            int length = (int)msg.ControlLength;
            for (int offset = 0; offset + header <= length;)
            {
                var cmsg = (Libc.CmsgHdr*)(control + offset);
                int cmsgLength = (int)cmsg->Length;
                if (cmsgLength < header || offset + cmsgLength > length)
                {
                    break;
                }

                if (cmsg->Level == Libc.SOL_IP && cmsg->Type == Libc.IP_PKTINFO && cmsgLength - header >= sizeof(Libc.InPktInfo))
                {
                    var pktinfo = (Libc.InPktInfo*)(control + offset + header);
                    info.InterfaceIndex = pktinfo->InterfaceIndex;
                    info.Destination = ReceivedPacketInfo.ToValue(new ReadOnlySpan<byte>(&pktinfo->HeaderDestination, 4));
                }

                offset += Libc.CmsgAlign(cmsgLength);
            }

            return received;
        }
    }

    /// <summary>
    /// Sends a complete IPv4 datagram to <see cref="MulticastGroup"/>, or, on a unicast socket
    /// (<see cref="OpenIPv4Unicast"/>), to the destination address in its header.
    /// </summary>
    public bool Send(ReadOnlySpan<byte> ipv4Datagram)
    {
        if (!_unicast)
        {
            return Send(ipv4Datagram, _group);
        }

        if (ipv4Datagram.Length < 20)
        {
            LastSendError = Errno.EINVAL;
            return false;
        }

        return Send(ipv4Datagram, MemoryMarshal.Read<uint>(ipv4Datagram.Slice(16, 4)));
    }

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
        if (_batching)
        {
            if (_batch!.IsFull)
            {
                FlushBatch();
            }

            if (_batch.TryAdd(ipv4Datagram, destinationNetworkOrder))
            {
                return true;
            }
        }

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

    /// <summary>
    /// From now until <see cref="EndBatch"/>, <c>Send</c> queues datagrams (true = queued) and they leave together,
    /// as few <c>sendmmsg</c> calls as possible: when the batch is full and at <see cref="EndBatch"/>. Allocation-free
    /// after the first call.
    /// </summary>
    public void BeginBatch()
    {
        _batch ??= new DatagramBatch();
        _batching = true;
    }

    /// <summary>
    /// Sends what <see cref="BeginBatch"/> queued and sends at once again. Returns how many queued datagrams failed
    /// (<see cref="LastSendError"/> holds the errno of the last failure).
    /// </summary>
    public int EndBatch()
    {
        if (!_batching)
        {
            return 0;
        }

        FlushBatch();
        _batching = false;
        int failures = _batchFailures;
        _batchFailures = 0;
        return failures;
    }

    private void FlushBatch()
    {
        if (_batch!.Count == 0)
        {
            return;
        }

        int failures = _batch.Flush(_handle, out int lastError);
        if (failures > 0)
        {
            _batchFailures += failures;
            LastSendError = lastError;
        }
        else
        {
            LastSendError = 0;
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
        _batching = false;
        _batch?.Dispose();
        _received?.Dispose();
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
