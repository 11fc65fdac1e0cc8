using System.Net;
using System.Net.Sockets;
using KeepSharp.Linux;

namespace KeepSharp.Daemon.Runtime.Announcements;

/// <summary>
/// The address announcers of the daemon, one per interface index and family (instances on one interface share them).
/// A link deleted and created again gets a new index and often a new MAC: <see cref="For"/> opens a sender
/// for it, and the one of the vanished index is closed. Loop thread only (and startup before it).
/// </summary>
internal sealed class AddressAnnouncers : IDisposable
{
    private readonly Dictionary<int, GratuitousArpSender> _byIndex = [];
    private readonly Dictionary<int, AddressAnnouncer> _arpByIndex = [];
    private readonly Dictionary<int, (string Name, UnsolicitedNeighborAdvertSender Sender, AddressAnnouncer Announcer)> _naByIndex = [];
    private readonly Dictionary<string, int> _indexByName = new(StringComparer.Ordinal);

    /// <summary>The announcer for <paramref name="address"/>'s family on <paramref name="link"/>; null when the link carries no Ethernet address.</summary>
    public AddressAnnouncer? For(LinkInfo link, IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork ? ForIPv4(link) : ForIPv6(link);

    /// <summary>
    /// The NA sender on <paramref name="link"/>. The Router flag follows the interface's IPv6 forwarding setting, read
    /// when the sender opens (keepalived re-reads it every 5 s).
    /// </summary>
    private AddressAnnouncer? ForIPv6(LinkInfo link)
    {
        if (link.MacAddress.Length != 6)
            return null;
        if (_naByIndex.TryGetValue(link.InterfaceIndex, out var existing))
            return existing.Announcer;
        foreach (int stale in _naByIndex.Where(e => e.Value.Name == link.Name).Select(e => e.Key).ToArray())
        {
            _naByIndex[stale].Sender.Dispose();
            _naByIndex.Remove(stale);
        }
        var sender = UnsolicitedNeighborAdvertSender.Open(link.InterfaceIndex, link.MacAddress, UnsolicitedNeighborAdvertSender.IsForwardingEnabled(link.Name));
        var announcer = new NeighborAdvertAnnouncer(sender);
        _naByIndex.Add(link.InterfaceIndex, (link.Name, sender, announcer));
        return announcer;
    }

    private AddressAnnouncer? ForIPv4(LinkInfo link)
    {
        if (link.MacAddress.Length != 6)
            return null;
        if (_arpByIndex.TryGetValue(link.InterfaceIndex, out AddressAnnouncer? announcer))
            return announcer;
        if (_indexByName.TryGetValue(link.Name, out int previous) && _byIndex.Remove(previous, out GratuitousArpSender? stale))
        {
            _arpByIndex.Remove(previous);
            stale.Dispose();
        }
        var sender = GratuitousArpSender.Open(link.InterfaceIndex, link.MacAddress);
        _byIndex.Add(link.InterfaceIndex, sender);
        announcer = new ArpAnnouncer(sender);
        _arpByIndex.Add(link.InterfaceIndex, announcer);
        _indexByName[link.Name] = link.InterfaceIndex;
        return announcer;
    }

    public void Dispose()
    {
        foreach (GratuitousArpSender sender in _byIndex.Values)
            sender.Dispose();
        _byIndex.Clear();
        _arpByIndex.Clear();
        foreach (var na in _naByIndex.Values)
            na.Sender.Dispose();
        _naByIndex.Clear();
    }
}
