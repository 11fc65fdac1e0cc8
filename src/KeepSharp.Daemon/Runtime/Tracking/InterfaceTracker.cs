using KeepSharp.Daemon.Logging;
using KeepSharp.Daemon.Runtime.Loop;
using KeepSharp.Linux;
using KeepSharp.Vrrp.Tracking;

namespace KeepSharp.Daemon.Runtime.Tracking;

/// <summary>
/// <c>track_interface</c>: follows the links the instances track by name (up and running = up; down, not
/// running or absent = down) and reports changes to the <see cref="TrackingDispatcher"/>. An interface that does
/// not exist at startup counts as down until it appears. Loop thread only.
/// </summary>
internal sealed class InterfaceTracker : ILinkObserver
{
    private readonly TrackingDispatcher _dispatcher;
    private readonly Log _log;
    private readonly Dictionary<string, bool> _up = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _nameByIndex = [];

    public InterfaceTracker(IEnumerable<string> names, TrackingDispatcher dispatcher, RtNetlink netlink, Log log)
    {
        _dispatcher = dispatcher;
        _log = log;
        foreach (string name in names)
            _up[name] = false;
        Resynchronize(netlink, initial: true);
    }

    public IReadOnlyCollection<string> Names => _up.Keys;

    public void OnLinkEvent(in LinkEvent linkEvent)
    {
        string? name = linkEvent.Name;
        if (name is null || !_up.ContainsKey(name))
            _nameByIndex.TryGetValue(linkEvent.InterfaceIndex, out name);
        if (name is null || !_up.ContainsKey(name))
            return;
        if (linkEvent.Kind == LinkEventKind.LinkRemoved)
        {
            _nameByIndex.Remove(linkEvent.InterfaceIndex);
            Set(name, false, initial: false);
        }
        else if (linkEvent.Kind == LinkEventKind.LinkChanged)
        {
            if (linkEvent.Name is not null && linkEvent.Name != name)
            {
                // Renamed away from a tracked name: the tracked interface is gone.
                _nameByIndex.Remove(linkEvent.InterfaceIndex);
                Set(name, false, initial: false);
                return;
            }
            _nameByIndex[linkEvent.InterfaceIndex] = name;
            Set(name, linkEvent.IsUp && linkEvent.IsRunning, initial: false);
        }
    }

    public void Resynchronize(RtNetlink netlink) => Resynchronize(netlink, initial: false);

    private void Resynchronize(RtNetlink netlink, bool initial)
    {
        foreach (string name in _up.Keys.ToArray())
        {
            LinkInfo? link = netlink.GetLink(name);
            if (link is not null)
                _nameByIndex[link.InterfaceIndex] = name;
            Set(name, link is { IsUp: true, IsRunning: true }, initial);
        }
    }

    private void Set(string name, bool up, bool initial)
    {
        if (!initial && _up[name] == up)
            return;
        _up[name] = up;
        if (!initial || !up)
            _log.Info($"Tracked interface {name} is {(up ? "up" : "down")}");
        _dispatcher.Update(TrackerKind.Interface, name, up ? TrackerStatus.Up : TrackerStatus.Down);
    }
}
