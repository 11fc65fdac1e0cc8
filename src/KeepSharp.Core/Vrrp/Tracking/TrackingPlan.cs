using KeepSharp.Config;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Vrrp.Tracking;

/// <summary>
/// Which trackers an instance follows, with which weights, by keepalived's configuration rules
/// (vrrp.c <c>vrrp_complete_instance</c> and <c>sync_group_tracking_init</c>, vrrp_track.c
/// <c>alloc_track_script</c>):
/// <list type="bullet">
/// <item>A <c>track_script</c> entry without <c>weight</c> takes the <c>vrrp_script</c>'s weight and
/// <c>reverse</c>.</item>
/// <item>A member of a sync group without <c>sync_group_tracking_weight</c>, or the address owner (255), runs
/// no floating priority: weighted scripts are dropped; weighted interfaces become fault-only in a sync group
/// (dropped for the owner); files with the default weight 1 become fault-only, other weighted files are
/// dropped. (keepalived 2.2.7 leaves tracked processes alone here.)</item>
/// <item>The sync group's own trackers are added to every member with their weights, cleared to 0 when a
/// member is the address owner.</item>
/// </list>
/// </summary>
public static class TrackingPlan
{
    /// <summary>The default weight of a tracked file (keepalived's <c>vrrp_track_file</c> weight 1).</summary>
    public const int DefaultFileWeight = 1;

    /// <param name="basePriority">The instance's configured priority.</param>
    /// <param name="own">Trackers configured on the instance.</param>
    /// <param name="group">Trackers configured on its sync group (empty if none).</param>
    /// <param name="inSyncGroup">The instance is a member of a sync group.</param>
    /// <param name="syncGroupTrackingWeight">The group has <c>sync_group_tracking_weight</c>.</param>
    /// <param name="groupHasAddressOwner">A member of the group has priority 255.</param>
    /// <param name="ignored">Receives a line for each tracker dropped or changed, as keepalived reports it.</param>
    public static IReadOnlyList<TrackedObject> ForInstance(
        byte basePriority,
        IEnumerable<TrackedObject> own,
        IEnumerable<TrackedObject> group,
        bool inSyncGroup,
        bool syncGroupTrackingWeight,
        bool groupHasAddressOwner,
        ICollection<string>? ignored = null)
    {
        bool owner = basePriority == VrrpWire.PriorityOwner;
        bool unweighted = inSyncGroup && !syncGroupTrackingWeight;
        var result = new List<TrackedObject>();
        foreach (TrackedObject t in own)
        {
            if ((!unweighted && !owner) || t.Weight == 0 || t.Kind == TrackerKind.Process)
            {
                result.Add(t);
                continue;
            }
            string why = unweighted ? "SYNC group" : "address owner";
            switch (t.Kind)
            {
                case TrackerKind.Interface when unweighted:
                    ignored?.Add($"ignoring {t.Name} tracked interface weight due to {why}");
                    result.Add(t with { Weight = 0 });
                    break;
                case TrackerKind.File when t.Weight == DefaultFileWeight:
                    ignored?.Add($"ignoring weight from tracked file {t.Name} due to {why}. specify weight 0");
                    result.Add(t with { Weight = 0 });
                    break;
                default:
                    ignored?.Add($"ignoring tracked {t.Kind.ToString().ToLowerInvariant()} {t.Name} with weight {t.Weight} due to {why}");
                    break;
            }
        }
        foreach (TrackedObject t in group)
        {
            if (groupHasAddressOwner && t.Weight != 0)
            {
                ignored?.Add($"Cannot have weighted track {t.Kind.ToString().ToLowerInvariant()} '{t.Name}' with member having priority 255 - clearing weight");
                result.Add(t with { Weight = 0 });
            }
            else
            {
                result.Add(t);
            }
        }
        return result;
    }

    /// <summary>
    /// The plan for <paramref name="instance"/> from the configuration model: its <c>track_script</c>,
    /// <c>track_interface</c>, <c>track_file</c> and <c>track_process</c>, and its sync group's <c>track_script</c>,
    /// <c>track_interface</c>, <c>track_file</c> and <c>track_process</c>.
    /// </summary>
    /// <param name="syncGroupTrackingWeight">The group's <c>sync_group_tracking_weight</c> (not in the model yet).</param>
    public static IReadOnlyList<TrackedObject> FromConfig(
        VrrpInstance instance, KeepalivedConfig config, bool syncGroupTrackingWeight = false, ICollection<string>? ignored = null)
    {
        VrrpSyncGroup? group = config.VrrpSyncGroups.FirstOrDefault(g => g.Instances.Contains(instance.Name));
        var own = new List<TrackedObject>();
        foreach (TrackScriptReference reference in instance.TrackScripts)
        {
            if (ScriptTracker(reference, config) is { } tracked && !own.Contains(tracked))
                own.Add(tracked);
        }
        foreach (TrackInterfaceReference reference in instance.TrackInterfaceReferences)
            own.Add(new TrackedObject(TrackerKind.Interface, reference.Name, reference.Weight ?? 0, reference.WeightReverse));
        own.AddRange(FileAndProcessTrackers(instance.TrackFiles, instance.TrackProcesses));
        var shared = new List<TrackedObject>();
        bool groupHasOwner = false;
        if (group is not null)
        {
            foreach (TrackScriptReference reference in group.TrackScripts)
            {
                if (ScriptTracker(reference, config) is { } tracked)
                    shared.Add(tracked);
            }
            // vrrp.c sync_group_tracking_init: the group's tracked interfaces go to every member with their weight.
            foreach (TrackInterfaceReference reference in group.TrackInterfaces)
                shared.Add(new TrackedObject(TrackerKind.Interface, reference.Name, reference.Weight ?? 0, reference.WeightReverse));
            shared.AddRange(FileAndProcessTrackers(group.TrackFiles, group.TrackProcesses));
            groupHasOwner = config.VrrpInstances.Any(i => group.Instances.Contains(i.Name) && i.Priority == VrrpWire.PriorityOwner);
        }
        return ForInstance(instance.Priority, own, shared, group is not null, syncGroupTrackingWeight, groupHasOwner, ignored);
    }

    /// <summary>track_file and track_process entries: their weights were resolved when the entries were read.</summary>
    private static IEnumerable<TrackedObject> FileAndProcessTrackers(IEnumerable<TrackFileReference> files, IEnumerable<TrackProcessReference> processes) =>
        files.Select(f => new TrackedObject(TrackerKind.File, f.Name, f.Weight, f.WeightReverse))
            .Concat(processes.Select(p => new TrackedObject(TrackerKind.Process, p.Name, p.Weight, p.WeightReverse)));

    /// <summary>alloc_track_script: the entry's weight, else the script's; <c>reverse</c> from the entry, else the script's.</summary>
    private static TrackedObject? ScriptTracker(TrackScriptReference reference, KeepalivedConfig config)
    {
        VrrpScript? script = config.VrrpScripts.FirstOrDefault(s => s.Name == reference.Name);
        if (script is null)
            return null; // "track script %s not found, ignoring..."
        return reference.Weight is int weight
            ? new TrackedObject(TrackerKind.Script, script.Name, weight, reference.WeightReverse || script.WeightReverse)
            : new TrackedObject(TrackerKind.Script, script.Name, script.Weight, script.WeightReverse);
    }
}
