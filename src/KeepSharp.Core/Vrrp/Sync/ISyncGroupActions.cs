using KeepSharp.Vrrp.StateMachine;

namespace KeepSharp.Vrrp.Sync;

/// <summary>What a <see cref="SyncGroup"/> asks the outside world to do.</summary>
public interface ISyncGroupActions
{
    /// <summary>
    /// The group moved to <paramref name="to"/> (keepalived's <c>send_group_notifies</c>: the group's
    /// notify_master/backup/fault/stop and "GROUP name STATE 0"; <see cref="VrrpState.Initialize"/> is STOP).
    /// Called after the members' own transitions, as keepalived notifies the group last.
    /// </summary>
    void GroupStateChanged(SyncGroup group, VrrpState from, VrrpState to);
}
