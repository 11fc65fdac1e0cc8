namespace KeepSharp.Vrrp.StateMachine;

/// <summary>The states of a virtual router (RFC 3768 §6.4), plus keepalived's FAULT.</summary>
public enum VrrpState : byte
{
    Initialize,
    Backup,
    Master,
    /// <summary>Not participating: the interface is down, a tracker failed, or the sync group is in FAULT (<see cref="VrrpFaultReasons"/>).</summary>
    Fault,
}
