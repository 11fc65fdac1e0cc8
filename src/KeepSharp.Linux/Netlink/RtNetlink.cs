using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using static KeepSharp.Linux.Netlink.NetlinkMessage;

namespace KeepSharp.Linux;

/// <summary>
/// rtnetlink requests: add and delete addresses, list addresses, look up links. Each request waits for
/// the kernel's acknowledgement, which rtnetlink gives within the sendmsg for these operations (no
/// waiting on anything but the local kernel). Not thread-safe: one owner (the event loop).
/// </summary>
public sealed class RtNetlink : IDisposable
{
    private const int AF_INET = 2;
    private const int AF_INET6 = 10;

    private readonly Netlink.NetlinkSocket _socket;
    private readonly byte[] _request = new byte[256];
    private readonly byte[] _response = new byte[64 * 1024];
    private uint _sequence;

    private RtNetlink(Netlink.NetlinkSocket socket) => _socket = socket;

    public static RtNetlink Open() => new(Netlink.NetlinkSocket.Open(groups: 0, nonBlocking: false));

    /// <summary>RTM_NEWADDR (create, exclusive). Returns 0 or −errno (−EEXIST when the address is already there).</summary>
    public int AddAddress(int ifIndex, IPAddress address, int prefixLength, string? label = null, IPAddress? broadcast = null, byte scope = 0)
    {
        int length = AddressRequest(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, ifIndex, address, prefixLength, scope, out Span<byte> request);
        if (label is not null)
        {
            byte[] name = Encoding.ASCII.GetBytes(label + "\0");
            length = WriteAttribute(request, length, IFA_LABEL, name);
        }
        if (broadcast is not null && broadcast.AddressFamily == AddressFamily.InterNetwork)
            length = WriteAttribute(request, length, IFA_BROADCAST, broadcast.GetAddressBytes());
        return Transact(length);
    }

    /// <summary>RTM_DELADDR. Returns 0 or −errno (−EADDRNOTAVAIL when the address is not there).</summary>
    public int DeleteAddress(int ifIndex, IPAddress address, int prefixLength)
    {
        int length = AddressRequest(RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK, ifIndex, address, prefixLength, 0, out _);
        return Transact(length);
    }

    /// <summary>The addresses of one interface (or of all, for index 0), in the kernel's order.</summary>
    public IReadOnlyList<InterfaceAddress> GetAddresses(int ifIndex = 0)
    {
        Span<byte> request = _request;
        request[..24].Clear();
        WriteHeader(request, 24, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, ++_sequence);
        var result = new List<InterfaceAddress>();
        Dump(24, (type, body) =>
        {
            if (type != RTM_NEWADDR || body.Length < 8)
                return;
            int family = body[0];
            int index = (int)BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
            if (ifIndex != 0 && index != ifIndex)
                return;
            ReadOnlySpan<byte> attributes = body[8..];
            if (!TryFindAttribute(attributes, IFA_LOCAL, out ReadOnlySpan<byte> value)
                && !TryFindAttribute(attributes, IFA_ADDRESS, out value))
                return;
            if ((family == AF_INET && value.Length != 4) || (family == AF_INET6 && value.Length != 16))
                return;
            string? label = TryFindAttribute(attributes, IFA_LABEL, out ReadOnlySpan<byte> l) ? ReadString(l) : null;
            result.Add(new InterfaceAddress(index, new IPAddress(value), body[1], label));
        });
        return result;
    }

    /// <summary>RTM_GETLINK by name; null when there is no such interface.</summary>
    public LinkInfo? GetLink(string name)
    {
        Span<byte> request = _request;
        request[..32].Clear();
        int length = WriteAttribute(request, 32, IFLA_IFNAME, Encoding.ASCII.GetBytes(name + "\0"));
        WriteHeader(request, length, RTM_GETLINK, NLM_F_REQUEST, ++_sequence);
        if (!_socket.Send(request[..length]))
            throw Errno.Exception("netlink send RTM_GETLINK", Errno.Last);
        LinkInfo? link = null;
        int n = _socket.Receive(_response, dontWait: false);
        if (n < 0)
            throw Errno.Exception("netlink receive", -n);
        int offset = 0;
        while (TryNext(_response.AsSpan(0, n), ref offset, out ushort type, out _, out _, out ReadOnlySpan<byte> body))
        {
            if (type == RTM_NEWLINK)
                link = ParseLink(body);
        }
        return link;
    }

