namespace KeepSharp.Vrrp.StateMachine;

/// <summary>Why a virtual router changed state; the daemon turns this into keepalived-style log lines.</summary>
public enum VrrpTransitionReason : byte
{
    /// <summary>Startup event: a non-owner waits as backup (RFC 3768 §6.4.1).</summary>
    Startup,
    /// <summary>Startup event with priority 255: the address owner becomes master at once.</summary>
    AddressOwner,
    /// <summary>Master_Down_Timer fired: no advertisement for Master_Down_Interval.</summary>
    MasterDownTimer,
    /// <summary>Master_Down_Timer, shortened to Skew_Time by a priority-0 advertisement, fired.</summary>
    MasterStopped,
    /// <summary>A master heard an advertisement with a higher priority (or an equal one from a higher address).</summary>
    HigherPriorityAdvertisement,
    /// <summary>Shutdown event.</summary>
    Shutdown,
    /// <summary>The interface lost its carrier or went administratively down.</summary>
    InterfaceDown,
    /// <summary>The interface came back.</summary>
    InterfaceUp,
    /// <summary>A tracker (track_script, track_interface, track_file, track_process) put the instance in FAULT.</summary>
    TrackingFault,
    /// <summary>The last fault reason cleared: the instance rejoins (keepalived's <c>try_up_instance</c>).</summary>
    TrackingRecovered,
    /// <summary>The <c>vrrp_sync_group</c> moved this member with another one (vrrp_sync.c).</summary>
    SyncGroup,
}
