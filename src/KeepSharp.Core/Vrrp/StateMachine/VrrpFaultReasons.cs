namespace KeepSharp.Vrrp.StateMachine;

/// <summary>
/// Why a virtual router is in FAULT. keepalived counts these in <c>num_script_if_fault</c> (vrrp_track.c
/// <c>down_instance</c>, vrrp_scheduler.c <c>try_up_instance</c>): the instance leaves FAULT only when no
/// reason is left. Each flag stands for one source; how many trackers of that kind fail is counted by
/// whoever owns the flag (<see cref="Tracking.InstanceTracking"/> for the tracker flags).
/// </summary>
[Flags]
public enum VrrpFaultReasons
{
    None = 0,

    /// <summary>The instance's own interface is down (<see cref="VrrpRouter.InterfaceDown"/>): no advert can leave it.</summary>
    Interface = 1 << 0,

    /// <summary>A <c>track_interface</c> with weight 0 is down (or up, with <c>reverse</c>).</summary>
    TrackedInterface = 1 << 1,

    /// <summary>A <c>track_script</c> with weight 0 failed (or succeeded, with <c>reverse</c>), or has not reported yet.</summary>
    Script = 1 << 2,

    /// <summary>A <c>track_file</c> says fault: weight 0 and a non-zero value, or value × weight ≤ −254.</summary>
    File = 1 << 3,

    /// <summary>A <c>track_process</c> with weight 0 lost its quorum (or gained it, with <c>reverse</c>).</summary>
    Process = 1 << 4,

    /// <summary>Another member of the <c>vrrp_sync_group</c> is in FAULT (keepalived's <c>vrrp_sync_fault</c>).</summary>
    SyncGroup = 1 << 5,
    /// <summary><c>unicast_fault_no_peer</c> with no <c>unicast_peer</c>: the instance has nobody to advertise to (keepalived's VRRP_FLAG_UNICAST_FAULT_NO_PEERS).</summary>
    NoUnicastPeers = 1 << 6,

    /// <summary>The flags <see cref="Tracking.InstanceTracking"/> manages.</summary>
    Trackers = TrackedInterface | Script | File | Process,
}
