using System.Net.Sockets;
using KeepSharp.Daemon.Logging;
using KeepSharp.Daemon.Runtime.Transport;
using KeepSharp.Linux;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// One interface and address family that VRRP runs on: its raw socket (joined to the family's VRRP group when a
/// multicast instance needs it), the receive path that dispatches by VRID to the instances on it, and its link state.
/// Unicast and multicast instances of one family share it: the receive path tells their packets apart.
/// </summary>
internal sealed class InterfaceEndpoint : IDisposable
{
    private readonly DropLog _drops;
    private long _sendFailures;

    public InterfaceEndpoint(LinkInfo link, AddressFamily family, VrrpAddress primaryAddress, IVrrpChannel channel, TimeProvider time)
    {
        Link = link;
        Family = family;
        PrimaryAddress = primaryAddress;
        Channel = channel;
        IsOperational = link.IsUp && link.IsRunning;
        _drops = new DropLog(time);
    }

    public LinkInfo Link { get; private set; }

    public string Name => Link.Name;

    public AddressFamily Family { get; }

    /// <summary>"eth0" for IPv4, "eth0 (IPv6)" for IPv6: how logs name the endpoint.</summary>
    public string Description => Family == AddressFamily.InterNetworkV6 ? Name + " (IPv6)" : Name;

    public int InterfaceIndex => Link.InterfaceIndex;

    /// <summary>The interface's address adverts come from: its primary IPv4 address, or its IPv6 link-local address.</summary>
    public VrrpAddress PrimaryAddress { get; }

    public IVrrpChannel Channel { get; private set; }

    /// <summary>The socket joined the family's VRRP group when it was opened (some instance on it multicasts).</summary>
    public bool JoinedGroup { get; init; }

    public VrrpReceiver Receiver { get; } = new();

    public List<VrrpInstanceRuntime> Instances { get; } = [];

    /// <summary>Up and with carrier, as netlink last reported.</summary>
    public bool IsOperational { get; set; }

    /// <summary>Reads every pending datagram and hands it to the receive path; returns how many. Allocation-free.</summary>
    public int DrainSocket(Span<byte> buffer, Log log)
    {
        int count = 0;
        while (Channel.Receive(buffer, Receiver, out VrrpDropReason reason) > 0)
        {
            count++;
            if (reason != VrrpDropReason.None)
                _drops.Dropped(this, reason, log);
        }
        return count;
    }

    /// <summary>Sends from here to <see cref="EndSendBatch"/> may be queued and leave together (see <see cref="IVrrpChannel.BeginBatch"/>).</summary>
    public void BeginSendBatch() => Channel.BeginBatch();

    /// <summary>Sends what was queued since <see cref="BeginSendBatch"/>; failures are counted as any send failure.</summary>
    public void EndSendBatch(Log log)
    {
        int failures = Channel.EndBatch();
        if (failures > 0)
            CountSendFailures(Description, failures, log);
    }

    public void CountSendFailure(string instance, Log log) => CountSendFailures(instance, 1, log);

    private void CountSendFailures(string instance, int count, Log log)
    {
        long before = _sendFailures;
        _sendFailures += count;
        if (before == 0)
            log.Warning($"({instance}) cannot send advertisement on {Description}: {Errno.Describe(Channel.LastSendError)} (further failures are only counted)");
    }

    /// <summary>
    /// The interface was deleted and a link with its name exists again (new index): opens a socket bound to
    /// and joined on the new link, then closes the old one, which still points at the vanished index.
    /// Throws <see cref="LinuxNetworkException"/> when the new link cannot be opened (it vanished again).
    /// </summary>
    public void Relink(LinkInfo link)
    {
        IVrrpChannel channel = Channel.Reopen(link);
        IVrrpChannel stale = Channel;
        Channel = channel;
        Link = link;
        stale.Dispose();
    }

    public void Dispose() => Channel.Dispose();

    /// <summary>
    /// Drops are logged rate-limited (RFC 9568 §7.1: "SHOULD log the event (subject to rate-limiting)"): the first of each
    /// kind at once, then at most one line a minute with the count since; an advert for a VRID we do not run is reported
    /// once per VRID, since a foreign router keeps sending it.
    /// </summary>
    private sealed class DropLog(TimeProvider time)
    {
        private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
        private readonly long[] _lastLogged = new long[Enum.GetValues<VrrpDropReason>().Length];
        private readonly long[] _since = new long[Enum.GetValues<VrrpDropReason>().Length];
        private readonly bool[] _foreignReported = new bool[256];

        public void Dropped(InterfaceEndpoint endpoint, VrrpDropReason reason, Log log)
        {
            VrrpReceiver receiver = endpoint.Receiver;
            if (reason == VrrpDropReason.UnknownVirtualRouterId)
            {
                byte vrid = receiver.LastVirtualRouterId;
                if (!_foreignReported[vrid])
                {
                    _foreignReported[vrid] = true;
                    log.Info($"{endpoint.Description}: VRID {vrid} advertised by {receiver.LastSource} is not one of ours; its adverts are counted and ignored");
                }
                return;
            }
            int i = (int)reason;
            long now = time.GetTimestamp();
            if (_lastLogged[i] != 0 && time.GetElapsedTime(_lastLogged[i], now) < Interval)
            {
                _since[i]++;
                return;
            }
            string more = _since[i] > 0 ? $" ({_since[i]} more since the last report)" : "";
            _lastLogged[i] = now;
            _since[i] = 0;
            log.Warning($"{endpoint.Description}: dropped a VRRP packet from {receiver.LastSource} (VRID {receiver.LastVirtualRouterId}): {reason}{more}; such drops are reported at most once a minute");
        }
    }
}