    internal static LinkInfo? ParseLink(ReadOnlySpan<byte> body)
    {
        if (body.Length < 16)
            return null;
        int index = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(body[8..]);
        ReadOnlySpan<byte> attributes = body[16..];
        string name = TryFindAttribute(attributes, IFLA_IFNAME, out ReadOnlySpan<byte> n) ? ReadString(n) : "";
        byte[] mac = TryFindAttribute(attributes, IFLA_ADDRESS, out ReadOnlySpan<byte> m) ? m.ToArray() : [];
        int mtu = TryFindAttribute(attributes, IFLA_MTU, out ReadOnlySpan<byte> u) && u.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(u) : 0;
        return new LinkInfo(index, name, mac, (flags & IFF_UP) != 0, (flags & IFF_RUNNING) != 0, mtu);
    }

    private int AddressRequest(ushort type, ushort flags, int ifIndex, IPAddress address, int prefixLength, byte scope, out Span<byte> request)
    {
        request = _request;
        request.Clear();
        bool v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        // struct ifaddrmsg: family, prefixlen, flags, scope, index.
        request[16] = (byte)(v6 ? AF_INET6 : AF_INET);
        request[17] = (byte)prefixLength;
        request[19] = scope;
        BinaryPrimitives.WriteInt32LittleEndian(request[20..], ifIndex);
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int written);
        int length = WriteAttribute(request, 24, IFA_LOCAL, bytes[..written]);
        length = WriteAttribute(request, length, IFA_ADDRESS, bytes[..written]);
        WriteHeader(request, length, type, flags, ++_sequence);
        return length;
    }

    /// <summary>Sends the request in <see cref="_request"/> and returns the acknowledgement's error (0 or −errno).</summary>
    private int Transact(int length)
    {
        // Patch the final length into the header (attributes were appended after it was written).
        BinaryPrimitives.WriteUInt32LittleEndian(_request, (uint)length);
        uint sequence = BinaryPrimitives.ReadUInt32LittleEndian(_request.AsSpan(8));
        if (!_socket.Send(_request.AsSpan(0, length)))
            return -Errno.Last;
        while (true)
        {
            int n = _socket.Receive(_response, dontWait: false);
            if (n < 0)
                return n;
            int offset = 0;
            while (TryNext(_response.AsSpan(0, n), ref offset, out ushort type, out _, out uint seq, out ReadOnlySpan<byte> body))
            {
                if (type == NLMSG_ERROR && seq == sequence && body.Length >= 4)
                    return BinaryPrimitives.ReadInt32LittleEndian(body);
            }
        }
    }

    private delegate void MessageHandler(ushort type, ReadOnlySpan<byte> body);

    private void Dump(int length, MessageHandler handler)
    {
        uint sequence = BinaryPrimitives.ReadUInt32LittleEndian(_request.AsSpan(8));
        if (!_socket.Send(_request.AsSpan(0, length)))
            throw Errno.Exception("netlink send dump", Errno.Last);
        while (true)
        {
            int n = _socket.Receive(_response, dontWait: false);
            if (n < 0)
                throw Errno.Exception("netlink receive", -n);
            int offset = 0;
            while (TryNext(_response.AsSpan(0, n), ref offset, out ushort type, out _, out uint seq, out ReadOnlySpan<byte> body))
            {
                if (seq != sequence)
                    continue;
                if (type == NLMSG_DONE)
                    return;
                if (type == NLMSG_ERROR)
                {
                    int error = body.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(body) : -Errno.EINVAL;
                    if (error != 0)
                        throw Errno.Exception("netlink dump", -error);
                    return;
                }
                handler(type, body);
            }
        }
    }

    public void Dispose() => _socket.Dispose();
}
