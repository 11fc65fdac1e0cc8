using KeepSharp.Linux;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Daemon.Runtime.Transport;

/// <summary>
/// The raw socket of one interface and address family, as the daemon uses it: received packets come out as the
/// core's <see cref="VrrpPacket"/> (whatever the family delivers: an IPv4 header, or IPv6 control messages), and
/// datagrams built by <see cref="VrrpDatagramWriter"/> go to a destination. Allocation-free per packet.
/// </summary>
internal interface IVrrpChannel : IDisposable
{
    int FileDescriptor { get; }

    /// <summary>
    /// Receives one packet into <paramref name="buffer"/> and hands it to <paramref name="receiver"/>. Returns its length
    /// (0 when nothing is pending, -errno on failure) and, for a packet, what the receive path made of it.
    /// </summary>
    int Receive(Span<byte> buffer, VrrpReceiver receiver, out VrrpDropReason reason);

    /// <summary>
    /// Sends a datagram from <see cref="VrrpDatagramWriter.Datagram"/>; false on failure (see <see cref="LastSendError"/>).
    /// Over IPv4 the datagram's own header carries source and TTL; over IPv6 the kernel writes the header from
    /// <paramref name="source"/> and <paramref name="hopLimit"/>.
    /// </summary>
    bool Send(ReadOnlySpan<byte> datagram, VrrpAddress source, VrrpAddress destination, byte hopLimit);

    /// <summary>
    /// Until <see cref="EndBatch"/>, <see cref="Send"/> may queue datagrams (true = queued) to send them together; a
    /// channel that cannot batch keeps sending at once.
    /// </summary>
    void BeginBatch();

    /// <summary>Sends whatever <see cref="BeginBatch"/> queued; returns how many of those failed (see <see cref="LastSendError"/>).</summary>
    int EndBatch();

    /// <summary>errno of the last failed send.</summary>
    int LastSendError { get; }

    /// <summary>Opens the same channel on a link that was created again under the same name (new index).</summary>
    IVrrpChannel Reopen(LinkInfo link);
}
