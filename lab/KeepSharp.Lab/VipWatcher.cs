namespace KeepSharp.Lab;

/// <summary>Polls `ip -n NS -o addr show dev eth0` on the hosts and prints who holds the VIP.</summary>
public sealed class VipWatcher : IDisposable
{
    private readonly LabTopology _lab;
    private readonly Timeline _timeline;
    private readonly Thread _thread;
    private readonly int _intervalMs;
    private volatile bool _stop;
    private volatile string[] _holders = [];

    public VipWatcher(LabTopology lab, Timeline timeline, int intervalMs = 50)
    {
        _lab = lab;
        _timeline = timeline;
        _intervalMs = intervalMs;
        _thread = new Thread(Loop) { IsBackground = true, Name = "vip-watcher" };
    }

    public IReadOnlyList<string> Holders => _holders;

    public void Start()
    {
        Poll(log: true);
        _thread.Start();
    }

    private void Loop()
    {
        while (!_stop)
        {
            Thread.Sleep(_intervalMs);
            try { Poll(log: true); } catch (LabException) { /* transient during cleanup */ }
        }
    }

    /// <summary>Who holds the VIP right now (synchronous query, does not log).</summary>
    public string[] Current()
    {
        // Both hosts at the same moment (in parallel), so a handover does not show up as "nobody".
        var hosts = new[] { _lab.H171, _lab.H172 };
        var held = new bool[hosts.Length];
        Parallel.For(0, hosts.Length, i => held[i] = _lab.HoldsVip(hosts[i]));
        return [.. hosts.Where((_, i) => held[i]).Select(h => h.Name)];
    }

    private void Poll(bool log)
    {
        string[] arr = Current();
        string[] old = _holders;
        _holders = arr;
        if (log && !old.SequenceEqual(arr))
            _timeline.Log("vip", arr.Length switch
            {
                0 => $"{_lab.Vip} held by nobody",
                1 => $"{_lab.Vip} held by {arr[0]}",
                _ => $"{_lab.Vip} held by {string.Join(" AND ", arr)} (both!)",
            });
    }

    public void Dispose()
    {
        _stop = true;
        if (_thread.IsAlive) _thread.Join(2000);
    }
}
