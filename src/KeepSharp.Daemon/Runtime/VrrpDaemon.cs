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
internal sealed class VrrpDaemon : IDisposable
{
    private readonly Log _log;
    private readonly DaemonEdge _edge;
    private readonly List<VrrpInstanceRuntime> _instances;
    private readonly EventLoop _loop;
    private readonly KeepalivedConfig _config;

    private VrrpDaemon(KeepalivedConfig config, Log log, DaemonEdge edge, List<VrrpInstanceRuntime> instances, VrrpTransitionQueue transitions)
    {
        _log = log;
        _config = config;
        _edge = edge;
        _instances = instances;
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
        _loop.AddStoppingStep(Tracking.Stop);
        // keepalived's notify_shutdown: the STOP notifies run after the routers resign; the loop serves them until
        // they finish or NotifyShutdownDeadline passes (then they are ended: SIGTERM, SIGKILL 2 s later).
        _loop.WaitAtShutdown(NotifyShutdownDeadline + TimeSpan.FromSeconds(3), done => Notifier.Shutdown(NotifyShutdownDeadline, done));
    }

    /// <summary>How long notify scripts still running at shutdown (notify_stop among them) may take.</summary>
    public static readonly TimeSpan NotifyShutdownDeadline = TimeSpan.FromSeconds(5);

    public IReadOnlyList<VrrpInstanceRuntime> Instances => _instances;

    /// <summary>The loop's services, for components that live on it (notifier, file and process trackers).</summary>
    public ILoopServices Loop => _loop;

    /// <summary>The queue every router publishes its transitions to (subscribe an <see cref="IVrrpRouterObserver"/>).</summary>
    public VrrpTransitionQueue Transitions { get; }

    /// <summary>Trackers, scripts and sync groups.</summary>
    public TrackingRuntime Tracking { get; }

    /// <summary>Notify scripts and FIFOs of the instances and sync groups.</summary>
    public Notifier Notifier { get; }

