using KeepSharp.Vrrp;

namespace KeepSharp.Vrrp.StateMachine;

/// <summary>
/// What a <see cref="VrrpRouter"/> asks the outside world to do. The router passes itself so one
/// implementation can serve every instance without per-call allocation. Implementations must not call
/// back into the router; whoever must react to a router with commands (a sync group) observes it through
/// <see cref="VrrpTransitionQueue"/> instead, after the transition has completed.
/// </summary>
public interface IVrrpRouterActions
{
    /// <summary>Send one advertisement with <paramref name="priority"/> (0 when resigning).</summary>
    void SendAdvertisement(VrrpRouter router, byte priority);

    /// <summary>Install the virtual addresses (becoming master).</summary>
    void AddVirtualAddresses(VrrpRouter router);

    /// <summary>Remove the virtual addresses (leaving master).</summary>
    void RemoveVirtualAddresses(VrrpRouter router);

    /// <summary>Announce every virtual address <paramref name="repeat"/> times (gratuitous ARP / unsolicited NA).</summary>
    void SendGratuitousAnnouncements(VrrpRouter router, int repeat);

    /// <summary>
    /// The router moved from <paramref name="from"/> to <paramref name="to"/>: keepalived's
    /// <c>send_instance_notifies</c> point (notify_master/backup/fault/stop, the notify FIFO); see
    /// <see cref="Notification.VrrpNotification.ForInstance"/>. Called in transition order.
    /// </summary>
    void StateChanged(VrrpRouter router, VrrpState from, VrrpState to, VrrpTransitionReason reason);

    /// <summary>
    /// The effective priority changed (keepalived's <c>vrrp_set_effective_priority</c>: "Changing effective
    /// priority from X to Y"; with <c>notify_priority_changes</c> a MASTER_PRIORITY/BACKUP_PRIORITY FIFO event).
    /// </summary>
    void PriorityChanged(VrrpRouter router, byte from, byte to);

    /// <summary>
    /// As master, an advertisement with a lower priority arrived (keepalived's <c>vrrp_state_master_rx</c>:
    /// "Received advert from X with lower priority", <c>notify_master_rx_lower_pri</c>).
    /// </summary>
    void MasterReceivedLowerPriority(VrrpRouter router, VrrpAddress source, byte priority);
}
