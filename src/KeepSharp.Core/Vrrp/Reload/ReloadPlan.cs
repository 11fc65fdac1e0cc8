namespace KeepSharp.Vrrp.Reload;

/// <summary>What happens to one instance at reload.</summary>
public enum ReloadAction
{
    /// <summary>Identical: the running instance goes on untouched (state, addresses, timers).</summary>
    Keep,
    /// <summary>Matched and changed in place: the state is kept, the changes applied (a VIP list as a diff).</summary>
    Update,
    /// <summary>Matched, but its link changed (<c>use_vmac</c>): the old one resigns, the new one starts.</summary>
    Replace,
    /// <summary>Gone from the configuration: it resigns (priority 0) and releases its addresses.</summary>
    Remove,
    /// <summary>New: it starts.</summary>
    Add,
}

/// <summary>One instance's step: <paramref name="Old"/> (index into the running instances) and/or <paramref name="New"/> (into the new configuration's).</summary>
public sealed record ReloadStep(ReloadAction Action, InstanceIdentity Identity, int? Old, int? New, InstanceChanges Changes)
{
    public override string ToString() => Action switch
    {
        ReloadAction.Keep => $"{Identity}: unchanged",
        ReloadAction.Add => $"{Identity}: new",
        ReloadAction.Remove => $"{Identity}: removed",
        _ => $"{Identity}: {Action.ToString().ToLowerInvariant()} ({Changes})",
    };
}

/// <summary>The steps of a reload, in order: removals first (their addresses may move to an added instance), then updates, then additions.</summary>
public sealed record ReloadPlan(IReadOnlyList<ReloadStep> Steps)
{
    public IEnumerable<ReloadStep> Of(ReloadAction action) => Steps.Where(s => s.Action == action);

    public bool ChangesNothing => Steps.All(s => s.Action == ReloadAction.Keep);
}
