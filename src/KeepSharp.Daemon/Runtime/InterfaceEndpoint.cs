using System.Net;
using KeepSharp.Daemon.Logging;
using KeepSharp.Linux;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// One interface that VRRP runs on: its raw socket (joined to the VRRP group), the receive path that
/// dispatches by VRID to the instances on it, and its link state.
/// </summary>
internal sealed class InterfaceEndpoint : IDisposable
{
    private readonly bool[] _dropLogged = new bool[Enum.GetValues<VrrpDropReason>().Length];
    private long _sendFailures;

    public InterfaceEndpoint(LinkInfo link, VrrpAddress primaryAddress, VrrpSocket socket)
    {
        Link = link;
        PrimaryAddress = primaryAddress;
        Socket = socket;
        MulticastGroup = VrrpAddress.FromIPAddress(socket.MulticastGroup);
        IsOperational = link.IsUp && link.IsRunning;
    }

    public LinkInfo Link { get; private set; }

    public string Name => Link.Name;

    public int InterfaceIndex => Link.InterfaceIndex;

    public VrrpAddress PrimaryAddress { get; }

    public VrrpSocket Socket { get; private set; }

    /// <summary>Where adverts go, the group the socket joined: <c>vrrp_mcast_group4</c> (224.0.0.18 unless configured).</summary>
    public VrrpAddress MulticastGroup { get; }

    public VrrpReceiver Receiver { get; } = new();

    public List<VrrpInstanceRuntime> Instances { get; } = [];

    /// <summary>Up and with carrier, as netlink last reported.</summary>
    public bool IsOperational { get; set; }

    /// <summary>Reads every pending datagram and hands it to the receive path. Allocation-free.</summary>
    public void DrainSocket(Span<byte> buffer, Log log)
    {
        while (true)
        {
            int n = Socket.Receive(buffer);
            if (n <= 0)
                return;
            VrrpDropReason reason = Receiver.Receive(buffer[..n]);
            if (reason != VrrpDropReason.None && !_dropLogged[(int)reason])
            {
                // First of its kind is logged; the rest are counted (a flood must not flood the log).
                _dropLogged[(int)reason] = true;
                log.Warning($"{Name}: dropped a VRRP packet: {reason} (further drops of this kind are only counted)");
            }
        }
    }

    public void CountSendFailure(string instance, Log log)
    {
        if (_sendFailures++ == 0)
            log.Warning($"({instance}) cannot send advertisement on {Name} (further failures are only counted)");
    }

    /// <summary>
    /// The interface was deleted and a link with its name exists again (new index): opens a socket bound to
    /// and joined on the new link, then closes the old one, which still points at the vanished index.
    /// Throws <see cref="LinuxNetworkException"/> when the new link cannot be opened (it vanished again).
    /// </summary>
    public void Relink(LinkInfo link)
    {
        VrrpSocket socket = VrrpSocket.OpenIPv4(link.Name, Socket.MulticastGroup);
        VrrpSocket stale = Socket;
        Socket = socket;
        Link = link;
        stale.Dispose();
    }

    public void Dispose() => Socket.Dispose();
}
