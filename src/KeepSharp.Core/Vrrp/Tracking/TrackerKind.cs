using KeepSharp.Vrrp.StateMachine;

namespace KeepSharp.Vrrp.Tracking;

/// <summary>What a tracked object watches; each kind maps to one <see cref="VrrpFaultReasons"/> flag.</summary>
public enum TrackerKind : byte
{
    /// <summary><c>track_script</c> of a <c>vrrp_script</c>.</summary>
    Script,
    /// <summary><c>track_interface</c>.</summary>
    Interface,
    /// <summary><c>track_file</c> of a <c>vrrp_track_file</c>: an integer read from a file.</summary>
    File,
    /// <summary><c>track_process</c> of a <c>vrrp_track_process</c>: a process count within a quorum.</summary>
    Process,
}

/// <summary>The last known result of a script, interface or process tracker.</summary>
public enum TrackerStatus : byte
{
    /// <summary>No result yet (keepalived's SCRIPT_INIT_STATE_INIT): a weighted tracker adds nothing.</summary>
    Unknown,
    /// <summary>Succeeding: the script passed (after <c>rise</c>), the interface is up, the process count is within quorum.</summary>
    Up,
    /// <summary>Failing.</summary>
    Down,
}
