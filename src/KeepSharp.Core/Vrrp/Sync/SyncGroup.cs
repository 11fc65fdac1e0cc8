using KeepSharp.Vrrp.StateMachine;

namespace KeepSharp.Vrrp.Sync;

/// <summary>
/// A <c>vrrp_sync_group</c>: instances that change state together (keepalived's vrrp_sync.c).
/// <list type="bullet">
/// <item>FAULT: while any member has a fault reason of its own (interface, tracker), every member is held in
/// FAULT with <see cref="VrrpFaultReasons.SyncGroup"/> (<c>vrrp_sync_fault</c>: a master among them resigns
/// with priority 0); when the last one clears, all leave FAULT together as backups
/// (<c>try_up_instance</c> → <c>vrrp_sync_backup</c>).</item>
/// <item>MASTER: a member may become master only when every other member wants to as well
/// (<c>vrrp_sync_can_goto_master</c>, "prefer backup state to avoid thrashing"; checked by the router through
/// <see cref="CanGoToMaster"/>); then the others are made master at once (<c>vrrp_sync_master</c>).</item>
/// <item>BACKUP: a master member that yields to a higher priority takes the other masters to backup with it
/// (<c>vrrp_sync_backup</c>, without priority-0 adverts).</item>
/// </list>
/// Group-level track_script/track_interface/track_file/track_process are, as in keepalived
/// (<c>sync_group_tracking_init</c>), added to each member's <see cref="Tracking.InstanceTracking"/>; see
/// <see cref="Tracking.TrackingPlan"/>. The group reacts from <see cref="VrrpTransitionQueue"/>'s drain, after
/// the member's transition has completed; members must therefore share one queue.
/// </summary>
public sealed class SyncGroup : IVrrpRouterObserver
{
    private readonly VrrpRouter[] _members;
    private readonly ISyncGroupActions _actions;

    public SyncGroup(string name, IReadOnlyList<VrrpRouter> members, ISyncGroupActions actions)
    {
        if (members.Count == 0)
            throw new ArgumentException("a sync group needs members", nameof(members));
        VrrpTransitionQueue queue = members[0].Transitions;
        foreach (VrrpRouter member in members)
        {
            if (member.Transitions != queue)
                throw new ArgumentException($"{member.Name} does not share the group's transition queue", nameof(members));
            if (member.SyncGroup is not null)
                throw new ArgumentException($"{member.Name} is already in sync group {member.SyncGroup.Name}", nameof(members));
        }
        Name = name;
        _members = [.. members];
        _actions = actions;
        foreach (VrrpRouter member in _members)
            member.SyncGroup = this;
        queue.Subscribe(this);
    }

    /// <summary>The group name (<c>vrrp_sync_group NAME</c>).</summary>
    public string Name { get; }

    public IReadOnlyList<VrrpRouter> Members => _members;

    /// <summary>The group's state; <see cref="VrrpState.Initialize"/> before the members start and after they all stop.</summary>
    public VrrpState State { get; private set; } = VrrpState.Initialize;

    /// <summary>
    /// Reload: the group is built again over members that already run. Its state follows theirs, without a
    /// notification of its own: FAULT (and every member held there) when a member has a fault of its own, else
    /// every member freed of a group fault, and MASTER when a member is master, else BACKUP.
    /// </summary>
    public void Resynchronize()
    {
        if (_members.All(m => m.State == VrrpState.Initialize))
            return;
        if (HasOwnFault())
        {
            foreach (VrrpRouter member in _members)
                member.EnterFault(VrrpFaultReasons.SyncGroup);
            State = VrrpState.Fault;
            return;
        }
        foreach (VrrpRouter member in _members)
            member.LeaveFault(VrrpFaultReasons.SyncGroup);
        State = _members.Any(m => m.State == VrrpState.Master) ? VrrpState.Master : VrrpState.Backup;
    }

    /// <summary>Reload: the members leave the group (it hears nothing more); a new group may take them.</summary>
    public void Dissolve()
    {
        foreach (VrrpRouter member in _members)
        {
            if (member.SyncGroup == this)
                member.SyncGroup = null;
        }
        _members[0].Transitions.Unsubscribe(this);
    }

    /// <summary>keepalived's <c>vrrp_sync_can_goto_master</c>: the group is master already, or every other member wants master.</summary>
    public bool CanGoToMaster(VrrpRouter member)
    {
        if (State == VrrpState.Master)
            return true;
        foreach (VrrpRouter other in _members)
        {
            if (other != member && !other.WantsMaster)
                return false;
        }
        return true;
    }

    /// <inheritdoc />
    /// <remarks>The group's own notification follows its members' transitions, as in keepalived.</remarks>
    public void OnRouterEvent(in VrrpRouterEvent routerEvent)
    {
        if (routerEvent.Router.SyncGroup != this)
            return;
        if (routerEvent is { Kind: VrrpRouterEventKind.StateChanged, To: VrrpState.Initialize })
        {
            if (_members.All(m => m.State == VrrpState.Initialize))
                SetState(VrrpState.Initialize); // notify_shutdown: the group STOPs after its instances
            return;
        }
        if (HasOwnFault())
        {
            if (State != VrrpState.Fault)
            {
                // vrrp_sync_fault: every member to FAULT (the faulty one is there already).
                foreach (VrrpRouter member in _members)
                    member.EnterFault(VrrpFaultReasons.SyncGroup);
                SetState(VrrpState.Fault);
            }
            return;
        }
        if (State == VrrpState.Fault)
        {
            // The last member fault cleared: all leave FAULT together (try_up_instance, vrrp_sync_backup).
            foreach (VrrpRouter member in _members)
                member.LeaveFault(VrrpFaultReasons.SyncGroup);
            SetState(_members.Any(m => m.State == VrrpState.Master) ? VrrpState.Master : VrrpState.Backup);
            return;
        }
        if (routerEvent.Kind != VrrpRouterEventKind.StateChanged)
            return;
        switch (routerEvent.To)
        {
            case VrrpState.Master when State != VrrpState.Master:
                foreach (VrrpRouter member in _members)
                    member.ForceMaster();
                SetState(VrrpState.Master);
                break;
            case VrrpState.Backup when routerEvent.From == VrrpState.Master && State == VrrpState.Master:
                foreach (VrrpRouter member in _members)
                    member.ForceBackup();
                SetState(VrrpState.Backup);
                break;
            case VrrpState.Backup when State == VrrpState.Initialize:
                SetState(VrrpState.Backup);
                break;
        }
    }

    private bool HasOwnFault()
    {
        foreach (VrrpRouter member in _members)
        {
            if ((member.FaultReasons & ~VrrpFaultReasons.SyncGroup) != 0)
                return true;
        }
        return false;
    }

    private void SetState(VrrpState to)
    {
        VrrpState from = State;
        if (from == to)
            return;
        State = to;
        _actions.GroupStateChanged(this, from, to);
    }
}
