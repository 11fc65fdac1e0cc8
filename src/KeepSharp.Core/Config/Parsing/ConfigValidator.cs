using System.Net.Sockets;

namespace KeepSharp.Config.Parsing;

/// <summary>
/// Cross-checks after parsing (required settings, duplicates, references) and resolution of defaults
/// (instance version and GARP settings from global_defs); produces the model.
/// </summary>
internal static class ConfigValidator
{
    public static KeepalivedConfig Build(ParseContext context, ConfigBuilder builder, IReadOnlyList<string> files)
    {
        var global = builder.GlobalDefs;
        global.NotificationEmail = builder.NotificationEmail.ToList();

        var scripts = ValidateScripts(context, builder.Scripts);
        var instances = new List<VrrpInstance>();
        var byName = new Dictionary<string, VrrpInstance>(StringComparer.Ordinal);
        foreach (var b in builder.Instances)
        {
            var instance = b.Instance;
            if (byName.TryGetValue(instance.Name, out var first))
            {
                context.Error(instance.Location, $"vrrp_instance '{instance.Name}' is already defined at {first.Location}");
                continue;
            }

            Resolve(context, b, global, scripts);
            byName.Add(instance.Name, instance);
            instances.Add(instance);
        }

        CheckUniqueVirtualRouters(context, instances);
        var groups = ValidateSyncGroups(context, builder.SyncGroups, byName, scripts);

        return new KeepalivedConfig
        {
            GlobalDefs = global,
            VrrpInstances = instances,
            VrrpScripts = scripts.Values.ToList(),
            VrrpSyncGroups = groups,
            VrrpTrackFiles = builder.TrackFiles.ToList(),
            VrrpTrackProcesses = builder.TrackProcesses.ToList(),
            Files = files.ToList(),
        };
    }

    /// <summary>
    /// keepalived's checks of preemption against the initial state and ownership (vrrp.c vrrp_complete_instance):
    /// the owner always preempts, nopreempt/preempt_delay do nothing for an initial MASTER, and preempt_delay does
    /// nothing with nopreempt; each is reported (failing <c>-t</c>) and undone.
    /// </summary>
    private static void ResolvePreemption(ParseContext context, VrrpInstance instance, string tag)
    {
        if (instance.Priority == VrrpInstanceKeywords.OwnerPriority && instance.NoPreempt)
        {
            context.Warning(instance.Location, $"{tag} nopreempt is incompatible with priority 255 (the address owner always preempts) - cleared");
            instance.NoPreempt = false;
        }

        if (instance.State == VrrpConfiguredState.Master)
        {
            if (instance.NoPreempt)
            {
                context.Warning(instance.Location, $"{tag} nopreempt does not work with initial state MASTER - cleared");
                instance.NoPreempt = false;
            }

            if (instance.PreemptDelay > TimeSpan.Zero)
            {
                context.Warning(instance.Location, $"{tag} preempt_delay does not work with initial state MASTER - cleared");
                instance.PreemptDelay = TimeSpan.Zero;
            }
        }

        if (instance.PreemptDelay > TimeSpan.Zero && instance.NoPreempt)
        {
            context.Warning(instance.Location, $"{tag} preempt_delay is incompatible with nopreempt - reset to 0");
            instance.PreemptDelay = TimeSpan.Zero;
        }
    }

    /// <summary>
    /// Authentication (vrrp.c vrrp_complete_instance): ignored with a report in strict mode and in VRRPv3 (RFC 5798
    /// has none); AH is refused (a KeepSharp rule: RFC 9568 has no authentication and AH for VRRP was never standardised).
    /// </summary>
    private static void ResolveAuthentication(ParseContext context, VrrpInstance instance, string tag)
    {
        if (StrictModeRules.ClearsAuthentication(context, instance, tag) || instance.Authentication is null)
        {
            return;
        }

        if (instance.Version == 3)
        {
            context.Warning(instance.Location, $"{tag} VRRP version 3 does not support authentication - ignored");
            instance.Authentication = null;
            return;
        }

        if (instance.Authentication.Type == VrrpAuthType.Ah)
        {
            context.Error(instance.Location,
                $"{tag} auth_type AH is not supported: RFC 9568 (VRRPv3) has no authentication, and AH for VRRPv2 was never standardised (RFC 3768 removed it); remove the authentication block or use auth_type PASS");
            instance.Authentication = null;
        }
    }

