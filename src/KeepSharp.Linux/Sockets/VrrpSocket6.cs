using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux;

/// <summary>
/// Raw AF_INET6 socket for protocol 112 (VRRP) bound to one interface (SO_BINDTODEVICE), used to send and
/// receive VRRPv3 advertisements over IPv6 (RFC 9568 §5.1.2). Unlike the IPv4 <see cref="VrrpSocket"/> there is
/// no header to supply: <see cref="Send(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> takes the VRRP payload only
/// and <see cref="Receive(Span{byte}, out ReceivedPacketInfo)"/> returns the payload only, with source,
/// destination, hop limit and interface index reported from recvmsg's address and ancillary data.
/// <para>
/// Outgoing: hop limit 255 for multicast and unicast (IPV6_MULTICAST_HOPS, IPV6_UNICAST_HOPS), no loopback,
/// IPV6_MULTICAST_IF = the interface; every datagram carries an IPV6_PKTINFO control message with the source
/// address (<see cref="SourceAddress"/>, normally the interface's link-local) and the interface index, as
/// keepalived's vrrp_build_ancillary_data does. keepalived sets IPV6_MULTICAST_HOPS 255 only in multicast mode
/// and leaves unicast at the kernel default unless unicast_ttl is configured (then an IPV6_HOPLIMIT control
/// message, see <see cref="Send(ReadOnlySpan{byte}, ReadOnlySpan{byte}, int)"/>); here unicast defaults to 255 too.
/// </para>
/// <para>
/// Incoming: a joined socket also receives unicast protocol-112 datagrams for the host on the interface
/// (keepalived binds its multicast read socket to the group to exclude them); filter on
/// <see cref="ReceivedPacketInfo.IsMulticastDestination"/>. The hop limit is reported, never enforced:
/// RFC 9568 §7.1 (drop unless 255) is the caller's check.
/// </para>
/// <para>
/// Checksum: the caller computes the VRRP checksum (over the IPv6 pseudo-header with the source it passed)
/// and the kernel leaves the payload untouched. keepalived instead sets IPV6_CHECKSUM = 6 on its send socket
/// so that the kernel fills the checksum; the packet on the wire is the same provided the caller's
/// source address is the one the kernel uses, which the IPV6_PKTINFO source guarantees. No IPV6_CHECKSUM
/// is set on the receive side either (keepalived does not set it on its read socket): the core verifies.
/// </para>
/// Non-blocking; poll <see cref="FileDescriptor"/>. Send and receive are allocation-free.
/// </summary>
public sealed unsafe class VrrpSocket6 : IDisposable
{
    /// <summary>ff02::12, the VRRP IPv6 multicast group.</summary>
    public static readonly IPAddress DefaultGroup = IPAddress.Parse("ff02::12");

    private const int ControlBufferSize = 128;

    private readonly FileDescriptorHandle _handle;
    private readonly Libc.In6Addr _group;
    private Libc.In6Addr _source;
    private bool _joined;

    private VrrpSocket6(FileDescriptorHandle handle, string interfaceName, int interfaceIndex, IPAddress? group, bool joined)
    {
        _handle = handle;
        InterfaceName = interfaceName;
        InterfaceIndex = interfaceIndex;
        MulticastGroup = group;
        if (group is not null)
        {
            _group = ToIn6(group);
        }

        _joined = joined;
    }

    public int FileDescriptor => _handle.Fd;

    public string InterfaceName { get; }

    public int InterfaceIndex { get; }

    /// <summary>The group joined and the default destination of <see cref="Send(ReadOnlySpan{byte})"/>; null in unicast mode.</summary>
    public IPAddress? MulticastGroup { get; }

    /// <summary>True while the socket is a member of <see cref="MulticastGroup"/>.</summary>
    public bool IsJoined => _joined;

    /// <summary>errno of the last failed <c>Send</c> (0 after a successful one).</summary>
    public int LastSendError { get; private set; }

    /// <summary>Source address put in the IPV6_PKTINFO of every send; :: lets the kernel choose.</summary>
    public IPAddress SourceAddress
    {
        get
        {
            Span<byte> b = stackalloc byte[16];
            MemoryMarshal.Write(b, in _source);
            return new IPAddress(b);
        }
    }

