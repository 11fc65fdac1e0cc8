using static KeepSharp.Config.Parsing.ValueParsers;

namespace KeepSharp.Config.Parsing;

/// <summary>Keywords of <c>vrrp_sync_group NAME { group { ... } ... }</c>.</summary>
internal static class VrrpSyncGroupKeywords
{
    public static KeywordTable<VrrpSyncGroupBuilder> Table { get; } = new KeywordTable<VrrpSyncGroupBuilder>("vrrp_sync_group")
        .On("group", (c, b, s) =>
        {
            if (BlockHelpers.TryBlock(c, s, out _))
            {
                b.Members.AddRange(BlockHelpers.ListEntries(s));
            }
        })
        .On("track_script", (c, b, s) =>
        {
            if (BlockHelpers.TryBlock(c, s, out var block))
            {
                foreach (var entry in block)
                {
                    if (TryWeight(c, entry, 0, 254, out var weight, out var reverse))
                    {
                        b.TrackScripts.Add(new TrackScriptReference(entry.Name, weight, entry.Location) { WeightReverse = reverse });
                    }
                }
            }
        })
        .On("notify", (c, b, s) => { if (TryArg(c, s, out _)) { b.Group.Notify = s.JoinedArgs; } })
        .On("notify_master", (c, b, s) => { if (TryArg(c, s, out _)) { b.Group.NotifyMaster = s.JoinedArgs; } })
        .On("notify_backup", (c, b, s) => { if (TryArg(c, s, out _)) { b.Group.NotifyBackup = s.JoinedArgs; } })
        .On("notify_fault", (c, b, s) => { if (TryArg(c, s, out _)) { b.Group.NotifyFault = s.JoinedArgs; } })
        .On("notify_stop", (c, b, s) => { if (TryArg(c, s, out _)) { b.Group.NotifyStop = s.JoinedArgs; } })
        .On("sync_group_tracking_weight", (c, b, s) => b.Group.SyncGroupTrackingWeight = true)
        .Ignore("smtp_alert", "global_tracking", "track_interface", "track_file",
            "track_process", "track_bfd", "notify_priority_changes");
}