    /// <summary>The largest VRRPv3 interval: 4095 centiseconds (12-bit field).</summary>
    private const double MaxAdvertSecondsV3 = 40.95;

    /// <summary>
    /// Two instances of one family on one interface cannot share a VRID (RFC 5798 5.2.3 identifies a virtual
    /// router by VRID and family on a LAN); keepalived -t: "VI_1 and VI_2 both use VRID 51 with IPv4 on interface eth0".
    /// </summary>
    private static void CheckUniqueVirtualRouters(ParseContext context, List<VrrpInstance> instances)
    {
        var seen = new Dictionary<(string Interface, AddressFamily Family, byte Vrid), VrrpInstance>();
        foreach (var instance in instances.Where(i => i.VirtualRouterId != 0 && i.Interface.Length > 0))
        {
            var key = (instance.Interface, instance.AddressFamily, instance.VirtualRouterId);
            if (seen.TryGetValue(key, out var first))
            {
                string family = instance.AddressFamily == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
                context.Error(instance.Location,
                    $"vrrp_instance '{instance.Name}' and vrrp_instance '{first.Name}' ({first.Location}) both use VRID {instance.VirtualRouterId} with {family} on interface {instance.Interface}");
                continue;
            }

            seen.Add(key, instance);
        }
    }

    private static Dictionary<string, VrrpScript> ValidateScripts(ParseContext context, List<VrrpScript> scripts)
    {
        var result = new Dictionary<string, VrrpScript>(StringComparer.Ordinal);
        foreach (var script in scripts)
        {
            if (result.TryGetValue(script.Name, out var first))
            {
                context.Error(script.Location, $"vrrp_script '{script.Name}' is already defined at {first.Location}");
                continue;
            }

            if (script.Script.Length == 0)
            {
                // keepalived: "No script set for vrrp_script X - removing".
                context.Warning(script.Location, $"no script set for vrrp_script '{script.Name}' - removing it");
                continue;
            }

            result.Add(script.Name, script);
        }

        return result;
    }

