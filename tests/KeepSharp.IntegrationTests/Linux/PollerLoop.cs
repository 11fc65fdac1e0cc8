using KeepSharp.Daemon.Runtime.Loop;
using KeepSharp.Linux;

namespace KeepSharp.IntegrationTests.Linux;

/// <summary>
/// A minimal real event loop for integration tests: the production <see cref="Poller"/> for readable descriptors and
/// a list of timers on the system clock, run on the test's thread by <see cref="RunUntil"/>. Scripts are not offered.
/// </summary>
internal sealed class PollerLoop : ILoopServices, IDisposable
{
    private readonly Poller _poller = new();
    private readonly List<Timer> _timers = [];
    private readonly Dictionary<int, Action> _readable = [];

    public TimeProvider Time => TimeProvider.System;

    public IDisposable ScheduleAt(long due, Action callback)
    {
        var timer = new Timer(due, callback, this);
        _timers.Add(timer);
        return timer;
    }

    public IDisposable WatchReadable(int fd, Action callback)
    {
        int slot = _poller.Register(fd);
        _readable[slot] = callback;
        return new Registration(() => { _readable.Remove(slot); _poller.Unregister(slot); });
    }

    public IScriptRun? RunScript(ScriptRunRequest request, Action<ScriptRunResult> onExit) =>
        throw new NotSupportedException("the tracking tests run no scripts");

    /// <summary>Runs events until <paramref name="condition"/> holds (checked after each event) or <paramref name="timeout"/> passes.</summary>
    public bool RunUntil(Func<bool> condition, TimeSpan timeout)
    {
        long end = Time.GetTimestamp() + (long)(timeout.TotalSeconds * Time.TimestampFrequency);
        while (!condition())
        {
            long now = Time.GetTimestamp();
            if (now >= end)
                return false;
            long next = _timers.Count == 0 ? end : Math.Min(end, _timers.Min(t => t.Due));
            int ready = _poller.Wait(TimeSpan.FromSeconds(Math.Max(0, next - now) / (double)Time.TimestampFrequency));
            if (ready > 0)
            {
                foreach (var (slot, callback) in _readable.ToList())
                {
                    if (_readable.ContainsKey(slot) && _poller.IsReadable(slot))
                        callback();
                }
            }
            now = Time.GetTimestamp();
            foreach (Timer timer in _timers.Where(t => t.Due <= now).ToList())
            {
                _timers.Remove(timer);
                timer.Callback();
            }
        }
        return true;
    }

    /// <summary>Runs events for <paramref name="duration"/>.</summary>
    public void RunFor(TimeSpan duration) => RunUntil(() => false, duration);

    public void Dispose() => _poller.Dispose();

    private sealed class Timer(long due, Action callback, PollerLoop loop) : IDisposable
    {
        public long Due { get; } = due;

        public Action Callback { get; } = callback;

        public void Dispose() => loop._timers.Remove(this);
    }

    private sealed class Registration(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose()
        {
            _dispose?.Invoke();
            _dispose = null;
        }
    }
}
