using KeepSharp.Daemon.Logging;
using KeepSharp.Daemon.Runtime.Loop;
using KeepSharp.Linux;
using KeepSharp.Vrrp.StateMachine;

namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// The one thread that owns all protocol state. It sleeps in ppoll(2) until a socket is readable, a link
/// changes, another thread wakes it, a watched descriptor is readable, or the earliest router deadline or
/// timer is due; then it runs what is due. The routers' path allocates nothing: one receive buffer, no
/// closures, no LINQ. Components besides the routers (script schedulers, trackers, notifiers) use it through
/// <see cref="ILoopServices"/>: timers, readable descriptors and child scripts.
/// </summary>
internal sealed class EventLoop : ILoopServices, IDisposable
{
    /// <summary>At shutdown, how long scripts get after SIGTERM before SIGKILL (keepalived's script_killall: TIMER_HZ).</summary>
    public static readonly TimeSpan ShutdownScriptGrace = TimeSpan.FromSeconds(1);

    /// <summary>How late a router deadline may run so that it runs in the same pass as an earlier one (see <see cref="TimeoutUntilNextDeadline"/>).</summary>
    public static readonly TimeSpan CoalescingWindow = TimeSpan.FromMicroseconds(400);

    /// <summary>How long the loop leaves the sockets alone after reading adverts (see <see cref="AwaitRestOfBurst"/>).</summary>
    public static readonly TimeSpan ReceiveCoalescing = TimeSpan.FromMicroseconds(500);

    /// <summary>Adverts read within this of the previous read are taken as a burst (see <see cref="AwaitRestOfBurst"/>).</summary>
    public static readonly TimeSpan BurstGap = TimeSpan.FromMilliseconds(1);

    // Replaced as a whole at reload (never changed in place), so a crash handler on another thread reads a consistent array.
    private InterfaceEndpoint[] _endpoints;
    private VrrpInstanceRuntime[] _instances;
    private readonly LinkMonitor _linkMonitor;
    private readonly RtNetlink _netlink;
    private readonly TimeProvider _time;
    private readonly Log _log;
    private readonly Poller _poller;
    private readonly int _linkSlot;
    private int[] _endpointSlots;
    private readonly byte[] _receiveBuffer = new byte[65536];
    private readonly System.Collections.Concurrent.ConcurrentQueue<Action> _posted = new();
    private volatile bool _stopRequested;
    private volatile bool _otherThreadFailed;
    private volatile bool _running;
    private readonly ManualResetEventSlim _failureHandled = new();
    private readonly LoopTimers _timers = new();
    private readonly ReadableWatches _watches;
    private readonly ScriptRuns _scripts;
    private readonly List<ILinkObserver> _linkObservers = [];
    private readonly List<Action> _stopping = [];
    private readonly List<Action> _started = [];
    private Action<Action>? _shutdownWait;
    private readonly long _coalescingTicks;
    private long[] _deadlines = [];
    private readonly long _burstGapTicks;
    private long _lastReceive = long.MinValue / 2;
    private TimeSpan _shutdownWaitLimit;

    public EventLoop(InterfaceEndpoint[] endpoints, IEnumerable<VrrpInstanceRuntime> instances, LinkMonitor linkMonitor, RtNetlink netlink, TimeProvider time, Log log)
    {
        _endpoints = endpoints;
        _instances = [.. instances];
        _linkMonitor = linkMonitor;
        _netlink = netlink;
        _time = time;
        _log = log;
        _coalescingTicks = (long)(CoalescingWindow.TotalSeconds * time.TimestampFrequency);
        _burstGapTicks = (long)(BurstGap.TotalSeconds * time.TimestampFrequency);
        _poller = new Poller();
        _linkSlot = _poller.Register(linkMonitor.FileDescriptor);
        _endpointSlots = new int[endpoints.Length];
        for (int i = 0; i < endpoints.Length; i++)
            _endpointSlots[i] = _poller.Register(endpoints[i].Channel.FileDescriptor);
        _watches = new ReadableWatches(_poller);
        _scripts = new ScriptRuns(_timers, _watches, time, log);
    }

    /// <summary>Adds a component that hears link events (track_interface); before <see cref="Run"/>, or on the loop at reload.</summary>
    public void AddLinkObserver(ILinkObserver observer) => _linkObservers.Add(observer);

