using System.Net;
using System.Net.Sockets;
using System.Text;
using KeepSharp.Config;
using KeepSharp.Daemon.Logging;
using KeepSharp.Daemon.Runtime.Dumps;
using KeepSharp.Daemon.Runtime.Announcements;
using KeepSharp.Daemon.Runtime.Loop;
using KeepSharp.Daemon.Runtime.Notify;
using KeepSharp.Daemon.Runtime.Resources;
using KeepSharp.Daemon.Runtime.Sync;
using KeepSharp.Daemon.Runtime.Tracking;
using KeepSharp.Daemon.Runtime.Transport;
using KeepSharp.Linux;
using KeepSharp.Linux.Files;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// The VRRP daemon: resolves the configuration against the host's interfaces, opens the Linux edge,
/// and runs every instance on one <see cref="EventLoop"/>. Startup and shutdown live here; the steady
/// state lives in the loop.
/// </summary>
internal sealed partial class VrrpDaemon : IDisposable
{
    private readonly Log _log;
    private readonly DaemonEdge _edge;
    // Replaced as a whole by a reload (on the loop); other threads (a crash, an emergency release) read a consistent array.
    private volatile VrrpInstanceRuntime[] _instances;
    private readonly EventLoop _loop;
    private KeepalivedConfig _config;

    private VrrpDaemon(KeepalivedConfig config, Log log, DaemonEdge edge, List<VrrpInstanceRuntime> instances, VrrpTransitionQueue transitions)
    {
        _log = log;
        _config = config;
        _edge = edge;
        _instances = [.. instances];
        _loop = new EventLoop([.. edge.Endpoints.Values], instances, edge.LinkMonitor, edge.Netlink, TimeProvider.System, log);
        Transitions = transitions;
        Tracking = TrackingRuntime.Build(config, instances, _loop, edge.Netlink, log);
        Notifier = Notifier.Create(config, _loop, log);
        foreach (VrrpInstanceRuntime instance in instances)
        {
            instance.Notifier = Notifier;
            instance.Loop = _loop;
        }
        foreach (SyncGroupRuntime group in Tracking.SyncGroups)
            group.GroupStateChanged += Notifier.OnGroupStateChanged;
        _loop.AddStoppingStep(() => Tracking.Stop()); // the tracking of the day: a reload replaces it
        // keepalived's notify_shutdown: the STOP notifies run after the routers resign; the loop serves them until
        // they finish or NotifyShutdownDeadline passes (then they are ended: SIGTERM, SIGKILL 2 s later).
        _loop.WaitAtShutdown(NotifyShutdownDeadline + TimeSpan.FromSeconds(3), done => Notifier.Shutdown(NotifyShutdownDeadline, done));
    }

    /// <summary>How long notify scripts still running at shutdown (notify_stop among them) may take.</summary>
    public static readonly TimeSpan NotifyShutdownDeadline = TimeSpan.FromSeconds(5);

    public IReadOnlyList<VrrpInstanceRuntime> Instances => _instances;

    /// <summary>The configuration running now (a reload replaces it).</summary>
    public KeepalivedConfig Config => _config;

    /// <summary>The loop's services, for components that live on it (notifier, file and process trackers).</summary>
    public ILoopServices Loop => _loop;

    /// <summary>The queue every router publishes its transitions to (subscribe an <see cref="IVrrpRouterObserver"/>).</summary>
    public VrrpTransitionQueue Transitions { get; }

    /// <summary>Trackers, scripts and sync groups.</summary>
    public TrackingRuntime Tracking { get; private set; }

    /// <summary>Notify scripts and FIFOs of the instances and sync groups.</summary>
    public Notifier Notifier { get; }

