namespace KeepSharp.Config.Parsing;

/// <summary>Top-level keywords: the VRRP blocks are parsed, the other keepalived blocks accepted and skipped.</summary>
internal static class TopLevelKeywords
{
    public static KeywordTable<ConfigBuilder> Table { get; } = new KeywordTable<ConfigBuilder>("the top level")
        .On("global_defs", (c, b, s) =>
        {
            if (BlockHelpers.TryBlock(c, s, out var block))
            {
                GlobalDefsKeywords.Table.Apply(c, b, block);
            }
        })
        .On("vrrp_instance", (c, b, s) =>
        {
            if (BlockHelpers.TryName(c, s, out var name) & BlockHelpers.TryBlock(c, s, out var block) && name.Length > 0)
            {
                var instance = new VrrpInstanceBuilder(new VrrpInstance(name, s.Location));
                VrrpInstanceKeywords.Table.Apply(c, instance, block);
                instance.Instance.KeywordLocations = block.GroupBy(k => k.Name, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Last().Location, StringComparer.Ordinal);
                b.Instances.Add(instance);
            }
        })
        .On("vrrp_script", (c, b, s) =>
        {
            if (BlockHelpers.TryName(c, s, out var name) & BlockHelpers.TryBlock(c, s, out var block) && name.Length > 0)
            {
                var script = new VrrpScript(name, s.Location);
                VrrpScriptKeywords.Table.Apply(c, script, block);
                b.Scripts.Add(script);
            }
        })
        .On("vrrp_sync_group", (c, b, s) =>
        {
            if (BlockHelpers.TryName(c, s, out var name) & BlockHelpers.TryBlock(c, s, out var block) && name.Length > 0)
            {
                var group = new VrrpSyncGroupBuilder(new VrrpSyncGroup(name, s.Location));
                VrrpSyncGroupKeywords.Table.Apply(c, group, block);
                b.SyncGroups.Add(group);
            }
        })
        .On(["track_file", "vrrp_track_file"], VrrpTrackFileKeywords.Declaration)
        .On("vrrp_track_process", VrrpTrackProcessKeywords.Declaration)
        .On(["virtual_server", "virtual_server_group"], Lvs)
        .Ignore(
            // keepalived blocks outside the VRRP half (BFD, static addresses/routes, trackers): skipped.
            "static_ipaddress", "static_routes", "static_rules",
            "linkbeat_interfaces", "track_group", "vrrp_track_file", "track_file", "vrrp_track_process", "track_process",
            "bfd_instance", "garp_group", "net_namespace", "net_namespace_ipvs", "namespace_with_ipsets", "instance",
            "use_pid_dir", "linkbeat_use_polling", "child_wait_time", "vrrp_garp_extra_if", "include_check",
            "lvs_sync_daemon", "vrrp_group");

    /// <summary>
    /// keepalived's LVS half (<c>virtual_server</c> with its <c>real_server</c>s and health checkers,
    /// <c>virtual_server_group</c>) is outside KeepSharp: reported by name and line and skipped. The warning does not fail
    /// <c>-t</c>: a keepalived.conf with both halves is valid, and its VRRP half is what KeepSharp runs.
    /// </summary>
    private static void Lvs(ParseContext context, ConfigBuilder builder, ConfigStatement statement)
    {
        int realServers = (statement.Block ?? []).Count(s => s.Name == "real_server");
        string detail = realServers > 0 ? $" (with {realServers} real_server{(realServers == 1 ? "" : "s")})" : "";
        context.Warning(statement.Location, $"{statement.Header}{detail} (LVS) is not supported by KeepSharp - ignored", failsConfigTest: false);
    }
}
