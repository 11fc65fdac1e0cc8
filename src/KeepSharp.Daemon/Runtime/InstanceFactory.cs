using System.Net;
using System.Net.Sockets;
using KeepSharp.Config;
using KeepSharp.Daemon.Logging;
using KeepSharp.Daemon.Runtime.Announcements;
using KeepSharp.Daemon.Runtime.Resources;
using KeepSharp.Daemon.Runtime.Transport;
using KeepSharp.Linux;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// Resolves a configured <c>vrrp_instance</c> against the host and the daemon's edge: its interface's endpoint (opened on
/// first use), its VMAC, its source address, its router settings and transport, its addresses bound to interfaces, its
/// routes and no_accept rules. Used at startup and at reload; it records what it opened, so a reload that fails half way
/// can close it again (<see cref="Undo"/>).
/// </summary>
internal sealed class InstanceFactory(KeepalivedConfig config, DaemonEdge edge, VrrpTransitionQueue transitions, Log log)
{
    private readonly List<string> _openedEndpoints = [];
    private readonly List<string> _createdVmacs = [];

    /// <summary>Endpoints this factory opened (keys of <see cref="DaemonEdge.Endpoints"/>).</summary>
    public IReadOnlyList<string> OpenedEndpoints => _openedEndpoints;

    /// <summary>
    /// The instance's runtime, not yet attached to its endpoint's receive path (<see cref="Attach"/>). Throws
    /// <see cref="DaemonStartupException"/> with a clear message when the host does not fit it.
    /// </summary>
    public VrrpInstanceRuntime Create(VrrpInstance instance)
    {
        RtNetlink netlink = edge.Netlink;
        LinkInfo? vmac = null;
        if (instance.UseVmac)
        {
            LinkInfo parent = netlink.GetLink(instance.Interface)
                ?? throw new DaemonStartupException($"({instance.Name}) interface {instance.Interface} does not exist");
            IPAddress? linkLocal = instance.AddressFamily == AddressFamily.InterNetworkV6 ? SourceAddress(instance, parent) : null;
            vmac = edge.VirtualMacs.Create(instance, parent, linkLocal);
            _createdVmacs.Add(vmac.Name);
        }
        InterfaceEndpoint endpoint = GetEndpoint(instance, UsesVmacEndpoint(instance) ? vmac : null);
        VrrpAddress primary = TransportSettingsFactory.SourceAddress(instance) is { } src
            ? VrrpAddress.FromIPAddress(src)
            : endpoint.PrimaryAddress;
        var settings = RouterSettingsFactory.Create(instance, config.GlobalDefs, primary);
        VrrpTransportSettings transport = TransportSettingsFactory.Create(instance, config.GlobalDefs);
        VirtualAddressBinding[] vips = Bindings(instance, vmac?.Name);
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
        runtime.Routes = Routes(instance);
        runtime.NoAccept = NoAccept(instance);
        runtime.VmacName = vmac?.Name;
        if (instance.UnicastFaultNoPeer && instance.UnicastPeers.Count == 0)
        {
            log.Info($"({instance.Name}) has no unicast peers and unicast_fault_no_peer: it stays in FAULT");
            runtime.Router.EnterFault(VrrpFaultReasons.NoUnicastPeers);
        }
        return runtime;
    }

    /// <summary>The runtime receives on its endpoint from now on.</summary>
    public static void Attach(VrrpInstanceRuntime runtime)
    {
        runtime.Endpoint.Receiver.Add(runtime.Router, runtime.Transport);
        runtime.Endpoint.Instances.Add(runtime);
    }

    /// <summary>The runtime no longer receives (it has resigned).</summary>
    public static void Detach(VrrpInstanceRuntime runtime)
    {
        runtime.Endpoint.Receiver.Remove(runtime.Router);
        runtime.Endpoint.Instances.Remove(runtime);
    }

    /// <summary>
    /// The router settings of <paramref name="instance"/> running on <paramref name="endpoint"/> (reload of a matched
    /// instance: its endpoint stays, its source address may have been configured since).
    /// </summary>
    public VrrpRouterSettings Settings(VrrpInstance instance, InterfaceEndpoint endpoint) =>
        RouterSettingsFactory.Create(instance, config.GlobalDefs,
            TransportSettingsFactory.SourceAddress(instance) is { } src ? VrrpAddress.FromIPAddress(src) : endpoint.PrimaryAddress);

    public VrrpTransportSettings Transport(VrrpInstance instance) => TransportSettingsFactory.Create(instance, config.GlobalDefs);

    /// <summary>Every address the instance installs as master, bound to its interface (its VMAC when it has one, else its interface).</summary>
    public VirtualAddressBinding[] Bindings(VrrpInstance instance, string? vmacName) =>
        [.. RouterSettingsFactory.InstalledAddresses(instance).Select(v => Bind(v, instance, vmacName ?? instance.Interface, edge.Netlink, edge.Announcers))];

    public VirtualRoutes? Routes(VrrpInstance instance) =>
        instance.VirtualRoutes.Count > 0 || instance.VirtualRules.Count > 0 ? VirtualRoutes.Create(instance, edge.Netlink, log) : null;

