using System.Net.Sockets;
using System.Text;
using KeepSharp.Config;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Tracking;

namespace KeepSharp.Vrrp.Reload;

/// <summary>
/// How keepalived matches an instance of the new configuration with a running one at reload (vrrp.c
/// <c>vrrp_exist</c>): the virtual router id, the address family, the interface, and unicast or multicast.
/// The name may change; anything else makes it another instance.
/// </summary>
public readonly record struct InstanceIdentity(byte VirtualRouterId, AddressFamily Family, string Interface, bool Unicast)
{
    public override string ToString() =>
        $"VRID {VirtualRouterId} {(Family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4")} on {Interface}{(Unicast ? " unicast" : "")}";
}

/// <summary>What part of an instance differs between two configurations.</summary>
[Flags]
public enum InstanceChanges
{
    None = 0,
    /// <summary>The <c>vrrp_instance</c> name.</summary>
    Name = 1 << 0,
    /// <summary>What the router runs with: priority, advert_int, version, authentication, preemption, garp and lower-priority settings, source address.</summary>
    Router = 1 << 1,
    /// <summary>How adverts travel: group, unicast peers and their TTLs, checksum form.</summary>
    Transport = 1 << 2,
    /// <summary><c>virtual_ipaddress</c> and <c>virtual_ipaddress_excluded</c>.</summary>
    Addresses = 1 << 3,
    /// <summary><c>virtual_routes</c>, <c>virtual_rules</c>, accept mode.</summary>
    Routes = 1 << 4,
    /// <summary>Trackers and their weights.</summary>
    Tracking = 1 << 5,
    /// <summary>Notify scripts.</summary>
    Notify = 1 << 6,
    /// <summary>The <c>vrrp_sync_group</c> the instance is in.</summary>
    SyncGroup = 1 << 7,
    /// <summary>The link it runs on: <c>use_vmac</c>, its name and mode. Cannot change in place: the instance is replaced.</summary>
    Link = 1 << 8,
}

/// <summary>
/// One <c>vrrp_instance</c> as the daemon runs it, with value equality: two specs are equal exactly when running
/// either is the same. Each part is a canonical text of the typed model (positions in the file left out), so
/// moving a block or adding a comment changes nothing. The host's interface address is not part of it (the daemon
/// resolves it), the configured source address is.
/// </summary>
public sealed record InstanceSpec(
    InstanceIdentity Identity,
    string Name,
    string Router,
    string Transport,
    string Addresses,
    string Routes,
    string Tracking,
    string Notify,
    string? SyncGroup,
    string Link)
{
    private static readonly ConfigLocation Nowhere = new("", 0);

    /// <summary>The spec of <paramref name="instance"/> in <paramref name="config"/>.</summary>
    public static InstanceSpec From(VrrpInstance instance, KeepalivedConfig config)
    {
        VrrpRouterSettings settings = RouterSettingsFactory.Create(instance, config.GlobalDefs, VrrpAddress.None);
        VrrpTransportSettings transport = TransportSettingsFactory.Create(instance, config.GlobalDefs);
        VrrpSyncGroup? group = config.VrrpSyncGroups.FirstOrDefault(g => g.Instances.Contains(instance.Name));
        return new InstanceSpec(
            new InstanceIdentity(instance.VirtualRouterId, instance.AddressFamily, instance.Interface, TransportSettingsFactory.IsUnicast(instance)),
            instance.Name,
            Lines((settings with { Name = "", VirtualAddresses = [], AuthenticationData = [] }).ToString(),
                $"auth {Convert.ToHexString(settings.AuthenticationData)}", $"src {TransportSettingsFactory.SourceAddress(instance)}",
                $"garp_interval {instance.GarpInterval} gna_interval {instance.GnaInterval} unicast_fault_no_peer {instance.UnicastFaultNoPeer}"),
            Lines([(transport with { UnicastPeers = [] }).ToString(), .. transport.UnicastPeers.Select(p => p.ToString())]),
            Lines([.. RouterSettingsFactory.AdvertisedAddresses(instance).Select(a => (a with { Location = Nowhere }).ToString() + Details(a)),
                "excluded", .. instance.VirtualIpAddressesExcluded.Select(a => (a with { Location = Nowhere }).ToString() + Details(a))]),
            Lines([$"accept {instance.Accept}", .. instance.VirtualRoutes.Select(r => (r with { Location = Nowhere }).ToString()),
                .. instance.VirtualRules.Select(r => (r with { Location = Nowhere }).ToString())]),
            Lines([.. TrackingPlan.FromConfig(instance, config, group?.SyncGroupTrackingWeight ?? false).Select(t => t.ToString())]),
            Lines(NotifyLine(instance.NotifyScripts.Generic), NotifyLine(instance.NotifyScripts.Master), NotifyLine(instance.NotifyScripts.Backup),
                NotifyLine(instance.NotifyScripts.Fault), NotifyLine(instance.NotifyScripts.Stop), NotifyLine(instance.NotifyScripts.MasterRxLowerPri),
                $"priority_changes {instance.NotifyPriorityChanges}"),
            group?.Name,
            Lines($"use_vmac {instance.UseVmac} {instance.VmacName} xmit_base {instance.VmacXmitBase} vmac_addr {instance.UseVmacAddress}",
                $"dont_track_primary {instance.DontTrackPrimary}"));
    }

    /// <summary>What differs between this spec and <paramref name="other"/> (the identity aside).</summary>
    public InstanceChanges Compare(InstanceSpec other)
    {
        InstanceChanges changes = InstanceChanges.None;
        if (Name != other.Name) changes |= InstanceChanges.Name;
        if (Router != other.Router) changes |= InstanceChanges.Router;
        if (Transport != other.Transport) changes |= InstanceChanges.Transport;
        if (Addresses != other.Addresses) changes |= InstanceChanges.Addresses;
        if (Routes != other.Routes) changes |= InstanceChanges.Routes;
        if (Tracking != other.Tracking) changes |= InstanceChanges.Tracking;
        if (Notify != other.Notify) changes |= InstanceChanges.Notify;
        if (SyncGroup != other.SyncGroup) changes |= InstanceChanges.SyncGroup;
        if (Link != other.Link) changes |= InstanceChanges.Link;
        return changes;
    }

    private static string Details(VirtualIpAddress a) => $" peer {a.Peer} nodad {a.NoDad} notrack {a.NoTrack}";

    private static string NotifyLine(NotifyScriptLine? line) => line is null ? "-" : (line with { Location = Nowhere }).ToString();

    private static string Lines(params string[] lines)
    {
        var text = new StringBuilder();
        foreach (string line in lines)
            text.Append(line).Append('\n');
        return text.ToString();
    }
}