    private static void Resolve(ParseContext context, VrrpInstanceBuilder b, GlobalDefs global, Dictionary<string, VrrpScript> scripts)
    {
        var instance = b.Instance;
        string tag = $"({instance.Name})";

        if (!b.HasVirtualRouterId)
        {
            context.Error(instance.Location, $"{tag} virtual_router_id is not set (required, 1..255)");
        }

        if (!b.HasInterface)
        {
            context.Error(instance.Location, $"{tag} interface is not set (required)");
        }

        // All addresses share the instance's family (the first address read decides).
        var family = b.Family ?? AddressFamily.InterNetwork;
        instance.AddressFamily = family;
        instance.StrictMode = b.StrictMode ?? global.VrrpStrict;

        // keepalived: an IPv6 instance without its own 'version' is VRRPv3 whatever vrrp_version says.
        instance.Version = b.Version ?? (family == AddressFamily.InterNetworkV6 ? 3 : global.VrrpVersion);
        StrictModeRules.Version(context, instance, tag);
        if (instance.Version == 2 && b.AdvertSeconds != Math.Floor(b.AdvertSeconds))
        {
            double rounded = Math.Max(1, Math.Round(b.AdvertSeconds, MidpointRounding.AwayFromZero));
            context.Warning(b.AdvertLocation ?? instance.Location,
                $"{tag} VRRPv2 advert_int {b.AdvertSeconds}s must be an integer - rounded to {rounded}s");
            instance.AdvertInterval = TimeSpan.FromSeconds(rounded);
        }

        if (instance.Version == 3 && b.AdvertSeconds > MaxAdvertSecondsV3)
        {
            // RFC 5798 5.2.7: Max Adver Int is 12 bits of centiseconds.
            context.Warning(b.AdvertLocation ?? instance.Location,
                $"{tag} VRRPv3 advert_int {b.AdvertSeconds}s is out of range (must be less than 40.96s) - set to {MaxAdvertSecondsV3}s");
            instance.AdvertInterval = TimeSpan.FromSeconds(MaxAdvertSecondsV3);
        }

        else if (instance.Version == 3 && Math.Abs(Math.Round(b.AdvertSeconds * 100) - (b.AdvertSeconds * 100)) > 1e-6)
        {
            double rounded = Math.Max(0.01, Math.Round(b.AdvertSeconds, 2, MidpointRounding.AwayFromZero));
            context.Warning(b.AdvertLocation ?? instance.Location,
                $"{tag} VRRPv3 advert_int {b.AdvertSeconds}s must be in units of 10ms - rounded to {rounded}s");
            instance.AdvertInterval = TimeSpan.FromSeconds(rounded);
        }

        // keepalived: without a priority, an initial MASTER is the owner (255); without a state, the owner starts as MASTER.
        if (!b.HasPriority)
        {
            instance.Priority = (byte)(b.HasState && instance.State == VrrpConfiguredState.Master
                ? VrrpInstanceKeywords.OwnerPriority : VrrpInstanceKeywords.DefaultPriority);
        }

        if (!b.HasState)
        {
            instance.State = instance.Priority == VrrpInstanceKeywords.OwnerPriority ? VrrpConfiguredState.Master : VrrpConfiguredState.Backup;
        }

        StrictModeRules.State(context, instance, tag);
        ResolveAuthentication(context, instance, tag);
        ResolvePreemption(context, instance, tag);
        instance.DownTimerAdverts = b.DownTimerAdverts ?? global.VrrpDownTimerAdverts;
        StrictModeRules.Timers(context, instance, tag);
        StrictModeRules.Accept(context, instance, b.Accept, tag);
        StrictModeRules.LowerPriority(context, b, global, tag);
        instance.V3ChecksumAsV2 = b.V3ChecksumAsV2 ?? global.V3ChecksumAsV2;
        instance.GarpInterval = global.VrrpGarpInterval;
        instance.GnaInterval = global.VrrpGnaInterval;
        if (instance.UseVmac)
        {
            // keepalived's create_vmac_name: "vrrp.VRID" (vmac_prefix is not modelled).
            instance.VmacName ??= $"vrrp.{instance.VirtualRouterId}";
        }

        instance.VirtualRoutes = b.VirtualRoutes.ToList();
        instance.VirtualRules = b.VirtualRules.ToList();

        instance.GarpMasterDelay = b.GarpMasterDelay ?? global.VrrpGarpMasterDelay;
        instance.GarpMasterRepeat = b.GarpMasterRepeat ?? global.VrrpGarpMasterRepeat;
        instance.GarpMasterRefresh = b.GarpMasterRefresh ?? global.VrrpGarpMasterRefresh;
        instance.GarpMasterRefreshRepeat = b.GarpMasterRefreshRepeat ?? global.VrrpGarpMasterRefreshRepeat;
        instance.SkipCheckAdvAddr = b.SkipCheckAdvAddr ?? global.VrrpSkipCheckAdvAddr;

        var vips = new List<VirtualIpAddress>();
        foreach (var vip in b.VirtualIpAddresses)
        {
            if (vip.Address.AddressFamily != family)
            {
                context.Warning(vip.Location, $"{tag} address family of {vip.Address} must match the VRRP instance - ignored");
                continue;
            }

            vips.Add(vip);
        }

        if (vips.Count == 0 && (instance.Version == 3 || instance.StrictMode))
        {
            // keepalived: "(VI) No VIP specified; at least one is required" (the instance is dropped).
            context.Error(instance.Location, $"{tag} no virtual IP address specified; VRRPv3 and strict mode require at least one");
        }
        else if (vips.Count == 0 && !b.InvalidVirtualIpAddresses)
        {
            context.Warning(instance.Location, $"{tag} no virtual IP address specified; at least one is sensible");
        }

        instance.VirtualIpAddresses = vips;
        instance.VirtualIpAddressesExcluded = b.VirtualIpAddressesExcluded.ToList();
        AdvertisedAddressLimit.Apply(context, instance);
        instance.TrackScripts = ResolveTracks(context, tag, b.TrackScripts, scripts);
        foreach (var own in b.TrackInterfaces.Where(t => t.Name == instance.Interface))
        {
            // keepalived: "Ignoring track_interface X since own interface".
            context.Warning(own.Location, $"{tag} track_interface {own.Name} is the instance's own interface (always tracked) - ignored");
        }

        b.TrackInterfaces.RemoveAll(t => t.Name == instance.Interface);
        instance.TrackInterfaceReferences = b.TrackInterfaces.ToList();
        instance.TrackInterfaces = b.TrackInterfaces.Select(t => t.Name).ToList();
        UnicastRules.Apply(context, b, global, tag);
        StrictModeRules.Unicast(context, instance, tag);
        StrictModeRules.FirstIpv6Address(context, instance, tag);
    }

