using System.Net;
using KeepSharp.Linux;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Daemon.Runtime.Transport;

/// <summary>
/// VRRP over IPv6 (RFC 9568 §5.1.2): a raw socket that delivers the VRRP message alone, with source, destination and
/// hop limit from <c>recvmsg</c>'s control messages; adverts leave from the link-local address with hop limit 255
/// (multicast) or <c>unicast_ttl</c> (unicast), the kernel writing the IPv6 header.
/// The interface's link-local address may change when the link is re-created: <see cref="Reopen"/> keeps the configured one.
/// </summary>
internal sealed class IPv6Channel : IVrrpChannel
{
    private readonly VrrpSocket6 _socket;
    private readonly IPAddress _source;
    private readonly IPAddress? _group;
    private VrrpAddress _currentSource;

    private IPv6Channel(VrrpSocket6 socket, IPAddress source, IPAddress? group)
    {
        _socket = socket;
        _source = source;
        _group = group;
        _currentSource = VrrpAddress.FromIPAddress(source);
    }

    /// <summary>Opens the channel on <paramref name="interfaceName"/>; joined to <paramref name="group"/> unless it is null (unicast only).</summary>
    public static IPv6Channel Open(string interfaceName, IPAddress source, IPAddress? group) =>
        new(group is null ? VrrpSocket6.OpenUnicast(interfaceName, source) : VrrpSocket6.Open(interfaceName, source, group), source, group);

    public int FileDescriptor => _socket.FileDescriptor;

    public int LastSendError => _socket.LastSendError;

    public int Receive(Span<byte> buffer, VrrpReceiver receiver, out VrrpDropReason reason)
    {
        int n = _socket.Receive(buffer, out ReceivedPacketInfo info);
        if (n <= 0)
        {
            reason = VrrpDropReason.None;
            return n;
        }
        var packet = new VrrpPacket(VrrpAddress.FromIPv6(info.Source), VrrpAddress.FromIPv6(info.Destination), info.HopLimit,
            VrrpWire.IpProtocol, buffer[..n]);
        reason = receiver.Receive(packet);
        return n;
    }

    public bool Send(ReadOnlySpan<byte> datagram, VrrpAddress source, VrrpAddress destination, byte hopLimit)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (source != _currentSource)
        {
            // An instance with its own unicast_src_ip shares the interface's socket: the source goes with each send.
            source.WriteTo(bytes);
            _socket.SetSourceAddress(bytes);
            _currentSource = source;
        }
        destination.WriteTo(bytes);
        return _socket.Send(datagram, bytes, hopLimit);
    }

    /// <summary>IPv6 sends carry per-datagram control messages: they leave at once, unbatched.</summary>
    public void BeginBatch()
    {
    }

    public int EndBatch() => 0;

    public IVrrpChannel Reopen(LinkInfo link) => Open(link.Name, _source, _group);

    public void Dispose() => _socket.Dispose();
}