    /// <summary>RFC 9568 §6.1: the owner always accepts.</summary>
    public NoAcceptRules? NoAccept(VrrpInstance instance) =>
        !instance.Accept && instance.Priority != VrrpWire.PriorityOwner ? edge.NoAccept : null;

    /// <summary>A reload failed before it changed anything: closes the endpoints and deletes the VMACs this factory opened.</summary>
    public void Undo()
    {
        foreach (string key in _openedEndpoints)
        {
            if (edge.Endpoints.Remove(key, out InterfaceEndpoint? endpoint))
                endpoint.Dispose();
        }
        foreach (string name in _createdVmacs)
            edge.VirtualMacs.Delete(name);
        _openedEndpoints.Clear();
        _createdVmacs.Clear();
    }

    /// <summary>
    /// The endpoint of the instance's interface and address family, opened on first use. A multicast <c>use_vmac</c>
    /// instance gets an endpoint on its VMAC (<paramref name="vmac"/>): a multicast advert whose source MAC is the
    /// virtual MAC (a peer's VMAC has ours) is delivered by the kernel's macvlan code to the macvlan with that MAC
    /// only, never to its parent, so only a socket on the VMAC hears the peers (keepalived reads there too).
    /// </summary>
    private InterfaceEndpoint GetEndpoint(VrrpInstance instance, LinkInfo? vmac = null)
    {
        Dictionary<string, InterfaceEndpoint> endpoints = edge.Endpoints;
        RtNetlink netlink = edge.Netlink;
        AddressFamily family = instance.AddressFamily;
        string key = EndpointKey(vmac?.Name ?? instance.Interface, family);
        if (endpoints.TryGetValue(key, out InterfaceEndpoint? existing))
        {
            // At startup every instance sharing the socket was known when it was opened; a reload may add a multicast one
            // to a socket that never joined the group (it would hear nothing).
            if (!existing.JoinedGroup && !TransportSettingsFactory.IsUnicast(instance))
                throw new DaemonStartupException($"{instance.Location.File}:{instance.Location.Line}: ({instance.Name}) multicast on {existing.Description}, " +
                    "whose VRRP socket serves unicast instances only: this needs a restart, not a reload");
            return existing;
        }
        LinkInfo parent = netlink.GetLink(instance.Interface)
            ?? throw new DaemonStartupException($"({instance.Name}) interface {instance.Interface} does not exist");
        LinkInfo link = vmac ?? parent;
        // Every instance on this interface and family shares the socket: it joins the group if one of them multicasts.
        VrrpInstance[] sharing = vmac is null
            ? [.. config.VrrpInstances.Where(i => i.Interface == instance.Interface && i.AddressFamily == family && !UsesVmacEndpoint(i))]
            : [instance];
        bool multicast = sharing.Any(i => !TransportSettingsFactory.IsUnicast(i));
        IPAddress source = SourceAddress(instance, parent);
        IPAddress group = TransportSettingsFactory.MulticastGroup(config.GlobalDefs, family);
        IVrrpChannel channel = family == AddressFamily.InterNetworkV6
            ? IPv6Channel.Open(link.Name, source, multicast ? group : null)
            : IPv4Channel.Open(link.Name, multicast ? group : IPAddress.Any);
        var endpoint = new InterfaceEndpoint(link, family, VrrpAddress.FromIPAddress(source), channel, TimeProvider.System) { JoinedGroup = multicast };
        log.Detail($"Opened VRRP socket on {endpoint.Description} (index {link.InterfaceIndex}){(multicast ? $", group {group}" : ", unicast only")}, primary address {endpoint.PrimaryAddress}");
        endpoints.Add(key, endpoint);
        _openedEndpoints.Add(key);
        return endpoint;
    }

    /// <summary>A multicast instance with a VMAC receives on the VMAC; a unicast one on its interface (peers send to its address there).</summary>
    public static bool UsesVmacEndpoint(VrrpInstance instance) => instance.UseVmac && !TransportSettingsFactory.IsUnicast(instance);

    /// <summary>
    /// The address the instance's adverts come from: its interface's primary address (below), else its configured
    /// <c>unicast_src_ip</c> / <c>mcast_src_ip</c>. Throws when there is neither.
    /// </summary>
    private IPAddress SourceAddress(VrrpInstance instance, LinkInfo link)
    {
        RtNetlink netlink = edge.Netlink;
        AddressFamily family = instance.AddressFamily;
        HashSet<IPAddress> virtualAddresses = [.. config.VrrpInstances.Where(i => i.Interface == instance.Interface)
            .SelectMany(i => i.VirtualIpAddresses.Concat(i.VirtualIpAddressesExcluded)).Select(v => v.Address)];
        return PrimaryAddress(netlink, link, family, virtualAddresses) ?? TransportSettingsFactory.SourceAddress(instance)
            ?? throw new DaemonStartupException(family == AddressFamily.InterNetworkV6
                ? $"({instance.Name}) interface {instance.Interface} has no IPv6 link-local address to send adverts from"
                : $"({instance.Name}) interface {instance.Interface} has no IPv4 address to send adverts from");
    }

    public static string EndpointKey(string interfaceName, AddressFamily family) =>
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
