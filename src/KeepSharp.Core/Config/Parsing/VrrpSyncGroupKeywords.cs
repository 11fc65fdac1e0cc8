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
        .On("track_interface", (c, b, s) =>
        {
            var entries = new List<TrackInterfaceReference>(b.Group.TrackInterfaces);
            VrrpInstanceKeywords.TrackInterfaceEntries(c, s, entries);
            b.Group.TrackInterfaces = entries;
        })
        .On("sync_group_tracking_weight", (c, b, s) => b.Group.SyncGroupTrackingWeight = true)
        .On("track_file", (c, b, s) => b.Group.TrackFiles = VrrpTrackFileKeywords.Entries(c, s, b.Group.Name, b.Group.TrackFiles))
        .On("track_process", (c, b, s) => b.Group.TrackProcesses = VrrpTrackProcessKeywords.Entries(c, s, b.Group.Name, b.Group.TrackProcesses))
        .On("notify", (c, b, s) => { if (TryArg(c, s, out _)) { b.Group.Notify = s.JoinedArgs; NotifyLineParsers.Script(c, s, $"vrrp group {b.Group.Name}: ", b.Group.NotifyScripts.Generic, l => b.Group.NotifyScripts.Generic = l); } })
        .On("notify_master", (c, b, s) => { if (TryArg(c, s, out _)) { b.Group.NotifyMaster = s.JoinedArgs; NotifyLineParsers.Script(c, s, $"vrrp group {b.Group.Name}: ", b.Group.NotifyScripts.Master, l => b.Group.NotifyScripts.Master = l); } })
        .On("notify_backup", (c, b, s) => { if (TryArg(c, s, out _)) { b.Group.NotifyBackup = s.JoinedArgs; NotifyLineParsers.Script(c, s, $"vrrp group {b.Group.Name}: ", b.Group.NotifyScripts.Backup, l => b.Group.NotifyScripts.Backup = l); } })
        .On("notify_fault", (c, b, s) => { if (TryArg(c, s, out _)) { b.Group.NotifyFault = s.JoinedArgs; NotifyLineParsers.Script(c, s, $"vrrp group {b.Group.Name}: ", b.Group.NotifyScripts.Fault, l => b.Group.NotifyScripts.Fault = l); } })
        .On("notify_stop", (c, b, s) => { if (TryArg(c, s, out _)) { b.Group.NotifyStop = s.JoinedArgs; NotifyLineParsers.Script(c, s, $"vrrp group {b.Group.Name}: ", b.Group.NotifyScripts.Stop, l => b.Group.NotifyScripts.Stop = l); } })
        .On("notify_priority_changes", (c, b, s) => { if (TryFlag(c, s, out var v)) { b.Group.NotifyPriorityChanges = v; } })
        .Ignore("smtp_alert", "global_tracking", "track_file",
            "track_process", "track_bfd");
}
