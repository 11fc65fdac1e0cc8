using KeepSharp.Daemon.Logging;
using KeepSharp.Daemon.Runtime.Announcements;
using KeepSharp.Daemon.Runtime.Resources;
using KeepSharp.Daemon.Runtime.Transport;
using KeepSharp.Linux;

namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// Everything on the Linux edge the daemon opened or created: netlink, the link monitor, one endpoint per interface and
/// family, the VMACs' send sockets, the announcers, the VMAC interfaces and the no_accept rules. Closed in the reverse
/// order of need, also when startup fails half way.
/// </summary>
internal sealed class DaemonEdge : IDisposable
{
    private readonly Log _log;
    private NoAcceptRules? _noAccept;

    public DaemonEdge(Log log)
    {
        _log = log;
        Netlink = RtNetlink.Open();
        try
        {
            LinkMonitor = LinkMonitor.Open();
        }
        catch
        {
            Netlink.Dispose();
            throw;
        }
        VirtualMacs = new VirtualMacs(Netlink, log);
    }

    public RtNetlink Netlink { get; }

    public LinkMonitor LinkMonitor { get; }

    /// <summary>By interface and family ("eth0/4", "eth0/6").</summary>
    public Dictionary<string, InterfaceEndpoint> Endpoints { get; } = new(StringComparer.Ordinal);

    public AddressAnnouncers Announcers { get; } = new();

    public VirtualMacs VirtualMacs { get; }

    /// <summary>Send sockets on VMAC interfaces (receiving stays on the endpoints).</summary>
    public List<IVrrpChannel> SendChannels { get; } = [];

    /// <summary>The no_accept rules, started when the first instance needs them.</summary>
    public NoAcceptRules NoAccept => _noAccept ??= new NoAcceptRules(_log);

    /// <summary>After a failure, from any thread: the nftables table goes now (the addresses go through <see cref="EmergencyRelease"/>).</summary>
    public void RemoveFirewallNow() => _noAccept?.RemoveNow();

    public void Dispose()
    {
        _noAccept?.Shutdown(TimeSpan.FromSeconds(15));
        foreach (IVrrpChannel channel in SendChannels)
            channel.Dispose();
        foreach (InterfaceEndpoint e in Endpoints.Values)
            e.Dispose();
        VirtualMacs.Dispose();
        Announcers.Dispose();
        LinkMonitor.Dispose();
        Netlink.Dispose();
    }
}
