using System.Buffers.Binary;
using static KeepSharp.Linux.Netlink.NetlinkMessage;

namespace KeepSharp.Linux;

/// <summary>
/// Kernel notifications of link and address changes (RTMGRP_LINK, RTMGRP_IPV4_IFADDR, RTMGRP_IPV6_IFADDR)
/// on a non-blocking netlink socket that the event loop polls. Reading allocates nothing.
/// </summary>
public sealed class LinkMonitor : IDisposable
{
    private readonly Netlink.NetlinkSocket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _length;
    private int _offset;

    private LinkMonitor(Netlink.NetlinkSocket socket) => _socket = socket;

    public static LinkMonitor Open() =>
        new(Netlink.NetlinkSocket.Open(RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR, nonBlocking: true));

    public int FileDescriptor => _socket.FileDescriptor;

    /// <summary>Overruns of the socket's buffer (ENOBUFS): events were lost; the owner should re-read link state.</summary>
    public long Overruns { get; private set; }

    /// <summary>The next pending event; false when none is pending.</summary>
    public bool TryRead(out LinkEvent linkEvent)
    {
        while (true)
        {
            while (TryNext(_buffer.AsSpan(0, _length), ref _offset, out ushort type, out _, out _, out ReadOnlySpan<byte> body))
            {
                if (TryDecode(type, body, out linkEvent))
                    return true;
            }
            int n = _socket.Receive(_buffer, dontWait: true);
            if (n == -Errno.ENOBUFS)
            {
                Overruns++;
                continue;
            }
            _offset = 0;
            _length = Math.Max(0, n);
            if (n <= 0)
            {
                linkEvent = default;
                return false;
            }
        }
    }

    private static bool TryDecode(ushort type, ReadOnlySpan<byte> body, out LinkEvent linkEvent)
    {
        linkEvent = default;
        switch (type)
        {
            case RTM_NEWLINK or RTM_DELLINK when body.Length >= 16:
                int index = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
                uint flags = BinaryPrimitives.ReadUInt32LittleEndian(body[8..]);
                linkEvent = new LinkEvent(type == RTM_NEWLINK ? LinkEventKind.LinkChanged : LinkEventKind.LinkRemoved,
                    index, (flags & IFF_UP) != 0, (flags & IFF_RUNNING) != 0);
                return true;
            case RTM_NEWADDR or RTM_DELADDR when body.Length >= 8:
                linkEvent = new LinkEvent(type == RTM_NEWADDR ? LinkEventKind.AddressAdded : LinkEventKind.AddressRemoved,
                    (int)BinaryPrimitives.ReadUInt32LittleEndian(body[4..]), false, false);
                return true;
            default:
                return false;
        }
    }

    public void Dispose() => _socket.Dispose();
}