    /// <summary>Opens everything the configuration needs. Throws <see cref="DaemonStartupException"/> with a clear message when the host does not fit it.</summary>
    public static VrrpDaemon Create(KeepalivedConfig config, Log log)
    {
        var edge = new DaemonEdge(log);
        RtNetlink netlink = edge.Netlink;
        var instances = new List<VrrpInstanceRuntime>();
        var transitions = new VrrpTransitionQueue();
        try
        {
            foreach (VrrpInstance instance in config.VrrpInstances)
            {
                LinkInfo? vmac = null;
                if (instance.UseVmac)
                {
                    LinkInfo parent = netlink.GetLink(instance.Interface)
                        ?? throw new DaemonStartupException($"({instance.Name}) interface {instance.Interface} does not exist");
                    IPAddress? linkLocal = instance.AddressFamily == AddressFamily.InterNetworkV6 ? SourceAddress(instance, config, netlink, parent) : null;
                    vmac = edge.VirtualMacs.Create(instance, parent, linkLocal);
                }
                InterfaceEndpoint endpoint = GetEndpoint(instance, config, edge.Endpoints, netlink, log, UsesVmacEndpoint(instance) ? vmac : null);
                VrrpAddress primary = TransportSettingsFactory.SourceAddress(instance) is { } src
                    ? VrrpAddress.FromIPAddress(src)
                    : endpoint.PrimaryAddress;
                var settings = RouterSettingsFactory.Create(instance, config.GlobalDefs, primary);
                VrrpTransportSettings transport = TransportSettingsFactory.Create(instance, config.GlobalDefs);
                string defaultDevice = vmac?.Name ?? instance.Interface;
                VirtualAddressBinding[] vips = [.. RouterSettingsFactory.InstalledAddresses(instance).Select(v => Bind(v, instance, defaultDevice, netlink, edge.Announcers))];
                var runtime = new VrrpInstanceRuntime(instance, settings, transport, endpoint, vips, edge.Announcers, netlink, TimeProvider.System, log, transitions);
                if (vmac is not null && UsesVmacEndpoint(instance) && instance.VmacXmitBase)
                {
                    // vmac_xmit_base: received on the VMAC, sent from the interface itself (its own MAC).
                    IVrrpChannel send = endpoint.Family == AddressFamily.InterNetworkV6
                        ? IPv6Channel.Open(instance.Interface, endpoint.PrimaryAddress.ToIPAddress(), group: null)
                        : IPv4Channel.Open(instance.Interface, IPAddress.Any);
                    edge.SendChannels.Add(send);
                    runtime.SendChannel = send;
                }
                if (instance.VirtualRoutes.Count > 0 || instance.VirtualRules.Count > 0)
                    runtime.Routes = VirtualRoutes.Create(instance, netlink, log);
                if (!instance.Accept && instance.Priority != VrrpWire.PriorityOwner)
                    runtime.NoAccept = edge.NoAccept; // RFC 9568 §6.1: the owner always accepts
                if (instance.UnicastFaultNoPeer && instance.UnicastPeers.Count == 0)
                {
                    log.Info($"({instance.Name}) has no unicast peers and unicast_fault_no_peer: it stays in FAULT");
                    runtime.Router.EnterFault(VrrpFaultReasons.NoUnicastPeers);
                }
                endpoint.Receiver.Add(runtime.Router, transport);
                endpoint.Instances.Add(runtime);
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

    /// <summary>
    /// Thread-safe: reloads the configuration (SIGHUP, <c>keepsharp reload</c>). The new configuration is loaded and
    /// validated first; <paramref name="completed"/> gets the outcome, on the loop.
    /// </summary>
    public void RequestReload(Action<Reload.ReloadReport>? completed = null) => _loop.Post(() =>
    {
        const string message = "Reload (SIGHUP) is not supported yet; keeping the running configuration";
        _log.Warning(message);
        completed?.Invoke(new Reload.ReloadReport(false, [message]));
    });

    /// <summary>Thread-safe: asks the loop to shut down.</summary>
    public void RequestStop() => _loop.RequestStop();

    public void Dispose()
    {
        _edge.Dispose();
        _loop.Dispose();
    }

    /// <summary>
    /// The endpoint of the instance's interface and address family, opened on first use. A multicast <c>use_vmac</c>
    /// instance gets an endpoint on its VMAC (<paramref name="vmac"/>): a multicast advert whose source MAC is the
    /// virtual MAC (a peer's VMAC has ours) is delivered by the kernel's macvlan code to the macvlan with that MAC
    /// only, never to its parent, so only a socket on the VMAC hears the peers (keepalived reads there too).
    /// </summary>
    private static InterfaceEndpoint GetEndpoint(VrrpInstance instance, KeepalivedConfig config, Dictionary<string, InterfaceEndpoint> endpoints,
        RtNetlink netlink, Log log, LinkInfo? vmac = null)
    {
        AddressFamily family = instance.AddressFamily;
        string key = EndpointKey(vmac?.Name ?? instance.Interface, family);
        if (endpoints.TryGetValue(key, out InterfaceEndpoint? existing))
            return existing;
        LinkInfo parent = netlink.GetLink(instance.Interface)
            ?? throw new DaemonStartupException($"({instance.Name}) interface {instance.Interface} does not exist");
        LinkInfo link = vmac ?? parent;
        // Every instance on this interface and family shares the socket: it joins the group if one of them multicasts.
        VrrpInstance[] sharing = vmac is null
            ? [.. config.VrrpInstances.Where(i => i.Interface == instance.Interface && i.AddressFamily == family && !UsesVmacEndpoint(i))]
            : [instance];
        bool multicast = sharing.Any(i => !TransportSettingsFactory.IsUnicast(i));
        IPAddress source = SourceAddress(instance, config, netlink, parent);
        IPAddress group = TransportSettingsFactory.MulticastGroup(config.GlobalDefs, family);
        IVrrpChannel channel = family == AddressFamily.InterNetworkV6
            ? IPv6Channel.Open(link.Name, source, multicast ? group : null)
            : IPv4Channel.Open(link.Name, multicast ? group : IPAddress.Any);
        var endpoint = new InterfaceEndpoint(link, family, VrrpAddress.FromIPAddress(source), channel, TimeProvider.System);
        log.Detail($"Opened VRRP socket on {endpoint.Description} (index {link.InterfaceIndex}){(multicast ? $", group {group}" : ", unicast only")}, primary address {endpoint.PrimaryAddress}");
        endpoints.Add(key, endpoint);
        return endpoint;
    }

    /// <summary>A multicast instance with a VMAC receives on the VMAC; a unicast one on its interface (peers send to its address there).</summary>
    private static bool UsesVmacEndpoint(VrrpInstance instance) => instance.UseVmac && !TransportSettingsFactory.IsUnicast(instance);

    /// <summary>
    /// The address the instance's adverts come from: its interface's primary address (below), else its configured
    /// <c>unicast_src_ip</c> / <c>mcast_src_ip</c>. Throws when there is neither.
    /// </summary>
    private static IPAddress SourceAddress(VrrpInstance instance, KeepalivedConfig config, RtNetlink netlink, LinkInfo link)
    {
        AddressFamily family = instance.AddressFamily;
        HashSet<IPAddress> virtualAddresses = [.. config.VrrpInstances.Where(i => i.Interface == instance.Interface)
            .SelectMany(i => i.VirtualIpAddresses.Concat(i.VirtualIpAddressesExcluded)).Select(v => v.Address)];
        return PrimaryAddress(netlink, link, family, virtualAddresses) ?? TransportSettingsFactory.SourceAddress(instance)
            ?? throw new DaemonStartupException(family == AddressFamily.InterNetworkV6
                ? $"({instance.Name}) interface {instance.Interface} has no IPv6 link-local address to send adverts from"
                : $"({instance.Name}) interface {instance.Interface} has no IPv4 address to send adverts from");
    }

    private static string EndpointKey(string interfaceName, AddressFamily family) =>
        family == AddressFamily.InterNetworkV6 ? interfaceName + "/6" : interfaceName + "/4";

    /// <summary>
    /// The address adverts come from (RFC 3768 §5.1.1.1, RFC 9568 §5.1.1.1 and §5.1.2.1): the interface's first IPv4
    /// address that is not a virtual one; for IPv6 its link-local address.
    /// </summary>
    private static IPAddress? PrimaryAddress(RtNetlink netlink, LinkInfo link, AddressFamily family, HashSet<IPAddress> virtualAddresses) =>
        netlink.GetAddresses(link.InterfaceIndex)
            .Where(a => a.Address.AddressFamily == family && !virtualAddresses.Contains(a.Address)
                && (family == AddressFamily.InterNetwork || a.Address.IsIPv6LinkLocal))
            .Select(a => a.Address)
            .FirstOrDefault();

    private static VirtualAddressBinding Bind(VirtualIpAddress vip, VrrpInstance instance, string defaultDevice, RtNetlink netlink, AddressAnnouncers announcers)
    {
        string device = vip.Device ?? defaultDevice;
        LinkInfo link = netlink.GetLink(device)
            ?? throw new DaemonStartupException($"{vip.Location.File}:{vip.Location.Line}: ({instance.Name}) virtual address {vip.Address}: device {device} does not exist");
        AddressAnnouncer? announcer = announcers.For(link, vip.Address);
        return new VirtualAddressBinding(vip.Address, vip.PrefixLength, link.InterfaceIndex, link.Name, vip.Label,
            vip.Broadcast, ScopeOf(vip.Scope), announcer);
    }

    private static byte ScopeOf(string? scope) => scope switch
    {
        null or "global" or "universe" => 0,
        "site" => 200,
        "link" => 253,
        "host" => 254,
        "nowhere" => 255,
        _ when byte.TryParse(scope, out byte n) => n,
        _ => 0,
    };
}

internal sealed class DaemonStartupException(string message) : Exception(message);
