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

        var groups = ValidateSyncGroups(context, builder.SyncGroups, byName, scripts);

        return new KeepalivedConfig
        {
            GlobalDefs = global,
            VrrpInstances = instances,
            VrrpScripts = scripts.Values.ToList(),
            VrrpSyncGroups = groups,
            Files = files.ToList(),
        };
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

        instance.Version = b.Version ?? global.VrrpVersion;
        if (instance.Version == 2 && b.AdvertSeconds != Math.Floor(b.AdvertSeconds))
        {
            double rounded = Math.Max(1, Math.Round(b.AdvertSeconds, MidpointRounding.AwayFromZero));
            context.Warning(b.AdvertLocation ?? instance.Location,
                $"{tag} VRRPv2 advert_int {b.AdvertSeconds}s must be an integer - rounded to {rounded}s");
            instance.AdvertInterval = TimeSpan.FromSeconds(rounded);
        }

        instance.GarpMasterDelay = b.GarpMasterDelay ?? global.VrrpGarpMasterDelay;
        instance.GarpMasterRepeat = b.GarpMasterRepeat ?? global.VrrpGarpMasterRepeat;
        instance.GarpMasterRefresh = b.GarpMasterRefresh ?? global.VrrpGarpMasterRefresh;
        instance.GarpMasterRefreshRepeat = b.GarpMasterRefreshRepeat ?? global.VrrpGarpMasterRefreshRepeat;
        instance.SkipCheckAdvAddr = b.SkipCheckAdvAddr ?? global.VrrpSkipCheckAdvAddr;

        // All virtual_ipaddress entries share the instance's family (the first one decides).
        var vips = new List<VirtualIpAddress>();
        foreach (var vip in b.VirtualIpAddresses)
        {
            if (vips.Count > 0 && vip.Address.AddressFamily != vips[0].Address.AddressFamily)
            {
                context.Warning(vip.Location, $"{tag} address family of {vip.Address} must match the VRRP instance - ignored");
                continue;
            }

            vips.Add(vip);
        }

        if (vips.Count == 0 && !b.InvalidVirtualIpAddresses)
        {
            context.Warning(instance.Location, $"{tag} no virtual IP address specified; at least one is sensible");
        }

        instance.AddressFamily = vips.Count > 0 ? vips[0].Address.AddressFamily : AddressFamily.InterNetwork;
        instance.VirtualIpAddresses = vips;
        instance.VirtualIpAddressesExcluded = b.VirtualIpAddressesExcluded.ToList();
        AdvertisedAddressLimit.Apply(context, instance);
        instance.TrackScripts = ResolveTracks(context, tag, b.TrackScripts, scripts);
        instance.TrackInterfaceReferences = b.TrackInterfaces.ToList();
        instance.TrackInterfaces = b.TrackInterfaces.Select(t => t.Name).ToList();
        instance.UnicastPeers = b.UnicastPeers.ToList();
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

            group.Instances = members;
            group.TrackScripts = ResolveTracks(context, $"({group.Name})", b.TrackScripts, scripts);
            groups.Add(group);
        }

        return groups;
    }
}
