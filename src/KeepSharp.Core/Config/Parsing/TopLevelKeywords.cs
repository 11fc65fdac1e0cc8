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
        .Ignore(
            // keepalived blocks outside the VRRP half (LVS, BFD, static addresses/routes, trackers): skipped.
            "virtual_server", "virtual_server_group", "static_ipaddress", "static_routes", "static_rules",
            "linkbeat_interfaces", "track_group", "vrrp_track_file", "track_file", "vrrp_track_process", "track_process",
            "bfd_instance", "garp_group", "net_namespace", "net_namespace_ipvs", "namespace_with_ipsets", "instance",
            "use_pid_dir", "linkbeat_use_polling", "child_wait_time", "vrrp_garp_extra_if", "include_check",
            "lvs_sync_daemon", "vrrp_group");
}