    /// <summary>Opens everything the configuration needs. Throws <see cref="DaemonStartupException"/> with a clear message when the host does not fit it.</summary>
    public static VrrpDaemon Create(KeepalivedConfig config, Log log)
    {
        var edge = new DaemonEdge(log);
        var instances = new List<VrrpInstanceRuntime>();
        var transitions = new VrrpTransitionQueue();
        try
        {
            var factory = new InstanceFactory(config, edge, transitions, log);
            foreach (VrrpInstance instance in config.VrrpInstances)
            {
                VrrpInstanceRuntime runtime = factory.Create(instance);
                InstanceFactory.Attach(runtime);
                instances.Add(runtime);
            }
            return new VrrpDaemon(config, log, edge, instances, transitions);
        }
        catch
        {
            edge.Dispose();
            throw;
        }
    }

    /// <summary>Runs until <see cref="RequestStop"/>; then every instance shuts down (priority 0, addresses released).</summary>
    /// <exception cref="EventLoopFailedException">The loop failed; it has logged why, resigned and released every address.</exception>
    public void Run(bool releaseAddressesOnStop = true, FaultInjection? fault = null)
    {
        foreach (VrrpInstanceRuntime instance in _instances)
            instance.RemoveLeftoverAddresses();
        Tracking.Start();
        _loop.Run(releaseAddressesOnStop, fault);
    }

    /// <summary>Runs <paramref name="step"/> on the loop once every instance has started (before <see cref="Run"/>).</summary>
    public void WhenStarted(Action step) => _loop.AddStartedStep(step);

    /// <summary>Thread-safe: another thread failed; see <see cref="EventLoop.StopAfterFailure"/>.</summary>
    public bool StopAfterFailure(TimeSpan timeout) => _loop.StopAfterFailure(timeout);

    /// <summary>Thread-safe: removes every virtual address through a new netlink socket, when the loop cannot.</summary>
    public void RemoveEveryAddress()
    {
        EmergencyRelease.RemoveEveryAddress(_instances, _log);
        _edge.RemoveFirewallNow();
    }

    /// <summary>
    /// Thread-safe: writes keepalived.data, .stats or .json (SIGUSR1, SIGUSR2, SIGRTMIN+2) to <paramref name="path"/>.
    /// The loop copies what the file shows into an immutable <see cref="DumpSnapshot"/> between events; the file is
    /// formatted and written on the thread pool, so a slow disc never holds the loop.
    /// </summary>
    public void Dump(DumpKind kind, string path) => _loop.Post(() =>
    {
        DumpSnapshot snapshot = DumpSnapshot.Capture(_config, _edge.Endpoints.Values, _instances, Tracking.Scripts, DateTimeOffset.UtcNow);
        ThreadPool.QueueUserWorkItem(_ => DumpFiles.Write(kind, snapshot, path, _log));
    });

    /// <summary>
    /// Thread-safe: runs <paramref name="onLoop"/> on the loop, between events, with a <see cref="DumpSnapshot"/> just taken
    /// (the control socket and the metrics endpoint copy what they show there, and format it on their own threads).
    /// </summary>
    public void WithSnapshot(Action<DumpSnapshot> onLoop) => _loop.Post(() =>
        onLoop(DumpSnapshot.Capture(_config, _edge.Endpoints.Values, _instances, Tracking.Scripts, DateTimeOffset.UtcNow)));

    /// <summary>Thread-safe: sets every router's and receive socket's counters to zero, on the loop (SIGRTMAX-1).</summary>
    public void ClearStatistics() => _loop.Post(() =>
    {
        foreach (VrrpInstanceRuntime instance in _instances)
            instance.Router.Statistics.Clear();
        foreach (InterfaceEndpoint endpoint in _edge.Endpoints.Values)
            endpoint.Receiver.ClearStatistics();
        _log.Info("Statistics cleared");
    });

    /// <summary>Thread-safe: asks the loop to shut down.</summary>
    public void RequestStop() => _loop.RequestStop();

    public void Dispose()
    {
        _edge.Dispose();
        _loop.Dispose();
    }
}

internal sealed class DaemonStartupException(string message) : Exception(message);
