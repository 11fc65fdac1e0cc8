namespace KeepSharp.Vrrp.Reload;

/// <summary>
/// The pure part of a reload: running instances against the new configuration's, matched by
/// <see cref="InstanceIdentity"/> as keepalived matches them (<c>vrrp_exist</c>), each classified as kept, updated,
/// replaced, removed or added.
/// </summary>
public static class ReloadDiff
{
    public static ReloadPlan Diff(IReadOnlyList<InstanceSpec> running, IReadOnlyList<InstanceSpec> next)
    {
        var byIdentity = new Dictionary<InstanceIdentity, int>();
        for (int i = 0; i < running.Count; i++)
            byIdentity.TryAdd(running[i].Identity, i);
        var matched = new HashSet<int>();
        var removals = new List<ReloadStep>();
        var updates = new List<ReloadStep>();
        var additions = new List<ReloadStep>();
        for (int n = 0; n < next.Count; n++)
        {
            InstanceSpec spec = next[n];
            if (!byIdentity.TryGetValue(spec.Identity, out int o) || !matched.Add(o))
            {
                additions.Add(new ReloadStep(ReloadAction.Add, spec.Identity, null, n, InstanceChanges.None));
                continue;
            }
            InstanceChanges changes = running[o].Compare(spec);
            ReloadAction action = changes == InstanceChanges.None ? ReloadAction.Keep
                : changes.HasFlag(InstanceChanges.Link) ? ReloadAction.Replace
                : ReloadAction.Update;
            updates.Add(new ReloadStep(action, spec.Identity, o, n, changes));
        }
        for (int o = 0; o < running.Count; o++)
        {
            if (!matched.Contains(o))
                removals.Add(new ReloadStep(ReloadAction.Remove, running[o].Identity, o, null, InstanceChanges.None));
        }
        return new ReloadPlan([.. removals, .. updates, .. additions]);
    }
}