    /// <summary>Reload, on the loop: the component hears no more link events.</summary>
    public void RemoveLinkObserver(ILinkObserver observer) => _linkObservers.Remove(observer);

    /// <summary>The instances the loop runs.</summary>
    public IReadOnlyList<VrrpInstanceRuntime> Instances => _instances;

    /// <summary>
    /// Reload, on the loop, between events: the loop runs <paramref name="instances"/> from now on and reads
    /// <paramref name="endpoints"/> (new ones registered with the poller, dropped ones unregistered; the caller closes
    /// them). The routers of new instances are started by the caller.
    /// </summary>
    public void Replace(IReadOnlyList<VrrpInstanceRuntime> instances, IReadOnlyList<InterfaceEndpoint> endpoints)
    {
        var slots = new int[endpoints.Count];
        for (int i = 0; i < endpoints.Count; i++)
        {
            int existing = Array.IndexOf(_endpoints, endpoints[i]);
            slots[i] = existing >= 0 ? _endpointSlots[existing] : _poller.Register(endpoints[i].Channel.FileDescriptor);
        }
        for (int i = 0; i < _endpoints.Length; i++)
        {
            if (!endpoints.Contains(_endpoints[i]))
                _poller.Unregister(_endpointSlots[i]);
        }
        _endpoints = [.. endpoints];
        _endpointSlots = slots;
        _instances = [.. instances];
    }

    /// <summary>A router that starts on a running loop (reload): as at startup, FAULT at once when its interface is down.</summary>
    public void StartRouter(VrrpInstanceRuntime instance)
    {
        instance.Router.Start();
        if (!instance.Endpoint.IsOperational)
        {
            _log.Info($"({instance.Name}) interface {instance.Endpoint.Name} is down");
            instance.Router.InterfaceDown();
        }
    }

    /// <summary>
    /// Adds a step run on the loop when a stop is requested, before scripts are ended and the routers resign
    /// (monitors that feed the routers detach here, as keepalived's end_process_monitor); before <see cref="Run"/>.
    /// </summary>
    public void AddStoppingStep(Action step) => _stopping.Add(step);

    /// <summary>
    /// Adds a step run on the loop once every router has started, just before the loop begins to wait for events
    /// (systemd's READY=1 goes there); before <see cref="Run"/>.
    /// </summary>
    public void AddStartedStep(Action step) => _started.Add(step);

    /// <summary>
    /// After the routers resigned (their STOP transitions delivered), the loop keeps serving script exits, output
    /// and timers until <paramref name="begin"/>'s callback is called, at most <paramref name="limit"/> (the
    /// notifier waits there for notify_stop scripts). Before <see cref="Run"/>.
    /// </summary>
    public void WaitAtShutdown(TimeSpan limit, Action<Action> begin)
    {
        _shutdownWaitLimit = limit;
        _shutdownWait = begin;
    }

    /// <inheritdoc />
    public TimeProvider Time => _time;

    /// <summary>Scripts started and not yet reaped.</summary>
    public int RunningScripts => _scripts.Count;

    /// <inheritdoc />
    public IDisposable ScheduleAt(long due, Action callback) => _timers.Schedule(due, callback);

    /// <inheritdoc />
    public IDisposable WatchReadable(int fd, Action callback) => _watches.Watch(fd, callback);

    /// <inheritdoc />
    public IScriptRun? RunScript(ScriptRunRequest request, Action<ScriptRunResult> onExit) => _scripts.Start(request, onExit);

    /// <summary>Thread-safe: runs <paramref name="action"/> on the loop's thread, between events.</summary>
    public void Post(Action action)
    {
        _posted.Enqueue(action);
        _poller.Wake();
    }

    /// <summary>Thread-safe.</summary>
    public void RequestStop()
    {
        _stopRequested = true;
        _poller.Wake();
    }

    /// <summary>
    /// Thread-safe: another thread failed; the loop stops as on a failure of its own (resign, release
    /// every address). Returns false at once when the loop is not running.
    /// </summary>
    public bool StopAfterFailure(TimeSpan timeout)
    {
        if (!_running)
            return false;
        _otherThreadFailed = true;
        _poller.Wake();
        return _failureHandled.Wait(timeout);
    }

