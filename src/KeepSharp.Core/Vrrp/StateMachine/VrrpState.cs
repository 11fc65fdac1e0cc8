namespace KeepSharp.Vrrp.StateMachine;

/// <summary>The states of a virtual router (RFC 3768 §6.4), plus keepalived's FAULT.</summary>
public enum VrrpState : byte
{
    Initialize,
    Backup,
    Master,
    /// <summary>The interface is down (or, later, a tracked resource failed): not participating.</summary>
    Fault,
}
