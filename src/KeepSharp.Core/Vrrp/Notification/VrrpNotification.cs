using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Sync;

namespace KeepSharp.Vrrp.Notification;

/// <summary>Whose state a <see cref="VrrpNotification"/> reports (keepalived's "INSTANCE" or "GROUP").</summary>
public enum VrrpNotificationTarget : byte
{
    Instance,
    Group,
}

/// <summary>The event of a <see cref="VrrpNotification"/>, as keepalived's notify scripts and FIFO name it.</summary>
public enum VrrpNotificationEvent : byte
{
    Master,
    Backup,
    Fault,
    /// <summary>Stopped (shutdown): notify_stop.</summary>
    Stop,
    /// <summary>A master received a lower-priority advert: notify_master_rx_lower_pri, FIFO "MASTER_RX_LOWER_PRI".</summary>
    MasterReceivedLowerPriority,
    /// <summary>notify_priority_changes as master: FIFO "MASTER_PRIORITY".</summary>
    MasterPriority,
    /// <summary>notify_priority_changes otherwise: FIFO "BACKUP_PRIORITY".</summary>
    BackupPriority,
}

/// <summary>
/// One notification as keepalived's vrrp_notify.c produces it: the generic <c>notify</c> script runs as
/// <c>script INSTANCE|GROUP NAME MASTER|BACKUP|FAULT|STOP PRIORITY</c> (<c>notify_script_exec</c>; a group's
/// priority is 0), the FIFO gets <c>INSTANCE "NAME" STATE PRIORITY</c> (<c>notify_fifo</c>), and the state
/// picks notify_master/notify_backup/notify_fault/notify_stop (<c>get_iscript</c>, <c>get_gscript</c>).
/// Built by the daemon from <see cref="IVrrpRouterActions.StateChanged"/>,
/// <see cref="IVrrpRouterActions.MasterReceivedLowerPriority"/>, <see cref="IVrrpRouterActions.PriorityChanged"/>
/// and <see cref="ISyncGroupActions.GroupStateChanged"/>, which arrive in transition order.
/// </summary>
public readonly record struct VrrpNotification(VrrpNotificationTarget Target, string Name, VrrpNotificationEvent Event, byte Priority)
{
    /// <summary>An instance entered <paramref name="to"/> (<see cref="VrrpState.Initialize"/> after a shutdown is STOP).</summary>
    public static VrrpNotification ForInstance(VrrpRouter router, VrrpState to) =>
        new(VrrpNotificationTarget.Instance, router.Name, EventOf(to), router.Priority);

    /// <summary>A group entered <paramref name="to"/>; keepalived passes priority 0 for groups.</summary>
    public static VrrpNotification ForGroup(SyncGroup group, VrrpState to) =>
        new(VrrpNotificationTarget.Group, group.Name, EventOf(to), 0);

    /// <summary>keepalived's <c>send_event_notify(vrrp, VRRP_EVENT_MASTER_RX_LOWER_PRI)</c>.</summary>
    public static VrrpNotification ForLowerPriorityAdvert(VrrpRouter router) =>
        new(VrrpNotificationTarget.Instance, router.Name, VrrpNotificationEvent.MasterReceivedLowerPriority, router.Priority);

    /// <summary>keepalived's <c>send_instance_priority_notifies</c>.</summary>
    public static VrrpNotification ForPriorityChange(VrrpRouter router) =>
        new(VrrpNotificationTarget.Instance, router.Name,
            router.State == VrrpState.Master ? VrrpNotificationEvent.MasterPriority : VrrpNotificationEvent.BackupPriority, router.Priority);

    /// <summary>"INSTANCE" or "GROUP".</summary>
    public string TargetWord => Target == VrrpNotificationTarget.Group ? "GROUP" : "INSTANCE";

    /// <summary>The state word of the notify script and FIFO.</summary>
    public string EventWord => Event switch
    {
        VrrpNotificationEvent.Master => "MASTER",
        VrrpNotificationEvent.Backup => "BACKUP",
        VrrpNotificationEvent.Fault => "FAULT",
        VrrpNotificationEvent.Stop => "STOP",
        VrrpNotificationEvent.MasterReceivedLowerPriority => "MASTER_RX_LOWER_PRI",
        VrrpNotificationEvent.MasterPriority => "MASTER_PRIORITY",
        _ => "BACKUP_PRIORITY",
    };

    /// <summary>True for the events that run the generic <c>notify</c> script (state changes only).</summary>
    public bool IsStateChange => Event is VrrpNotificationEvent.Master or VrrpNotificationEvent.Backup
        or VrrpNotificationEvent.Fault or VrrpNotificationEvent.Stop;

    /// <summary>The four arguments keepalived appends to the generic <c>notify</c> script.</summary>
    public string[] NotifyArguments() => [TargetWord, Name, EventWord, Priority.ToString(System.Globalization.CultureInfo.InvariantCulture)];

    /// <summary>The line written to <c>notify_fifo</c> / <c>vrrp_notify_fifo</c>, newline included.</summary>
    public string FifoLine() => $"{TargetWord} \"{Name}\" {EventWord} {Priority}\n";

    private static VrrpNotificationEvent EventOf(VrrpState state) => state switch
    {
        VrrpState.Master => VrrpNotificationEvent.Master,
        VrrpState.Backup => VrrpNotificationEvent.Backup,
        VrrpState.Fault => VrrpNotificationEvent.Fault,
        _ => VrrpNotificationEvent.Stop,
    };
}
