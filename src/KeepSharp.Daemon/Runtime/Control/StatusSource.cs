using KeepSharp.Daemon.Runtime.Dumps;
using KeepSharp.Daemon.Runtime.Metrics;
using KeepSharp.Daemon.Runtime.Scripts;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;

namespace KeepSharp.Daemon.Runtime.Control;

/// <summary>
/// Where the control socket and the metrics endpoint get what they show. They never touch the loop's objects: a request
/// posts a capture to the loop (<see cref="VrrpDaemon.WithSnapshot"/>), the loop copies everything into an immutable
/// <see cref="StatusSnapshot"/> between events and publishes it here; the caller's thread formats it. A snapshot younger
/// than <see cref="MaxReuseAge"/> is reused, so a flood of scrapes costs the loop at most a few captures a second.
/// </summary>
internal sealed class StatusSource
{
    /// <summary>How long a published snapshot is served before another is asked of the loop.</summary>
    public static readonly TimeSpan MaxReuseAge = TimeSpan.FromMilliseconds(250);

    private readonly Action<Action<DumpSnapshot>> _capture;
    private readonly Func<IReadOnlyList<VrrpInstanceRuntime>> _instances;
    private readonly Func<IEnumerable<VrrpScriptRunner>> _scripts;
    private readonly TransitionRecorder _transitions;
    private readonly string _version;
    private readonly Lock _lock = new();
    private (StatusSnapshot Snapshot, long At)? _published;
    private TaskCompletionSource<StatusSnapshot>? _pending;

    public StatusSource(VrrpDaemon daemon, string version)
        : this(daemon.WithSnapshot, () => daemon.Instances, () => daemon.Tracking.Scripts, version)
    {
        daemon.Transitions.Subscribe(_transitions);
    }

    /// <param name="capture">Runs its argument on the loop with a fresh <see cref="DumpSnapshot"/>.</param>
    /// <param name="instances">The live instances (read on the loop only).</param>
    /// <param name="scripts">The live script runners (read on the loop only).</param>
    /// <param name="version">KeepSharp's version.</param>
    public StatusSource(Action<Action<DumpSnapshot>> capture, Func<IReadOnlyList<VrrpInstanceRuntime>> instances,
        Func<IEnumerable<VrrpScriptRunner>> scripts, string version)
    {
        _capture = capture;
        _instances = instances;
        _scripts = scripts;
        _version = version;
        _transitions = new TransitionRecorder();
    }

    /// <summary>Thread-safe: a snapshot at most <see cref="MaxReuseAge"/> old, or null when the loop did not answer within <paramref name="timeout"/>.</summary>
    public StatusSnapshot? Get(TimeSpan timeout)
    {
        Task<StatusSnapshot> task;
        lock (_lock)
        {
            if (_published is { } p && System.Diagnostics.Stopwatch.GetElapsedTime(p.At) < MaxReuseAge)
                return WithProcess(p.Snapshot);
            if (_pending is null)
            {
                var pending = new TaskCompletionSource<StatusSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
                _pending = pending;
                _capture(dump => Publish(pending, Capture(dump)));
            }
            task = _pending.Task;
        }
        return task.Wait(timeout) ? WithProcess(task.Result) : null;
    }

    /// <summary>The process's own figures, read here on the caller's thread: /proc is no business of the loop's.</summary>
    private static StatusSnapshot WithProcess(StatusSnapshot snapshot) => snapshot with { Process = ProcessStatus.Capture() };

    private void Publish(TaskCompletionSource<StatusSnapshot> pending, StatusSnapshot snapshot)
    {
        lock (_lock)
        {
            _published = (snapshot, System.Diagnostics.Stopwatch.GetTimestamp());
            if (ReferenceEquals(_pending, pending))
                _pending = null;
        }
        pending.TrySetResult(snapshot);
    }

    /// <summary>On the loop's thread: copies what the dump does not hold.</summary>
    private StatusSnapshot Capture(DumpSnapshot dump)
    {
        Dictionary<string, InstanceExtras> instances = [];
        IReadOnlyList<VrrpInstanceRuntime> live = _instances();
        foreach (VrrpInstanceRuntime instance in live)
        {
            VrrpRouter router = instance.Router;
            HeardRouters heard = router.HeardRouters;
            var list = new HeardRouterSnapshot[heard.Count];
            for (int i = 0; i < list.Length; i++)
            {
                HeardRouter h = heard[i];
                list[i] = new HeardRouterSnapshot(h.Source, h.Version, h.Priority, h.IntervalCentiseconds, h.Adverts, h.LastDrop,
                    heard.Time.GetElapsedTime(h.LastHeard));
            }
            instances[instance.Name] = new InstanceExtras(list, _transitions.Last(router), _transitions.Counts(router));
        }
        _transitions.Forget(live);
        Dictionary<string, ScriptDurationSnapshot> scripts = [];
        foreach (VrrpScriptRunner runner in _scripts())
            scripts[runner.Name] = runner.Durations.Snapshot();
        return new StatusSnapshot(_version, Environment.ProcessId, dump, instances, scripts);
    }

    /// <summary>Hears every router's transitions on the loop: the last one (with its reason) and how many into each state.</summary>
    private sealed class TransitionRecorder : IVrrpRouterObserver
    {
        private readonly Dictionary<VrrpRouter, (TransitionRecord? Last, long[] Counts)> _routers = [];

        public void OnRouterEvent(in VrrpRouterEvent routerEvent)
        {
            if (routerEvent.Kind != VrrpRouterEventKind.StateChanged)
                return;
            if (!_routers.TryGetValue(routerEvent.Router, out var entry))
                entry = (null, new long[StatusReport.StateNames.Length]);
            entry.Counts[(int)routerEvent.To]++;
            _routers[routerEvent.Router] = (new TransitionRecord(routerEvent.From, routerEvent.To, routerEvent.Reason, DateTimeOffset.UtcNow), entry.Counts);
        }

        public TransitionRecord? Last(VrrpRouter router) => _routers.TryGetValue(router, out var e) ? e.Last : null;

        public long[] Counts(VrrpRouter router) => _routers.TryGetValue(router, out var e) ? [.. e.Counts] : new long[StatusReport.StateNames.Length];

        /// <summary>Drops the routers of instances a reload removed.</summary>
        public void Forget(IReadOnlyList<VrrpInstanceRuntime> live)
        {
            if (_routers.Count <= live.Count)
                return;
            HashSet<VrrpRouter> keep = [.. live.Select(i => i.Router)];
            foreach (VrrpRouter router in _routers.Keys.Where(r => !keep.Contains(r)).ToArray())
                _routers.Remove(router);
        }
    }
}
