using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using KeepSharp.Linux.Netlink;

namespace KeepSharp.Linux;

/// <summary>
/// Synchronous NETLINK_ROUTE request/acknowledge channel (address add/delete, address and link queries).
/// Blocking with a receive timeout; not thread-safe: use from the event-loop thread only.
/// </summary>
public sealed partial class RtNetlink : IDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(5);
    private const int ReceiveBufferBytes = 64 * 1024;

    /// <summary>SO_RCVBUF(FORCE): room for a whole chunk of failed requests' replies (each echoes its request), see <see cref="BatchRequests"/>.</summary>
    private const int SocketReceiveBufferBytes = 1024 * 1024;

    private readonly NetlinkSocket _socket;
    private readonly byte[] _request = new byte[512];
    private readonly byte[] _reply = new byte[ReceiveBufferBytes];
    private uint _sequence = (uint)Environment.TickCount;

    private RtNetlink(NetlinkSocket socket) => _socket = socket;

    public static RtNetlink Open() => new(NetlinkSocket.Open(0, nonBlocking: false, SocketReceiveBufferBytes, ReplyTimeout));

    /// <summary>RTM_NEWADDR with NLM_F_CREATE|NLM_F_EXCL. Returns 0 or -errno (-EEXIST when already present).</summary>
    /// <param name="label">IPv4 only; the kernel expects it to start with the interface name (e.g. "eth0:vip"), at most 15 bytes.</param>
    public int AddAddress(int ifIndex, IPAddress address, int prefixLength, string? label = null, IPAddress? broadcast = null, byte scope = 0)
        => AddAddress(ifIndex, address, prefixLength, noDad: false, label, broadcast, scope);

    /// <summary>
    /// RTM_NEWADDR with NLM_F_CREATE|NLM_F_EXCL; <paramref name="noDad"/> sets IFA_F_NODAD (in ifa_flags and the IFA_FLAGS
    /// attribute), as keepalived does for IPv6 VIPs, so the address is usable at once instead of "tentative" for the
    /// duplicate address detection period. Returns 0 or -errno (-EEXIST when already present).
    /// </summary>
    public int AddAddress(int ifIndex, IPAddress address, int prefixLength, bool noDad, string? label = null, IPAddress? broadcast = null, byte scope = 0)
    {
        var change = new AddressChange(ifIndex, address, prefixLength, noDad, label, broadcast, scope);
        AddressBatch.Validate(change);
        int length = AddressBatch.WriteAdd(_request, change, ++_sequence, ack: true);
        return Transact(_request.AsSpan(0, length), collect: null, ifIndexFilter: 0);
    }

    /// <summary>RTM_DELADDR. Returns 0 or -errno (-EADDRNOTAVAIL when the address is not configured).</summary>
    public int DeleteAddress(int ifIndex, IPAddress address, int prefixLength)
    {
        var change = new AddressChange(ifIndex, address, prefixLength);
        AddressBatch.Validate(change);
        int length = AddressBatch.WriteDelete(_request, change, ++_sequence, ack: true);
        return Transact(_request.AsSpan(0, length), collect: null, ifIndexFilter: 0);
    }

    /// <summary>RTM_GETADDR dump (IPv4 and IPv6); <paramref name="ifIndex"/> 0 means all interfaces.</summary>
    public IReadOnlyList<InterfaceAddress> GetAddresses(int ifIndex = 0)
    {
        var result = new List<InterfaceAddress>();
        var w = new NetlinkWriter(_request, Nl.RTM_GETADDR, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP, ++_sequence);
        w.IfAddrMsg(Interop.Libc.AF_UNSPEC, 0, 0, 0, 0);
        int rc = Transact(w.Finish(), result, ifIndex);
        if (rc < 0)
        {
            throw new LinuxNetworkException("RTM_GETADDR", rc);
        }

        return result;
    }

    /// <summary>RTM_GETLINK by name; null when no such interface exists.</summary>
    public LinkInfo? GetLink(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return GetLinkCore(0, name);
    }

    /// <summary>RTM_GETLINK by index; null when no such interface exists.</summary>
    public LinkInfo? GetLink(int ifIndex) => GetLinkCore(ifIndex, null);

    private LinkInfo? GetLinkCore(int ifIndex, string? name)
    {
        var w = new NetlinkWriter(_request, Nl.RTM_GETLINK, Nl.NLM_F_REQUEST, ++_sequence);
        w.IfInfoMsg(Interop.Libc.AF_UNSPEC, ifIndex);
        w.Attribute(Nl.IFLA_EXT_MASK, Nl.RTEXT_FILTER_SKIP_STATS);
        if (name is not null)
        {
            w.Attribute(Nl.IFLA_IFNAME, name);
        }

        uint sequence = _sequence;
        int rc = _socket.Send(w.Finish());
        if (rc < 0)
        {
            throw new LinuxNetworkException("RTM_GETLINK send", rc);
        }

        while (true)
        {
            int n = _socket.Receive(_reply);
            if (n < 0)
            {
                throw new LinuxNetworkException("RTM_GETLINK receive", n);
            }

            var reader = new NetlinkMessageReader(_reply.AsSpan(0, n));
            while (reader.Next())
            {
                if (reader.Sequence != sequence)
                {
                    continue;
                }

                if (reader.Type == Nl.NLMSG_ERROR)
                {
                    int error = reader.ErrorCode;
                    if (error == -Errno.ENODEV)
                    {
                        return null;
                    }

                    throw new LinuxNetworkException("RTM_GETLINK", error == 0 ? Errno.EIO : error);
                }

                if (reader.Type == Nl.RTM_NEWLINK)
                {
                    return ParseLink(reader.Payload);
                }
            }
        }
    }

    internal static LinkInfo ParseLink(ReadOnlySpan<byte> payload)
    {
        int index = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]);
        string name = string.Empty;
        byte[] mac = [];
        int mtu = 0;
        int parent = 0;
        string? kind = null;
        MacvlanMode? macvlanMode = null;
        var attributes = new AttributeReader(payload[Nl.IfInfoMsgLength..]);
        while (attributes.Next())
        {
            switch (attributes.Type)
            {
                case Nl.IFLA_IFNAME: name = attributes.String; break;
                case Nl.IFLA_ADDRESS: mac = attributes.Value.ToArray(); break;
                case Nl.IFLA_MTU: mtu = (int)attributes.UInt32; break;
                case Nl.IFLA_LINK: parent = (int)attributes.UInt32; break;
                case Nl.IFLA_LINKINFO: ParseLinkInfo(attributes.Value, ref kind, ref macvlanMode); break;
            }
        }

        return new LinkInfo(index, name, mac, (flags & Nl.IFF_UP) != 0, (flags & Nl.IFF_RUNNING) != 0, mtu, flags, (flags & Nl.IFF_LOWER_UP) != 0)
        {
            Kind = kind,
            ParentIndex = parent,
            MacvlanMode = macvlanMode,
        };
    }

    private static void ParseLinkInfo(ReadOnlySpan<byte> linkInfo, ref string? kind, ref MacvlanMode? macvlanMode)
    {
        var info = new AttributeReader(linkInfo);
        while (info.Next())
        {
            if (info.Type == Nl.IFLA_INFO_KIND)
            {
                kind = info.String;
            }
            else if (info.Type == Nl.IFLA_INFO_DATA && kind == "macvlan")
            {
                var data = new AttributeReader(info.Value);
                while (data.Next())
                {
                    if (data.Type == Nl.IFLA_MACVLAN_MODE)
                    {
                        macvlanMode = (MacvlanMode)data.UInt32;
                    }
                }
            }
        }
    }

    internal static InterfaceAddress ParseAddress(ReadOnlySpan<byte> payload)
    {
        byte prefix = payload[1];
        uint flags = payload[2];
        byte scope = payload[3];
        int index = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
        IPAddress? local = null, address = null;
        string? label = null;
        var attributes = new AttributeReader(payload[Nl.IfAddrMsgLength..]);
        while (attributes.Next())
        {
            switch (attributes.Type)
            {
                case Nl.IFA_LOCAL: local = attributes.Address; break;
                case Nl.IFA_ADDRESS: address = attributes.Address; break;
                case Nl.IFA_LABEL: label = attributes.String; break;
                case Nl.IFA_FLAGS: flags = attributes.UInt32; break;
            }
        }

        // For IPv4 IFA_LOCAL is the interface's own address (IFA_ADDRESS is the peer on point-to-point links).
        return new InterfaceAddress(index, local ?? address ?? IPAddress.None, prefix, label, flags, scope);
    }

    /// <summary>
    /// The kernel's extended-ack text (NLMSGERR_ATTR_MSG, e.g. "Nexthop has invalid gateway") for the last request that
    /// failed with one; null when the last request succeeded or the kernel gave no text. For logs next to the errno.
    /// </summary>
    public string? LastErrorMessage { get; private set; }

    /// <summary>NLMSGERR_ATTR_MSG from an NLMSG_ERROR payload: int error, the request's header (or whole request unless capped), TLVs.</summary>
    internal static string? ExtendedAckMessage(ReadOnlySpan<byte> payload, bool capped)
    {
        if (payload.Length < 4 + Nl.HeaderLength)
        {
            return null;
        }

        int echoed = capped ? Nl.HeaderLength : Nl.Align((int)BinaryPrimitives.ReadUInt32LittleEndian(payload[4..]));
        if (4 + echoed > payload.Length)
        {
            return null;
        }

        var tlvs = new AttributeReader(payload[(4 + echoed)..]);
        while (tlvs.Next())
        {
            if (tlvs.Type == Nl.NLMSGERR_ATTR_MSG)
            {
                return tlvs.String;
            }
        }

        return null;
    }

    /// <summary>Sends a request and reads until its ACK/error (or NLMSG_DONE for dumps). Returns 0 or -errno.</summary>
    private int Transact(ReadOnlySpan<byte> request, List<InterfaceAddress>? collect, int ifIndexFilter)
    {
        LastErrorMessage = null;
        uint sequence = _sequence;
        int rc = _socket.Send(request);
        if (rc < 0)
        {
            return rc;
        }

        while (true)
        {
            int n = _socket.Receive(_reply);
            if (n < 0)
            {
                return n == -Errno.EAGAIN ? -Errno.ETIMEDOUT : n;
            }

            var reader = new NetlinkMessageReader(_reply.AsSpan(0, n));
            while (reader.Next())
            {
                if (reader.Sequence != sequence)
                {
                    continue; // stale reply of an earlier, timed-out request
                }

                switch (reader.Type)
                {
                    case Nl.NLMSG_ERROR:
                        int error = reader.ErrorCode;
                        if (error != 0 && (reader.Flags & Nl.NLM_F_ACK_TLVS) != 0)
                        {
                            LastErrorMessage = ExtendedAckMessage(reader.Payload, (reader.Flags & Nl.NLM_F_CAPPED) != 0);
                        }

                        return error;
                    case Nl.NLMSG_DONE:
                        return 0;
                    case Nl.RTM_NEWADDR when collect is not null:
                        InterfaceAddress a = ParseAddress(reader.Payload);
                        if (ifIndexFilter == 0 || a.InterfaceIndex == ifIndexFilter)
                        {
                            collect.Add(a);
                        }

                        break;
                }
            }
        }
    }

    private static byte FamilyOf(IPAddress address) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => Interop.Libc.AF_INET,
        AddressFamily.InterNetworkV6 => Interop.Libc.AF_INET6,
        _ => throw new ArgumentException("Only IPv4 and IPv6 addresses are supported.", nameof(address)),
    };

    private static void ValidatePrefix(IPAddress address, int prefixLength)
    {
        int max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, max);
    }

    public void Dispose() => _socket.Dispose();
}
