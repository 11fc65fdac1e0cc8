namespace KeepSharp.Config;

/// <summary>
/// The notify scripts of a <c>vrrp_instance</c> or <c>vrrp_sync_group</c>: the generic <c>notify</c> (run with
/// <c>INSTANCE|GROUP NAME STATE PRIORITY</c> appended) and the state-specific ones (run with no extra argument).
/// keepalived keeps the first of a repeated keyword ("already specified - ignoring").
/// </summary>
public sealed class NotifyScripts
{
    /// <summary><c>notify</c>.</summary>
    public NotifyScriptLine? Generic { get; set; }

    public NotifyScriptLine? Master { get; set; }

    public NotifyScriptLine? Backup { get; set; }

    public NotifyScriptLine? Fault { get; set; }

    public NotifyScriptLine? Stop { get; set; }

    /// <summary><c>notify_master_rx_lower_pri</c> (instances only).</summary>
    public NotifyScriptLine? MasterRxLowerPri { get; set; }

    /// <summary>True when any script is configured (keepalived's <c>notify_exec</c>).</summary>
    public bool Any => Generic is not null || Master is not null || Backup is not null || Fault is not null || Stop is not null
        || MasterRxLowerPri is not null;
}
