using System.Net;
using System.Net.NetworkInformation;
using KeepSharp.Lab;

namespace KeepSharp.IntegrationTests.Addresses;

/// <summary>
/// Pings one address from a namespace every few milliseconds (a dedicated thread that moved itself into
/// the namespace) and keeps the timeline time of every reply: when did an address start answering.
/// </summary>
internal sealed class IcmpProbe : IDisposable
{
    private readonly string _netns;
    private readonly IPAddress _target;
    private readonly Timeline _timeline;
    private readonly List<double> _replies = [];
    private readonly Lock _lock = new();
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _started = new();
    private volatile bool _stop;
    private Exception? _error;

    public IcmpProbe(string netns, IPAddress target, Timeline timeline)
    {
        _netns = netns;
        _target = target;
        _timeline = timeline;
        _thread = new Thread(Loop) { IsBackground = true, Name = "icmp-probe" };
    }

    public void Start()
    {
        _thread.Start();
        _started.Wait(TimeSpan.FromSeconds(5));
        if (_error is not null)
            throw new LabException($"icmp probe: {_error.Message}");
    }

    /// <summary>Timeline time of the first reply after <paramref name="afterMs"/>, or null.</summary>
    public double? FirstReplyAfter(double afterMs)
    {
        lock (_lock)
        {
            foreach (double at in _replies)
            {
                if (at > afterMs)
                    return at;
            }
        }
        return null;
    }

    private void Loop()
    {
        try
        {
            KeepSharp.Linux.NetworkNamespace.Run(_netns, PingUntilStopped);
        }
        catch (Exception e)
        {
            _error = e;
            _started.Set();
        }
    }

    private void PingUntilStopped()
    {
        _started.Set();
        using var ping = new Ping();
        while (!_stop)
        {
            try
            {
                if (ping.Send(_target, 20).Status == IPStatus.Success)
                {
                    lock (_lock)
                        _replies.Add(_timeline.NowMs);
                }
            }
            catch (PingException)
            {
                // no route yet, or the namespace is going away: keep trying until stopped
            }
            Thread.Sleep(2);
        }
    }

    public void Dispose()
    {
        _stop = true;
        if (_thread.IsAlive)
            _thread.Join(2000);
        _started.Dispose();
    }
}