    /// <summary>
    /// Opens the socket in the calling thread's network namespace and joins <paramref name="multicastGroup"/>
    /// (default ff02::12) on the interface. <paramref name="sourceAddress"/> is the advertisement source
    /// (RFC 9568: the interface's link-local address, see <see cref="InterfaceAddresses.GetLinkLocal"/>); null = ::.
    /// </summary>
    public static VrrpSocket6 Open(string interfaceName, IPAddress? sourceAddress = null, IPAddress? multicastGroup = null)
    {
        multicastGroup ??= DefaultGroup;
        if (multicastGroup.AddressFamily != AddressFamily.InterNetworkV6 || !multicastGroup.IsIPv6Multicast)
        {
            throw new ArgumentException("An IPv6 multicast group is required.", nameof(multicastGroup));
        }

        return OpenCore(interfaceName, sourceAddress, multicastGroup);
    }

    /// <summary>
    /// Opens the socket without joining any group (unicast_peer mode): it still receives every protocol-112
    /// datagram addressed to the host on the interface; the caller filters on <see cref="ReceivedPacketInfo.Source"/>.
    /// </summary>
    public static VrrpSocket6 OpenUnicast(string interfaceName, IPAddress? sourceAddress = null)
        => OpenCore(interfaceName, sourceAddress, null);

