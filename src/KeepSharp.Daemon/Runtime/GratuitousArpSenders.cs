using KeepSharp.Linux;

namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// The gratuitous ARP senders of the daemon, one per interface index (instances on one interface share it).
/// A link deleted and created again gets a new index and often a new MAC: <see cref="For"/> opens a sender
/// for it, and the one of the vanished index is closed. Loop thread only (and startup before it).
/// </summary>
internal sealed class GratuitousArpSenders : IDisposable
{
    private readonly Dictionary<int, GratuitousArpSender> _byIndex = [];
    private readonly Dictionary<string, int> _indexByName = new(StringComparer.Ordinal);

    /// <summary>The sender on <paramref name="link"/>; null when the link carries no Ethernet address.</summary>
    public GratuitousArpSender? For(LinkInfo link)
    {
        if (link.MacAddress.Length != 6)
            return null;
        if (_byIndex.TryGetValue(link.InterfaceIndex, out GratuitousArpSender? sender))
            return sender;
        if (_indexByName.TryGetValue(link.Name, out int previous) && _byIndex.Remove(previous, out GratuitousArpSender? stale))
            stale.Dispose();
        sender = GratuitousArpSender.Open(link.InterfaceIndex, link.MacAddress);
        _byIndex.Add(link.InterfaceIndex, sender);
        _indexByName[link.Name] = link.InterfaceIndex;
        return sender;
    }

    public void Dispose()
    {
        foreach (GratuitousArpSender sender in _byIndex.Values)
            sender.Dispose();
        _byIndex.Clear();
    }
}