    /// <summary>
    /// Runs until <see cref="RequestStop"/>, then shuts every instance down. Any exception, on the loop or in
    /// the shutdown, is logged with its stack (synchronously), masters resign with priority 0, every virtual
    /// address is removed, and <see cref="EventLoopFailedException"/> is thrown.
    /// </summary>
    public void Run(bool releaseAddressesOnStop, FaultInjection? fault = null)
    {
        _running = true;
        try
        {
            foreach (VrrpInstanceRuntime instance in _instances)
                StartRouter(instance);
            foreach (Action step in _started)
                step();

            while (!_stopRequested)
            {
                int ready = _poller.Wait(TimeoutUntilNextDeadline());
                if (ready < 0)
                    throw new LinuxNetworkException("poll", -ready);
                if (_otherThreadFailed)
                    throw new OtherThreadFailedException();
                if (_poller.IsReadable(_linkSlot))
                    DrainLinkEvents();
                int received = 0;
                for (int i = 0; i < _endpoints.Length; i++)
                {
                    if (_poller.IsReadable(_endpointSlots[i]))
                        received += _endpoints[i].DrainSocket(_receiveBuffer, _log);
                }
                _watches.Dispatch();
                RunDueTimers();
                while (_posted.TryDequeue(out Action? action))
                    action();
                fault?.Check(_instances);
                if (received > 0)
                    AwaitRestOfBurst();
            }

            // keepalived's vrrp_terminate_phase1: stop the monitors, SIGTERM every script, then resign; scripts
            // (including any a resignation starts) get a second to exit before SIGKILL, notify scripts what
            // WaitAtShutdown allows.
            foreach (Action step in _stopping)
                step();
            _scripts.TerminateAll();
            foreach (VrrpInstanceRuntime instance in _instances)
            {
                if (releaseAddressesOnStop)
                    instance.Router.Shutdown();
            }
            FinishScripts();
        }
        catch (Exception e)
        {
            ResignAfterFailure(e);
            throw new EventLoopFailedException(e);
        }
        finally
        {
            _running = false;
        }
    }

    /// <summary>Each step guarded, so one failure does not stop the rest.</summary>
    private void ResignAfterFailure(Exception e)
    {
        _log.Fatal(e is OtherThreadFailedException
            ? "Event loop stopping: another thread failed (see above)"
            : $"Event loop failed: {e}");
        foreach (VrrpInstanceRuntime instance in _instances)
        {
            try
            {
                instance.Router.Shutdown();
            }
            catch (Exception shutdown)
            {
                _log.Fatal($"({instance.Name}) cannot resign: {shutdown.Message}");
            }
        }
        EmergencyRelease.RemoveEveryAddress(_instances, _log);
        try
        {
            _scripts.KillAll();
        }
        catch (Exception kill)
        {
            _log.Fatal($"cannot kill running scripts: {kill.Message}");
        }
        _failureHandled.Set();
    }

