using System.Net;
using KeepSharp.Config;
using KeepSharp.Daemon.Runtime.Announcements;
using KeepSharp.Daemon.Logging;
using KeepSharp.Linux;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// One <c>vrrp_instance</c> at run time: its <see cref="VrrpRouter"/> and the I/O that carries out the
/// router's actions on the Linux edge (adverts on the raw socket, addresses through rtnetlink,
/// gratuitous ARP through AF_PACKET). Runs on the event loop's thread only.
/// </summary>
internal sealed class VrrpInstanceRuntime : IVrrpRouterActions
{
    private readonly InterfaceEndpoint _endpoint;
    private readonly RtNetlink _netlink;
    private readonly Log _log;
    private VirtualAddressBinding[] _addresses;
    private readonly AddressAnnouncers _announcers;
    private AnnouncementPacer _pacer;
    private VrrpDatagramWriter _writer;
    private ushort _identification;

    /// <summary>Lower-priority adverts heard in this mastership; only the first is logged (a flood must not allocate or flood the log).</summary>
    private long _lowerPriorityAdverts;

    public VrrpInstanceRuntime(
        VrrpInstance config,
        VrrpRouterSettings settings,
        VrrpTransportSettings transport,
        InterfaceEndpoint endpoint,
        VirtualAddressBinding[] addresses,
        AddressAnnouncers announcers,
        RtNetlink netlink,
        TimeProvider time,
        Log log,
        VrrpTransitionQueue? transitions = null)
    {
        Config = config;
        _endpoint = endpoint;
        _addresses = addresses;
        _announcers = announcers;
        _netlink = netlink;
        _log = log;
        Transport = transport;
        _pacer = new AnnouncementPacer(config.Name, config.GarpInterval, config.GnaInterval, log);
        _writer = new VrrpDatagramWriter(settings, transport);
        _time = time;
        LastTransition = time.GetUtcNow();
        Router = new VrrpRouter(settings, time, this, transitions);
    }

    private readonly TimeProvider _time;

    /// <summary>When the state last changed (keepalived's last_transition; at first, when the instance was set up).</summary>
    public DateTimeOffset LastTransition { get; private set; }

    public VrrpInstance Config { get; private set; }

    public VrrpRouter Router { get; }

    /// <summary>How this instance's adverts travel: the multicast group or its unicast peers, TTL, checksum form.</summary>
    public VrrpTransportSettings Transport { get; private set; }

    /// <summary>
    /// Hears this instance's transitions, priority changes and lower-priority adverts. Called from inside the
    /// router's transition, as keepalived's send_instance_notifies runs on entering the state, before the sync
    /// group reacts (the notifier only starts scripts and writes FIFO lines; it commands no router).
    /// </summary>
    public Notify.Notifier? Notifier { get; set; }

    /// <summary>This instance's trackers (set when the tracking is built).</summary>
    public KeepSharp.Vrrp.Tracking.InstanceTracking? Tracking { get; set; }

    public InterfaceEndpoint Endpoint => _endpoint;

    /// <summary>
    /// Where adverts leave: the endpoint's socket, or with <c>use_vmac</c> a socket on the VMAC interface (so they carry
    /// the virtual MAC) unless <c>vmac_xmit_base</c>. Receiving stays on the endpoint.
    /// </summary>
    public Transport.IVrrpChannel? SendChannel { get; set; }

    /// <summary><c>virtual_routes</c> and <c>virtual_rules</c>, installed with the addresses.</summary>
    public Resources.VirtualRoutes? Routes { get; set; }

    /// <summary>The instance's VMAC interface, when it has one (<c>use_vmac</c>).</summary>
    public string? VmacName { get; set; }

    /// <summary><c>no_accept</c> for a non-owner: traffic to the addresses is dropped while master.</summary>
    public Resources.NoAcceptRules? NoAccept { get; set; }

    public string Name => Config.Name;

    public bool AddressesInstalled { get; private set; }

    /// <summary>The addresses installed as master: the advertised VIPs, then the excluded ones (never advertised).</summary>
    public IReadOnlyList<VirtualAddressBinding> Addresses => _addresses;

    private (IPAddress Address, string Interface)[] FirewallAddresses() => [.. _addresses.Select(v => (v.Address, v.InterfaceName))];

