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

    private IPv4Channel(VrrpSocket socket, IPAddress group)
    {
        _socket = socket;
        _group = group;
    }

    /// <summary>Opens the channel on <paramref name="interfaceName"/>, joined to <paramref name="group"/> when it is a multicast group.</summary>
    public static IPv4Channel Open(string interfaceName, IPAddress group) => new(VrrpSocket.OpenIPv4(interfaceName, group), group);

    public int FileDescriptor => _socket.FileDescriptor;

    public int LastSendError => _socket.LastSendError;

    public int Receive(Span<byte> buffer, VrrpReceiver receiver, out VrrpDropReason reason)
    {
        int n = _socket.Receive(buffer);
        reason = n > 0 ? receiver.Receive(buffer[..n]) : VrrpDropReason.None;
        return n;
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