    private static VrrpSocket6 OpenCore(string interfaceName, IPAddress? sourceAddress, IPAddress? group)
    {
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        if (sourceAddress is not null && sourceAddress.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException("An IPv6 address is required.", nameof(sourceAddress));
        }

        int ifIndex = (int)Libc.IfNameToIndex(interfaceName);
        if (ifIndex == 0)
        {
            throw new LinuxNetworkException("if_nametoindex(" + interfaceName + ")", Libc.LastErrno is 0 ? Errno.ENODEV : Libc.LastErrno);
        }

        int fd = Libc.Socket(Libc.AF_INET6, Libc.SOCK_RAW | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, Libc.IPPROTO_VRRP);
        LinuxNetworkException.ThrowIfFailed(fd, "socket(AF_INET6, SOCK_RAW, IPPROTO_VRRP)");
        var handle = new FileDescriptorHandle(fd);
        try
        {
            Span<byte> name = stackalloc byte[Encoding.UTF8.GetByteCount(interfaceName) + 1];
            Encoding.UTF8.GetBytes(interfaceName, name);
            fixed (byte* p = name)
            {
                Check(Libc.SetSockOpt(handle, Libc.SOL_SOCKET, Libc.SO_BINDTODEVICE, p, (uint)name.Length), "setsockopt(SO_BINDTODEVICE)");
            }

            // Only groups this socket joined (kernel >= 4.20); older kernels lack it, as keepalived tolerates.
            int noAll = 0;
            int r = Libc.SetSockOpt(handle, Libc.IPPROTO_IPV6, Libc.IPV6_MULTICAST_ALL, &noAll, sizeof(int));
            if (r < 0 && Libc.LastErrno != Libc.ENOPROTOOPT)
            {
                Check(r, "setsockopt(IPV6_MULTICAST_ALL)");
            }

            Check(Libc.SetSockOptInt(handle, Libc.IPPROTO_IPV6, Libc.IPV6_MULTICAST_IF, ifIndex), "setsockopt(IPV6_MULTICAST_IF)");
            Check(Libc.SetSockOptInt(handle, Libc.IPPROTO_IPV6, Libc.IPV6_MULTICAST_HOPS, 255), "setsockopt(IPV6_MULTICAST_HOPS)");
            Check(Libc.SetSockOptInt(handle, Libc.IPPROTO_IPV6, Libc.IPV6_UNICAST_HOPS, 255), "setsockopt(IPV6_UNICAST_HOPS)");
            Check(Libc.SetSockOptInt(handle, Libc.IPPROTO_IPV6, Libc.IPV6_MULTICAST_LOOP, 0), "setsockopt(IPV6_MULTICAST_LOOP)");
            SocketReceiveBuffer.Enlarge(handle);
            Check(Libc.SetSockOptInt(handle, Libc.IPPROTO_IPV6, Libc.IPV6_RECVHOPLIMIT, 1), "setsockopt(IPV6_RECVHOPLIMIT)");
            Check(Libc.SetSockOptInt(handle, Libc.IPPROTO_IPV6, Libc.IPV6_RECVPKTINFO, 1), "setsockopt(IPV6_RECVPKTINFO)");

            bool joined = false;
            if (group is not null)
            {
                var membership = new Libc.Ipv6Mreq { MulticastAddress = ToIn6(group), InterfaceIndex = ifIndex };
                Check(Libc.SetSockOpt(handle, Libc.IPPROTO_IPV6, Libc.IPV6_ADD_MEMBERSHIP, &membership, (uint)sizeof(Libc.Ipv6Mreq)), "setsockopt(IPV6_ADD_MEMBERSHIP)");
                joined = true;
            }

            var socket = new VrrpSocket6(handle, interfaceName, ifIndex, group, joined);
            if (sourceAddress is not null)
            {
                socket.SetSourceAddress(sourceAddress);
            }

            return socket;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Changes the source address of later sends (e.g. once the link-local has passed DAD).</summary>
    public void SetSourceAddress(IPAddress sourceAddress)
    {
        ArgumentNullException.ThrowIfNull(sourceAddress);
        if (sourceAddress.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException("An IPv6 address is required.", nameof(sourceAddress));
        }

        _source = ToIn6(sourceAddress);
    }

    /// <summary>Changes the source address of later sends; 16 bytes in wire order (all zero = kernel chooses).</summary>
    public void SetSourceAddress(ReadOnlySpan<byte> source16) => _source = ReadIn6(source16, nameof(source16));

    /// <summary>
    /// Receives one VRRP payload (no IPv6 header: a raw IPv6 socket never returns it). Returns its length,
    /// 0 when nothing is pending, or -errno. A longer datagram is truncated to <paramref name="payload"/>'s length,
    /// which is returned, and <see cref="ReceivedPacketInfo.Truncated"/> is set.
    /// </summary>
    public int Receive(Span<byte> payload, out ReceivedPacketInfo info)
    {
        info = default;
        info.IsIPv6 = true;
        info.HopLimit = -1;
        Libc.SockAddrIn6 from = default;
        byte* control = stackalloc byte[ControlBufferSize];
        fixed (byte* p = payload)
        {
            var iov = new Libc.IoVec { Base = p, Length = (nuint)payload.Length };
            var msg = new Libc.MsgHdr
            {
                Name = &from,
                NameLength = (uint)sizeof(Libc.SockAddrIn6),
                Iov = &iov,
                IovLength = 1,
                Control = control,
                ControlLength = ControlBufferSize,
            };

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

            info.Source = FromIn6(from.Address);
            info.Truncated = (msg.Flags & Libc.MSG_TRUNC) != 0;
            ParseControl(control, (int)msg.ControlLength, ref info);
            return (int)Math.Min(n, payload.Length);
        }
    }

    private static void ParseControl(byte* control, int length, ref ReceivedPacketInfo info)
    {
        int offset = 0;
        int header = Libc.CmsgHeaderSize;
        while (offset + header <= length)
        {
            var cmsg = (Libc.CmsgHdr*)(control + offset);
            int cmsgLength = (int)cmsg->Length;
            if (cmsgLength < header || offset + cmsgLength > length)
            {
                return;
            }

            byte* data = control + offset + header;
            int dataLength = cmsgLength - header;
            if (cmsg->Level == Libc.IPPROTO_IPV6)
            {
                if (cmsg->Type == Libc.IPV6_PKTINFO && dataLength >= sizeof(Libc.In6PktInfo))
                {
                    var pktinfo = (Libc.In6PktInfo*)data;
                    info.Destination = FromIn6(pktinfo->Address);
                    info.InterfaceIndex = pktinfo->InterfaceIndex;
                }
                else if (cmsg->Type == Libc.IPV6_HOPLIMIT && dataLength >= sizeof(int))
                {
                    info.HopLimit = *(int*)data;
                }
            }

            offset += Libc.CmsgAlign(cmsgLength);
        }
    }

    /// <summary>Sends a VRRP payload to <see cref="MulticastGroup"/> (in unicast mode: false, LastSendError = EINVAL).</summary>
    public bool Send(ReadOnlySpan<byte> vrrpPayload)
    {
        if (MulticastGroup is null)
        {
            LastSendError = Errno.EINVAL;
            return false;
        }

        return SendCore(vrrpPayload, _group, -1);
    }

    /// <summary>
    /// Sends a VRRP payload to <paramref name="destination16"/> (16 bytes in wire order: the group or a unicast
    /// peer), hop limit 255. Zero allocation; failures return false and set <see cref="LastSendError"/>.
    /// </summary>
    public bool Send(ReadOnlySpan<byte> vrrpPayload, ReadOnlySpan<byte> destination16)
        => SendCore(vrrpPayload, ReadIn6(destination16, nameof(destination16)), -1);

    /// <summary>
    /// As <see cref="Send(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> with an explicit hop limit (0..255) carried
    /// in an IPV6_HOPLIMIT control message (keepalived's unicast_ttl for IPv6 peers).
    /// </summary>
    public bool Send(ReadOnlySpan<byte> vrrpPayload, ReadOnlySpan<byte> destination16, int hopLimit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hopLimit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hopLimit, 255);
        return SendCore(vrrpPayload, ReadIn6(destination16, nameof(destination16)), hopLimit);
    }

    /// <summary>Sends to an <see cref="IPAddress"/> (convenience; no allocation).</summary>
    public bool Send(ReadOnlySpan<byte> vrrpPayload, IPAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return SendCore(vrrpPayload, ToIn6(destination), -1);
    }

    private bool SendCore(ReadOnlySpan<byte> payload, Libc.In6Addr destination, int hopLimit)
    {
        var to = new Libc.SockAddrIn6
        {
            Family = Libc.AF_INET6,
            Address = destination,
            ScopeId = (uint)InterfaceIndex, // only used by the kernel for link-scope destinations
        };

        int pktinfoSpace = Libc.CmsgSpace(sizeof(Libc.In6PktInfo));
        int controlLength = pktinfoSpace + (hopLimit >= 0 ? Libc.CmsgSpace(sizeof(int)) : 0);
        byte* control = stackalloc byte[ControlBufferSize];
        new Span<byte>(control, controlLength).Clear();

        var cmsg = (Libc.CmsgHdr*)control;
        cmsg->Length = (nuint)Libc.CmsgLen(sizeof(Libc.In6PktInfo));
        cmsg->Level = Libc.IPPROTO_IPV6;
        cmsg->Type = Libc.IPV6_PKTINFO;
        var pktinfo = (Libc.In6PktInfo*)(control + Libc.CmsgHeaderSize);
        pktinfo->Address = _source;
        pktinfo->InterfaceIndex = InterfaceIndex;
        if (hopLimit >= 0)
        {
            cmsg = (Libc.CmsgHdr*)(control + pktinfoSpace);
            cmsg->Length = (nuint)Libc.CmsgLen(sizeof(int));
            cmsg->Level = Libc.IPPROTO_IPV6;
            cmsg->Type = Libc.IPV6_HOPLIMIT;
            *(int*)(control + pktinfoSpace + Libc.CmsgHeaderSize) = hopLimit;
        }

        fixed (byte* p = payload)
        {
            var iov = new Libc.IoVec { Base = p, Length = (nuint)payload.Length };
            var msg = new Libc.MsgHdr
            {
                Name = &to,
                NameLength = (uint)sizeof(Libc.SockAddrIn6),
                Iov = &iov,
                IovLength = 1,
                Control = control,
                ControlLength = (nuint)controlLength,
            };

            while (true)
            {
                nint n = Libc.SendMsg(_handle, &msg, 0);
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

    /// <summary>Leaves the multicast group (IPV6_DROP_MEMBERSHIP); idempotent, also done by <see cref="Dispose"/>.</summary>
    public void LeaveGroup()
    {
        if (!_joined || _handle.IsClosed)
        {
            return;
        }

        _joined = false;
        var membership = new Libc.Ipv6Mreq { MulticastAddress = _group, InterfaceIndex = InterfaceIndex };
        Libc.SetSockOpt(_handle, Libc.IPPROTO_IPV6, Libc.IPV6_DROP_MEMBERSHIP, &membership, (uint)sizeof(Libc.Ipv6Mreq));
    }

    public void Dispose()
    {
        LeaveGroup();
        _handle.Dispose();
    }

    private static void Check(int result, string operation) => LinuxNetworkException.ThrowIfFailed(result, operation);

    private static Libc.In6Addr ToIn6(IPAddress address)
    {
        Span<byte> b = stackalloc byte[16];
        if (!address.TryWriteBytes(b, out int written) || written != 16)
        {
            throw new ArgumentException("An IPv6 address is required.", nameof(address));
        }

        return MemoryMarshal.Read<Libc.In6Addr>(b);
    }

    private static Libc.In6Addr ReadIn6(ReadOnlySpan<byte> address16, string parameterName)
    {
        if (address16.Length != 16)
        {
            throw new ArgumentException("A 16-byte IPv6 address is required.", parameterName);
        }

        return MemoryMarshal.Read<Libc.In6Addr>(address16);
    }

    private static UInt128 FromIn6(Libc.In6Addr address)
        => ReceivedPacketInfo.ToValue(new ReadOnlySpan<byte>(&address, 16));
}