    /// <summary>Removes this instance's addresses that a previous run left on the interfaces (a crash, a kill -9).</summary>
    public void RemoveLeftoverAddresses()
    {
        Resources.VirtualAddresses.Remove(_netlink, _addresses, (vip, rc) =>
        {
            if (rc == 0)
                _log.Info($"({Name}) removed leftover address {vip.Address}/{vip.PrefixLength} from {vip.InterfaceName}");
        });
    }

    /// <summary>
    /// A link named like one this instance puts addresses on was created again with a new index: addresses
    /// and gratuitous ARPs follow it by name, as keepalived re-resolves interfaces by name.
    /// </summary>
    public void Relink(LinkInfo link)
    {
        if (!HasAddressesOnOldIndex(link.Name, link.InterfaceIndex))
            return;
        _log.Info($"({Name}) addresses on {link.Name} follow it to its new index {link.InterfaceIndex}");
        for (int i = 0; i < _addresses.Length; i++)
        {
            VirtualAddressBinding vip = _addresses[i];
            if (vip.InterfaceIndex == link.InterfaceIndex || !string.Equals(vip.InterfaceName, link.Name, StringComparison.Ordinal))
                continue;
            _addresses[i] = vip with
            {
                InterfaceIndex = link.InterfaceIndex,
                Announcer = _announcers.For(link, vip.Address),
            };
        }
    }

