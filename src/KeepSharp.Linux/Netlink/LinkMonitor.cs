using System.Buffers.Binary;
using KeepSharp.Linux.Netlink;

namespace KeepSharp.Linux;

/// <summary>
/// Non-blocking NETLINK_ROUTE socket joined to RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR.
/// Register <see cref="FileDescriptor"/> with the event loop's <see cref="Poller"/> and drain with <see cref="TryRead"/>.
/// Not thread-safe.
/// </summary>
public sealed class LinkMonitor : IDisposable
{
    private const int ReceiveBufferBytes = 64 * 1024;
    private const int KernelQueueBytes = 1024 * 1024;

    private readonly NetlinkSocket _socket;
    private const int MaxInternedNames = 4096;

    private readonly byte[] _buffer = new byte[ReceiveBufferBytes];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _length;
    private int _offset;

    private LinkMonitor(NetlinkSocket socket) => _socket = socket;

    public static LinkMonitor Open()
        => new(NetlinkSocket.Open(Nl.RTMGRP_LINK | Nl.RTMGRP_IPV4_IFADDR | Nl.RTMGRP_IPV6_IFADDR, nonBlocking: true, KernelQueueBytes, null));

    public int FileDescriptor => _socket.FileDescriptor;

    /// <summary>The errno of the last failed receive other than EAGAIN/ENOBUFS (0 if none).</summary>
    public int LastError { get; private set; }

    /// <summary>
    /// Decodes the next link or address notification. Returns false when nothing is pending.
    /// Kernel queue overflow is reported as <see cref="LinkEventKind.Overrun"/>: re-read state with <see cref="RtNetlink"/>.
    /// Allocation-free except the <see cref="System.Net.IPAddress"/> of address events and the first sighting
    /// of an interface name (names are interned: a link's later events reuse the same string).
    /// </summary>
    public bool TryRead(out LinkEvent linkEvent)
    {
        while (true)
        {
            if (_offset >= _length)
            {
                _offset = _length = 0;
                int n = _socket.Receive(_buffer);
                if (n == -Errno.ENOBUFS)
                {
                    linkEvent = new LinkEvent(LinkEventKind.Overrun, 0, false, false);
                    return true;
                }

                if (n <= 0)
                {
                    if (n < 0 && n != -Errno.EAGAIN)
                    {
                        LastError = -n;
                    }

                    linkEvent = default;
                    return false;
                }

                _length = n;
            }

            ReadOnlySpan<byte> rest = _buffer.AsSpan(_offset, _length - _offset);
            int messageLength = rest.Length >= Nl.HeaderLength ? (int)BinaryPrimitives.ReadUInt32LittleEndian(rest) : 0;
            if (messageLength < Nl.HeaderLength || messageLength > rest.Length)
            {
                _offset = _length; // malformed tail: drop the rest of this datagram
                continue;
            }

            _offset += Nl.Align(messageLength);
            ushort type = BinaryPrimitives.ReadUInt16LittleEndian(rest[4..]);
            ReadOnlySpan<byte> payload = rest[Nl.HeaderLength..messageLength];
            if (TryDecode(type, payload, out linkEvent))
            {
                return true;
            }
        }
    }

    private bool TryDecode(ushort type, ReadOnlySpan<byte> payload, out LinkEvent linkEvent)
    {
        switch (type)
        {
            case Nl.RTM_NEWLINK or Nl.RTM_DELLINK when payload.Length >= Nl.IfInfoMsgLength:
            {
                int index = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
                uint flags = BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]);
                linkEvent = new LinkEvent(
                    type == Nl.RTM_NEWLINK ? LinkEventKind.LinkChanged : LinkEventKind.LinkRemoved,
                    index, (flags & Nl.IFF_UP) != 0, (flags & Nl.IFF_RUNNING) != 0, null, 0, flags,
                    LinkName(payload[Nl.IfInfoMsgLength..]));
                return true;
            }

            case Nl.RTM_NEWADDR or Nl.RTM_DELADDR when payload.Length >= Nl.IfAddrMsgLength:
            {
                InterfaceAddress a = RtNetlink.ParseAddress(payload);
                linkEvent = new LinkEvent(
                    type == Nl.RTM_NEWADDR ? LinkEventKind.AddressAdded : LinkEventKind.AddressRemoved,
                    a.InterfaceIndex, false, false, a.Address, a.PrefixLength, a.Flags);
                return true;
            }

            default:
                linkEvent = default;
                return false;
        }
    }

    /// <summary>IFLA_IFNAME of a link message, interned; null when absent or not a plain name.</summary>
    private string? LinkName(ReadOnlySpan<byte> attributesBytes)
    {
        var attributes = new AttributeReader(attributesBytes);
        while (attributes.Next())
        {
            if (attributes.Type != Nl.IFLA_IFNAME)
                continue;
            ReadOnlySpan<byte> raw = attributes.Value;
            int end = raw.IndexOf((byte)0);
            raw = end >= 0 ? raw[..end] : raw;
            if (raw.IsEmpty || raw.Length >= Nl.IFNAMSIZ)
                return null;
            Span<char> chars = stackalloc char[Nl.IFNAMSIZ];
            for (int i = 0; i < raw.Length; i++)
                chars[i] = (char)raw[i]; // kernel names are bytes; non-ASCII ones are rare and compared as Latin-1
            ReadOnlySpan<char> name = chars[..raw.Length];
            var lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(name, out string? known))
                return known;
            string created = name.ToString();
            if (_names.Count < MaxInternedNames)
                _names.Add(created);
            return created;
        }

        return null;
    }

    public void Dispose() => _socket.Dispose();
}