    /// <summary>
    /// Shutdown, after the routers: only script exits, their output and timers are served, until the
    /// <see cref="WaitAtShutdown"/> step is done (at most its limit) and, for other scripts, at most
    /// <see cref="ShutdownScriptGrace"/>; then whatever still runs is SIGKILLed and reaped.
    /// </summary>
    private void FinishScripts()
    {
        _poller.Unregister(_linkSlot);
        foreach (int slot in _endpointSlots)
            _poller.Unregister(slot);
        long start = _time.GetTimestamp();
        long graceEnd = start + Ticks(ShutdownScriptGrace);
        long waitEnd = start + Ticks(_shutdownWaitLimit);
        bool waiting = _shutdownWait is not null;
        _shutdownWait?.Invoke(() => waiting = false);
        while (true)
        {
            long now = _time.GetTimestamp();
            bool waitOn = waiting && now < waitEnd;
            if (!waitOn && (_scripts.Count == 0 || now >= graceEnd))
                break;
            long next = Math.Min(waitOn ? Math.Max(waitEnd, graceEnd) : graceEnd, _timers.NextDue);
            int ready = _poller.Wait(next <= now ? TimeSpan.Zero : _time.GetElapsedTime(now, next));
            if (ready < 0)
                break;
            _watches.Dispatch();
            _timers.RunDue(_time.GetTimestamp());
        }
        if (waiting)
            _log.Warning($"Shutdown: notify scripts still running after {_shutdownWaitLimit.TotalSeconds:0.###}s; killing them");
        _scripts.KillAll();
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    /// <summary>
    /// Runs every router whose deadline has passed, and the loop's timers. The routers' adverts of one pass leave
    /// together, one <c>sendmmsg</c> per socket, at the end of the pass. A router that falls due while the pass runs
    /// (its deadline a little after the pass began) runs in the same pass, so routers that advertise together keep
    /// doing so.
    /// </summary>
    private void RunDueTimers()
    {
        InterfaceEndpoint[] endpoints = _endpoints;
        foreach (InterfaceEndpoint endpoint in endpoints)
            endpoint.BeginSendBatch();
        try
        {
            for (int sweep = 0; sweep < MaxSweeps; sweep++)
            {
                long now = _time.GetTimestamp();
                bool ran = false;
                foreach (VrrpInstanceRuntime instance in _instances)
                {
                    if (instance.Router.NextDeadline <= now)
                    {
                        instance.Router.OnTimer();
                        ran = true;
                    }
                }
                if (!ran)
                    break;
            }
        }
        finally
        {
            foreach (InterfaceEndpoint endpoint in endpoints)
                endpoint.EndSendBatch(_log);
        }
        _timers.RunDue(_time.GetTimestamp());
    }

    /// <summary>
    /// After reading adverts that follow others closely (within <see cref="BurstGap"/>: a peer's routers advertise
    /// together), the loop leaves the sockets alone for <see cref="ReceiveCoalescing"/> (less if a deadline or timer is
    /// due sooner; <see cref="Post"/> and <see cref="RequestStop"/> still wake it): waiting on the sockets meanwhile would
    /// wake the loop, and preempt the sender, once per packet. The next pass reads the rest of the burst in one go.
    /// Adverts are processed at most that much later, which only delays Master_Down_Timer's restart by as much (it never
    /// runs out earlier). A lone advert (one router, or the first of a burst) is read as it comes, with no pause.
    /// </summary>
    private void AwaitRestOfBurst()
    {
        long now = _time.GetTimestamp();
        bool burst = now - _lastReceive < _burstGapTicks;
        _lastReceive = now;
        if (!burst)
            return;
        TimeSpan pause = ReceiveCoalescing;
        if (TimeoutUntilNextDeadline() is TimeSpan untilDeadline && untilDeadline < pause)
            pause = untilDeadline;
        if (pause > TimeSpan.Zero)
            _poller.Sleep(pause); // a Wake meanwhile ends it and stays pending for the next Wait
    }

    /// <summary>Passes over the routers in one <see cref="RunDueTimers"/>: the first, and those that fell due meanwhile.</summary>
    private const int MaxSweeps = 3;

    /// <summary>
    /// Time until the loop should wake for the routers and timers: the earliest deadline, moved later to the last
    /// router deadline within <see cref="CoalescingWindow"/> of it, so routers due within the window run in one
    /// pass (one wake-up, one <c>sendmmsg</c>) instead of one wake-up each (<see cref="DeadlineCoalescing"/>). Nothing
    /// ever runs early: a deadline is at most the window late (Master_Down_Timer included, which only adds that much
    /// to a takeover), and routers that ran together are rescheduled together, so after a pass or two they stay in
    /// step. Loop timers are not delayed. Null (wait forever) when there is no deadline.
    /// </summary>
    private TimeSpan? TimeoutUntilNextDeadline()
    {
        VrrpInstanceRuntime[] instances = _instances;
        if (_deadlines.Length < instances.Length)
            _deadlines = new long[instances.Length];
        for (int i = 0; i < instances.Length; i++)
            _deadlines[i] = instances[i].Router.NextDeadline;
        long wake = DeadlineCoalescing.WakeTime(_deadlines.AsSpan(0, instances.Length), _coalescingTicks, VrrpRouter.Never);
        long next = Math.Min(_timers.NextDue, wake);
        if (next == VrrpRouter.Never)
            return null;
        long now = _time.GetTimestamp();
        return next <= now ? TimeSpan.Zero : _time.GetElapsedTime(now, next);
    }

    private void DrainLinkEvents()
    {
        while (_linkMonitor.TryRead(out LinkEvent e))
        {
            if (e.Kind == LinkEventKind.Overrun)
            {
                // The kernel dropped notifications: ask for the state instead of trusting what we saw.
                _log.Warning("Netlink notifications were lost; re-reading interface state");
                foreach (InterfaceEndpoint endpoint in _endpoints)
                {
                    LinkInfo? link = _netlink.GetLink(endpoint.InterfaceIndex) ?? _netlink.GetLink(endpoint.Name);
                    if (link is not null && link.InterfaceIndex != endpoint.InterfaceIndex)
                        FollowRecreatedLink(link.InterfaceIndex, link.Name);
                    SetOperational(endpoint, link is { IsUp: true, IsRunning: true });
                }
                foreach (ILinkObserver observer in _linkObservers)
                    observer.Resynchronize(_netlink);
                continue;
            }
            if (e.Kind is not (LinkEventKind.LinkChanged or LinkEventKind.LinkRemoved))
                continue;
            if (e.Kind == LinkEventKind.LinkChanged && e.Name is not null)
                FollowRecreatedLink(e.InterfaceIndex, e.Name);
            foreach (InterfaceEndpoint endpoint in _endpoints)
            {
                if (endpoint.InterfaceIndex == e.InterfaceIndex)
                    SetOperational(endpoint, e.Kind == LinkEventKind.LinkChanged && e.IsUp && e.IsRunning);
            }
            foreach (ILinkObserver observer in _linkObservers)
                observer.OnLinkEvent(e);
        }
    }

    /// <summary>
    /// A link carries a name we use under a new index: the interface was deleted and created again (a NIC
    /// re-plugged, a veth recreated). Sockets, gratuitous ARP and addresses follow it by name, as keepalived
    /// re-resolves by name; its up/down events then drive the instances out of FAULT as usual.
    /// </summary>
    private void FollowRecreatedLink(int index, string name)
    {
        if (!UsesNameUnderOtherIndex(index, name))
            return;
        LinkInfo? link = _netlink.GetLink(index);
        if (link is null || !string.Equals(link.Name, name, StringComparison.Ordinal))
            return;
        for (int i = 0; i < _endpoints.Length; i++)
        {
            InterfaceEndpoint endpoint = _endpoints[i];
            if (endpoint.InterfaceIndex == index || !string.Equals(endpoint.Name, name, StringComparison.Ordinal))
                continue;
            int previous = endpoint.InterfaceIndex;
            try
            {
                endpoint.Relink(link);
            }
            catch (LinuxNetworkException ex)
            {
                _log.Warning($"{name} is back with index {index} but its VRRP socket cannot be opened: {ex.Message}");
                continue;
            }
            _poller.Unregister(_endpointSlots[i]);
            _endpointSlots[i] = _poller.Register(endpoint.Channel.FileDescriptor);
            _log.Info($"Interface {name} was created again (index {previous} -> {index}); VRRP socket reopened");
        }
        foreach (VrrpInstanceRuntime instance in _instances)
            instance.Relink(link);
    }

    private bool UsesNameUnderOtherIndex(int index, string name)
    {
        foreach (InterfaceEndpoint endpoint in _endpoints)
        {
            if (endpoint.InterfaceIndex != index && string.Equals(endpoint.Name, name, StringComparison.Ordinal))
                return true;
        }
        foreach (VrrpInstanceRuntime instance in _instances)
        {
            if (instance.HasAddressesOnOldIndex(name, index))
                return true;
        }
        return false;
    }

    private void SetOperational(InterfaceEndpoint endpoint, bool operational)
    {
        if (operational == endpoint.IsOperational)
            return;
        endpoint.IsOperational = operational;
        _log.Info($"Netlink reports {endpoint.Name} {(operational ? "up" : "down")}");
        foreach (VrrpInstanceRuntime instance in endpoint.Instances)
        {
            if (operational)
                instance.Router.InterfaceUp();
            else
                instance.Router.InterfaceDown();
        }
    }

    public void Dispose()
    {
        _scripts.KillAll();
        _poller.Dispose();
        _failureHandled.Dispose();
    }
}
