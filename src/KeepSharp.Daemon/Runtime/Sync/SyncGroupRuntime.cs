using KeepSharp.Daemon.Logging;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Sync;

namespace KeepSharp.Daemon.Runtime.Sync;

/// <summary>
/// One <c>vrrp_sync_group</c> at run time: the Core <see cref="SyncGroup"/> over its members' routers (which
/// share the daemon's transition queue), its log lines, and <see cref="GroupStateChanged"/> for the notifier
/// (the group's notify scripts and FIFO line "GROUP name STATE 0"). Loop thread only.
/// </summary>
internal sealed class SyncGroupRuntime : ISyncGroupActions
{
    private readonly Log _log;

    public SyncGroupRuntime(string name, IReadOnlyList<VrrpRouter> members, Log log)
    {
        _log = log;
        Group = new SyncGroup(name, members, this);
    }

    public SyncGroup Group { get; }

    public string Name => Group.Name;

    /// <summary>The group moved (after its members' own transitions); <see cref="VrrpState.Initialize"/> is STOP.</summary>
    public event Action<SyncGroup, VrrpState, VrrpState>? GroupStateChanged;

    void ISyncGroupActions.GroupStateChanged(SyncGroup group, VrrpState from, VrrpState to)
    {
        string state = to switch
        {
            VrrpState.Master => "MASTER",
            VrrpState.Backup => "BACKUP",
            VrrpState.Fault => "FAULT",
            _ => "STOP",
        };
        _log.Info($"({group.Name}) Sync group now in {state} state");
        GroupStateChanged?.Invoke(group, from, to);
    }
}
