using System.Net;
using System.Runtime.InteropServices;
using KeepSharp.Linux;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Daemon.Runtime.Transport;

/// <summary>VRRP over IPv4: a raw socket with IP_HDRINCL; the IPv4 header comes with every packet and goes with every datagram.</summary>
internal sealed class IPv4Channel : IVrrpChannel
{
    private readonly VrrpSocket _socket;
    private readonly IPAddress _group;
    private int _pending;   // datagrams of the last batch read
    private int _next;      // the next of them to hand over

    private IPv4Channel(VrrpSocket socket, IPAddress group)
    {
        _socket = socket;
        _group = group;
    }

    /// <summary>Opens the channel on <paramref name="interfaceName"/>, joined to <paramref name="group"/> when it is a multicast group.</summary>
    public static IPv4Channel Open(string interfaceName, IPAddress group) => new(VrrpSocket.OpenIPv4(interfaceName, group), group);

    public int FileDescriptor => _socket.FileDescriptor;

    public int LastSendError => _socket.LastSendError;

    /// <summary>
    /// Packets are read a batch at a time (<c>recvmmsg</c>) and handed to <paramref name="receiver"/> one per call,
    /// straight from the batch; <paramref name="buffer"/> is not needed.
    /// </summary>
    public int Receive(Span<byte> buffer, VrrpReceiver receiver, out VrrpDropReason reason)
    {
        reason = VrrpDropReason.None;
        if (_next == _pending)
        {
            _next = 0;
            _pending = _socket.ReceiveMany();
            if (_pending <= 0)
            {
                int result = _pending;
                _pending = 0;
                return result;
            }
        }
        ReadOnlySpan<byte> datagram = _socket.ReceivedDatagram(_next++);
        if (datagram.Length > 0)
            reason = receiver.Receive(datagram);
        return datagram.Length;
    }

    public bool Send(ReadOnlySpan<byte> datagram, VrrpAddress source, VrrpAddress destination, byte hopLimit)
    {
        Span<byte> bytes = stackalloc byte[4];
        destination.WriteTo(bytes);
        return _socket.Send(datagram, MemoryMarshal.Read<uint>(bytes));
    }

    /// <summary>Adverts due in one pass of the loop leave in one <c>sendmmsg</c>.</summary>
    public void BeginBatch() => _socket.BeginBatch();

    public int EndBatch() => _socket.EndBatch();

    public IVrrpChannel Reopen(LinkInfo link) => Open(link.Name, _group);

    public void Dispose() => _socket.Dispose();
}