    /// <summary>Whether an address of this instance goes on a link named <paramref name="name"/> by an index other than <paramref name="index"/>.</summary>
    public bool HasAddressesOnOldIndex(string name, int index)
    {
        foreach (VirtualAddressBinding vip in _addresses)
        {
            if (vip.InterfaceIndex != index && string.Equals(vip.InterfaceName, name, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    /// <summary>
    /// After a failure: removes every address of this instance through <paramref name="netlink"/>, whatever the
    /// router's state, each one guarded. Touches only the immutable bindings, so any thread may call it.
    /// </summary>
    public void RemoveAllAddresses(RtNetlink netlink)
    {
        try
        {
            Routes?.Remove(netlink, _log);
        }
        catch (Exception e)
        {
            _log.Error($"({Name}) cannot remove virtual routes and rules: {e.Message}");
        }
        foreach (VirtualAddressBinding vip in _addresses)
        {
            try
            {
                int rc = netlink.DeleteAddress(vip.InterfaceIndex, vip.Address, vip.PrefixLength);
                if (rc == 0)
                    _log.Info($"({Name}) removed {vip.Address}/{vip.PrefixLength} from {vip.InterfaceName}");
                else if (rc != -Errno.EADDRNOTAVAIL && rc != -Errno.ENODEV)
                    _log.Error($"({Name}) cannot remove {vip.Address}/{vip.PrefixLength} from {vip.InterfaceName}: {Errno.Describe(-rc)}");
            }
            catch (Exception e)
            {
                _log.Error($"({Name}) cannot remove {vip.Address}/{vip.PrefixLength} from {vip.InterfaceName}: {e.Message}");
            }
        }
        AddressesInstalled = false;
    }

    /// <summary>Reload of an unchanged instance: it runs on untouched; only the model object is the new configuration's.</summary>
    public void Continue(VrrpInstance config) => Config = config;

    /// <summary>
    /// Reload of a matched instance: it runs on with <paramref name="config"/>, keeping its state, timers and the
    /// addresses both configurations have. While master, the differences are applied now: addresses no longer
    /// configured go, new ones come and are announced, routes and no_accept rules follow; adverts carry the new list
    /// from the next one. The caller re-attaches the runtime to its receive path when the transport changed, and sets
    /// the effective priority (tracking).
    /// </summary>
    public void Reconfigure(VrrpInstance config, VrrpRouterSettings settings, VrrpTransportSettings transport,
        VirtualAddressBinding[] addresses, Resources.VirtualRoutes? routes, Resources.NoAcceptRules? noAccept, bool routesChanged)
    {
        VirtualAddressBinding[] before = _addresses;
        string oldName = Name;
        Resources.VirtualRoutes? oldRoutes = Routes;
        Resources.NoAcceptRules? oldNoAccept = NoAccept;
        (IPAddress Address, string Interface)[] oldFirewall = FirewallAddresses();
        bool installed = AddressesInstalled;

        Config = config;
        Transport = transport;
        _writer = new VrrpDatagramWriter(settings, transport);
        if (config.GarpInterval != _pacer.GarpInterval || config.GnaInterval != _pacer.GnaInterval || oldName != config.Name)
        {
            Loop.ILoopServices? loop = _pacer.Loop;
            _pacer.Stop();
            _pacer = new AnnouncementPacer(config.Name, config.GarpInterval, config.GnaInterval, _log) { Loop = loop };
        }
        Router.Reconfigure(settings);
        _addresses = addresses;
        Routes = routes;
        NoAccept = noAccept;
        if (!installed)
            return;

        bool sameRoutes = !routesChanged;
        if (!sameRoutes)
            oldRoutes?.Remove(_netlink, _log);
        (IPAddress Address, string Interface)[] firewall = FirewallAddresses();
        if (oldNoAccept is not null && (noAccept is null || oldName != Name || !oldFirewall.SequenceEqual(firewall)))
            oldNoAccept.Remove(oldName, oldFirewall);
        if (noAccept is not null && (oldNoAccept is null || oldName != Name || !oldFirewall.SequenceEqual(firewall)))
            noAccept.Add(Name, firewall);
        VirtualAddressBinding[] gone = [.. before.Where(b => !addresses.Any(a => SamePlace(a, b)))];
        Resources.VirtualAddresses.Remove(_netlink, gone, (vip, rc) =>
            _log.Info($"({Name}) reload: removed {vip.Address}/{vip.PrefixLength} from {vip.InterfaceName}{(rc == 0 ? "" : $" ({Errno.Describe(-rc)})")}"));
        VirtualAddressBinding[] added = [.. addresses.Where(a => !before.Any(b => SamePlace(a, b)))];
        Resources.VirtualAddresses.Add(_netlink, added, (vip, rc) =>
        {
            if (rc != 0 && rc != -Errno.EEXIST)
                _log.Error($"({Name}) reload: cannot add {vip.Address}/{vip.PrefixLength} on {vip.InterfaceName}: {Errno.Describe(-rc)}");
            else
                _log.Info($"({Name}) reload: added {vip.Address}/{vip.PrefixLength} on {vip.InterfaceName}");
        });
        if (!sameRoutes)
            routes?.Install(_netlink, _log);
        if (added.Length > 0)
            _pacer.Announce(added, Router.Settings.GarpMasterRepeat);
    }

    /// <summary>The same address on the same interface with the same prefix and attributes: left in place by a reload.</summary>
    private static bool SamePlace(VirtualAddressBinding a, VirtualAddressBinding b) =>
        a.Address.Equals(b.Address) && a.PrefixLength == b.PrefixLength && a.InterfaceIndex == b.InterfaceIndex
        && a.Label == b.Label && Equals(a.Broadcast, b.Broadcast) && a.Scope == b.Scope;

    public void SendAdvertisement(VrrpRouter router, byte priority)
    {
        _writer.WriteMessage(priority);
        ReadOnlySpan<VrrpAddress> destinations = _writer.Destinations;
        for (int i = 0; i < destinations.Length; i++)
        {
            if (!(SendChannel ?? _endpoint.Channel).Send(_writer.Datagram(i, ++_identification), _writer.Source, destinations[i], _writer.HopLimit))
                _endpoint.CountSendFailure(Name, _log);
        }
        if (priority == VrrpWire.PriorityStop)
            _log.Info($"({Name}) sent 0 priority");
    }

    public void AddVirtualAddresses(VrrpRouter router)
    {
        // keepalived's order: the firewall first (no packet to a VIP is accepted before the rule is there), the addresses,
        // then the routes and rules that may use them.
        NoAccept?.Add(Name, FirewallAddresses());
        _log.Info($"({Name}) setting VIPs.");
        // In batches (one datagram per chunk of requests); IPv6 VIPs get IFA_F_NODAD (see VirtualAddresses.Add).
        Resources.VirtualAddresses.Add(_netlink, _addresses, _reportAdd ??= ReportAdd);
        AddressesInstalled = true;
        Routes?.Install(_netlink, _log);
    }

    public void RemoveVirtualAddresses(VrrpRouter router)
    {
        _pacer.Stop();
        Routes?.Remove(_netlink, _log);
        _log.Info($"({Name}) removing VIPs.");
        Resources.VirtualAddresses.Remove(_netlink, _addresses, _reportRemove ??= ReportRemove);
        AddressesInstalled = false;
        NoAccept?.Remove(Name, FirewallAddresses());
    }

    private Action<VirtualAddressBinding, int>? _reportAdd, _reportRemove;

    private void ReportAdd(VirtualAddressBinding vip, int rc)
    {
        if (rc != 0 && rc != -Errno.EEXIST)
            _log.Error($"({Name}) cannot add {vip.Address}/{vip.PrefixLength} on {vip.InterfaceName}: {Errno.Describe(-rc)}");
    }

    private void ReportRemove(VirtualAddressBinding vip, int rc)
    {
        if (rc != 0 && rc != -Errno.EADDRNOTAVAIL && rc != -Errno.ENODEV)
            _log.Error($"({Name}) cannot remove {vip.Address}/{vip.PrefixLength} from {vip.InterfaceName}: {Errno.Describe(-rc)}");
    }

    public void SendGratuitousAnnouncements(VrrpRouter router, int repeat) => _pacer.Announce(_addresses, repeat);

    /// <summary>The loop that paces announcements when <c>garp_interval</c> / <c>gna_interval</c> is set.</summary>
    public Loop.ILoopServices? Loop
    {
        get => _pacer.Loop;
        set => _pacer.Loop = value;
    }

    public void StateChanged(VrrpRouter router, VrrpState from, VrrpState to, VrrpTransitionReason reason)
    {
        LastTransition = _time.GetUtcNow();
        if (to == VrrpState.Master)
            _lowerPriorityAdverts = 0;
        switch (reason)
        {
            case VrrpTransitionReason.MasterDownTimer:
                _log.Info($"({Name}) Receive advertisement timeout");
                break;
            case VrrpTransitionReason.MasterStopped:
                _log.Info($"({Name}) Backup received priority 0 advertisement");
                _log.Info($"({Name}) Receive advertisement timeout");
                break;
            case VrrpTransitionReason.HigherPriorityAdvertisement:
                _log.Info($"({Name}) Master received advert from {router.MasterAddress} with higher priority, ours {router.Priority}");
                break;
        }
        string suffix = reason == VrrpTransitionReason.Startup ? " (init)" : "";
        string state = to switch
        {
            VrrpState.Master => "MASTER",
            VrrpState.Backup => "BACKUP",
            VrrpState.Fault => "FAULT",
            _ => "INIT",
        };
        if (to == VrrpState.Initialize)
            _log.Detail($"({Name}) Stopped ({from})");
        else
            _log.Info($"({Name}) Entering {state} STATE{suffix}");
        if (!AwaitingFirstScriptResults(from, to))
            Notifier?.OnInstanceStateChanged(router, from, to);
    }

    /// <summary>
    /// keepalived's vrrp_init_state sends no notify for a FAULT at startup caused only by weight-0 scripts that have
    /// not reported yet (num_script_init without num_script_if_fault); their first result notifies.
    /// </summary>
    private bool AwaitingFirstScriptResults(VrrpState from, VrrpState to)
    {
        if (from != VrrpState.Initialize || to != VrrpState.Fault || Router.FaultReasons != VrrpFaultReasons.Script || Tracking is not { } tracking)
            return false;
        foreach (var t in tracking.FaultingTrackers)
        {
            if (t.Kind != KeepSharp.Vrrp.Tracking.TrackerKind.Script || tracking.StatusOf(t.Kind, t.Name) != KeepSharp.Vrrp.Tracking.TrackerStatus.Unknown)
                return false;
        }
        return true;
    }

    public void PriorityChanged(VrrpRouter router, byte from, byte to)
    {
        _log.Info($"({Name}) Changing effective priority from {from} to {to}");
        Notifier?.OnPriorityChanged(router, from, to);
    }

    public void MasterReceivedLowerPriority(VrrpRouter router, VrrpAddress source, byte priority)
    {
        if (_lowerPriorityAdverts++ == 0)
            _log.Info($"({Name}) Received advert from {source} with lower priority {priority}, ours {router.Priority} (further ones in this mastership are not logged)");
        Notifier?.OnMasterReceivedLowerPriority(router);
    }
}

/// <summary>A virtual address resolved against the interfaces: where it goes and how it is announced.</summary>
internal sealed record VirtualAddressBinding(
    IPAddress Address,
    int PrefixLength,
    int InterfaceIndex,
    string InterfaceName,
    string? Label,
    IPAddress? Broadcast,
    byte Scope,
    AddressAnnouncer? Announcer);