    private static List<TrackScriptReference> ResolveTracks(ParseContext context, string tag, List<TrackScriptReference> tracks, Dictionary<string, VrrpScript> scripts)
    {
        var result = new List<TrackScriptReference>();
        foreach (var track in tracks)
        {
            if (!scripts.ContainsKey(track.Name))
            {
                // keepalived: "track script X not found, ignoring..."
                context.Warning(track.Location, $"{tag} track_script '{track.Name}' does not name a vrrp_script - ignored");
                continue;
            }

            result.Add(track);
        }

        return result;
    }

    private static List<VrrpSyncGroup> ValidateSyncGroups(ParseContext context, List<VrrpSyncGroupBuilder> builders, Dictionary<string, VrrpInstance> instances, Dictionary<string, VrrpScript> scripts)
    {
        var groups = new List<VrrpSyncGroup>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var b in builders)
        {
            var group = b.Group;
            if (!names.Add(group.Name))
            {
                context.Error(group.Location, $"vrrp_sync_group '{group.Name}' is already defined");
                continue;
            }

            var members = new List<string>();
            foreach (var (name, location) in b.Members)
            {
                if (!instances.TryGetValue(name, out var instance))
                {
                    context.Warning(location, $"vrrp_sync_group '{group.Name}': vrrp_instance '{name}' does not exist - ignored");
                }
                else if (instance.SyncGroup is { } other)
                {
                    context.Warning(location, $"vrrp_sync_group '{group.Name}': vrrp_instance '{name}' is already in sync group '{other}' - ignored");
                }
                else
                {
                    instance.SyncGroup = group.Name;
                    members.Add(name);
                }
            }

            if (members.Count < 2)
            {
                // keepalived: "Sync group G has only 1 virtual router(s) - this probably isn't what you want".
                context.Warning(group.Location, $"vrrp_sync_group '{group.Name}' has {members.Count} vrrp_instance(s) - a sync group needs at least 2");
            }

            group.Instances = members;
            group.TrackScripts = ResolveTracks(context, $"({group.Name})", b.TrackScripts, scripts);
            foreach (var name in members)
            {
                var member = instances[name];
                foreach (var tracked in group.TrackInterfaces)
                {
                    // vrrp.c add_vrrp_to_interface: a member already tracking it (its own interface too, unless
                    // dont_track_primary) is a configuration error.
                    if ((tracked.Name == member.Interface && !member.DontTrackPrimary) || member.TrackInterfaces.Contains(tracked.Name))
                    {
                        context.Error(tracked.Location, $"({name}) track_interface {tracked.Name} is configured on VRRP instance and sync group. Remove vrrp instance or sync group config");
                    }
                }
            }

            groups.Add(group);
        }

        return groups;
    }
}
