using KeepSharp.Vrrp.Sync;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Vrrp.StateMachine;

/// <summary>
/// One virtual router: the state machine of RFC 3768 §6.4 (and RFC 9568 §6.4 for version 3) as plain
/// code. Events come in as method calls, actions go out through <see cref="IVrrpRouterActions"/>, and
/// time is read from the injected <see cref="TimeProvider"/>: the router owns no timer, thread or socket.
/// Whoever drives it calls <see cref="OnTimer"/> once <see cref="NextDeadline"/> has passed.
/// <para>
/// keepalived's additions are here too: FAULT as a set of <see cref="VrrpFaultReasons"/> (left only when
/// empty), an effective priority set by tracking (<see cref="SetPriority"/>), and the commands a
/// <c>vrrp_sync_group</c> gives its members (<see cref="ForceMaster"/>, <see cref="ForceBackup"/>,
/// <see cref="EnterFault"/> with <see cref="VrrpFaultReasons.SyncGroup"/>). Every entry point enters the
/// router's <see cref="VrrpTransitionQueue"/>, so observers hear of transitions only after them.
/// </para>
/// <para>
/// keepalived's election options (<see cref="VrrpRouterSettings"/>): <c>preempt_delay</c>, <c>down_timer_adverts</c>,
/// a master's answer to a lower priority (<c>lower_prio_no_advert</c>, <c>garp_lower_prio_delay</c>/<c>_repeat</c>,
/// also for its sync group's masters), <c>higher_prio_send_advert</c>, and the address-owner conflict workaround.
/// </para>
/// </summary>
public sealed class VrrpRouter
{
    private readonly TimeProvider _time;
    private readonly IVrrpRouterActions _actions;

    /// <summary>The password as it goes on the wire: cut or zero-padded to 8 bytes, like the writer does.</summary>
    private readonly byte[] _authenticationData = new byte[VrrpWire.AuthenticationDataLength];

    /// <summary>Adver_Timer (master) or Master_Down_Timer (backup), as a timestamp; <see cref="Never"/> when stopped.</summary>
    private long _protocolDeadline = Never;
    private bool _masterDownShortened;

    /// <summary>The delayed gratuitous burst after becoming master, then the refresh bursts.</summary>
    private long _garpDeadline = Never;

    /// <summary>Whether the burst at <see cref="_garpDeadline"/> is a refresh (garp_master_refresh_repeat) rather than the delayed one (garp_master_repeat).</summary>
    private bool _garpIsRefresh;

    /// <summary>
    /// keepalived's <c>preempt_time</c>: when a running <see cref="VrrpRouterSettings.PreemptDelay"/> ends;
    /// <see cref="Never"/> when none runs.
    /// </summary>
    private long _preemptAt = Never;

    /// <summary>
    /// The delayed lower-priority bursts still due (keepalived's <c>vrrp_lower_prio_gratuitous_arp_thread</c>
    /// timers: one per lower-priority advertisement heard). Deadlines only grow, so a FIFO.
    /// </summary>
    /// <summary>The delayed lower-priority burst (at most one pending: a flood of lower adverts must not pile them up).</summary>
    private long _lowerPriorityGarpDeadline = Never;

    /// <summary>When the last immediate lower-priority burst went out (bursts are at most one per advertisement interval).</summary>
    private long _lastLowerPriorityBurst = long.MinValue;

    public const long Never = long.MaxValue;

    /// <param name="settings">The configuration.</param>
    /// <param name="time">The clock; <see cref="NextDeadline"/> is in its timestamps.</param>
    /// <param name="actions">Where the router's actions go.</param>
    /// <param name="transitions">
    /// The queue this router publishes its events into; routers of one sync group must share one.
    /// Null: a queue of its own.
    /// </param>
    public VrrpRouter(VrrpRouterSettings settings, TimeProvider time, IVrrpRouterActions actions, VrrpTransitionQueue? transitions = null)
    {
        Settings = settings;
        _time = time;
        _actions = actions;
        Transitions = transitions ?? new VrrpTransitionQueue();
        settings.AuthenticationData.AsSpan(0, Math.Min(settings.AuthenticationData.Length, _authenticationData.Length))
            .CopyTo(_authenticationData);
        if (settings.DownTimerAdverts is < VrrpRouterSettings.MinDownTimerAdverts or > VrrpRouterSettings.MaxDownTimerAdverts)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.DownTimerAdverts,
                $"down_timer_adverts must be {VrrpRouterSettings.MinDownTimerAdverts}..{VrrpRouterSettings.MaxDownTimerAdverts}");
        Priority = settings.Priority;
        BasePriority = settings.Priority;
        MasterAdvertisementInterval = settings.AdvertisementInterval;
        HeardRouters = new HeardRouters(time);
    }

    /// <summary>The routers heard on the wire for this VRID (kept by <see cref="VrrpReceiver"/>).</summary>
    public HeardRouters HeardRouters { get; }

    public VrrpRouterSettings Settings { get; private set; }

    public string Name => Settings.Name;

    public VrrpState State { get; private set; } = VrrpState.Initialize;

    /// <summary>The priority advertised and compared: the configured one, changed later by tracking.</summary>
    public byte Priority { get; private set; }

    /// <summary>
    /// The configured priority as the router now sees it: <see cref="VrrpRouterSettings.Priority"/>, except after
    /// an address-owner conflict, when keepalived (<c>vrrp_state_master_rx</c>) lowers both its base and its
    /// effective priority to 254. Tracking should add its weights to this, not to the settings.
    /// </summary>
    public byte BasePriority { get; private set; }

    /// <summary>Whether a <see cref="VrrpRouterSettings.PreemptDelay"/> is running (keepalived's <c>preempt_time</c> set).</summary>
    public bool PreemptDelayRunning => _preemptAt != Never;

    /// <summary>The master's advertisement interval: ours as master, the master's as a v3 backup.</summary>
    public TimeSpan MasterAdvertisementInterval { get; private set; }

    /// <summary>The primary address of the master last heard (our own while master).</summary>
    public VrrpAddress MasterAddress { get; private set; }

    public VrrpRouterStatistics Statistics { get; } = new();

    /// <summary>The queue this router's events are published into.</summary>
    public VrrpTransitionQueue Transitions { get; }

    /// <summary>The <c>vrrp_sync_group</c> this router belongs to, if any (set by <see cref="SyncGroup"/>).</summary>
    public SyncGroup? SyncGroup { get; internal set; }

    /// <summary>Why the router is (or, before <see cref="Start"/>, will be) in FAULT; empty when it may participate.</summary>
    public VrrpFaultReasons FaultReasons { get; private set; }

    /// <summary>
    /// keepalived's <c>wantstate == MASTER</c>: this router's own Master_Down_Timer expired (or it is the
    /// address owner, or its group made it master) and no advertisement has since told it to stay backup.
    /// A sync group lets a member become master only when every other member wants to
    /// (vrrp_sync.c <c>vrrp_sync_can_goto_master</c>).
    /// </summary>
    public bool WantsMaster { get; private set; }
    /// <summary>
    /// Skew_Time: (256 − Priority) / 256 seconds in VRRPv2 (RFC 3768 §6.1);
    /// ((256 − Priority) × Master_Adver_Interval) / 256 in VRRPv3 (RFC 9568 §6.1).
    /// </summary>
    public TimeSpan SkewTime => Settings.Version == 2
        ? TimeSpan.FromSeconds((256 - Priority) / 256.0)
        : MasterAdvertisementInterval * ((256 - Priority) / 256.0);

    /// <summary>
    /// Master_Down_Interval: 3 × Master_Adver_Interval + Skew_Time (RFC 3768 / RFC 9568 §6.1), the 3 being
    /// keepalived's <c>down_timer_adverts</c> (<see cref="VrrpRouterSettings.DownTimerAdverts"/>, vrrp.h <c>VRRP_MS_DOWN_TIMER</c>).
    /// </summary>
    public TimeSpan MasterDownInterval => Settings.DownTimerAdverts * MasterAdvertisementInterval + SkewTime;

    /// <summary>The earliest timestamp (of the injected <see cref="TimeProvider"/>) at which <see cref="OnTimer"/> has work.</summary>
    public long NextDeadline => Math.Min(Math.Min(_protocolDeadline, _garpDeadline), _lowerPriorityGarpDeadline);

    /// <summary>
    /// Startup event (RFC 3768 §6.4.1). With fault reasons already set (keepalived's
    /// <c>initialise_tracking_priorities</c> runs before the instances start), the router starts in FAULT.
    /// </summary>
    public void Start()
    {
        if (State != VrrpState.Initialize)
            return;
        Transitions.Enter();
        try
        {
            if (FaultReasons != VrrpFaultReasons.None)
                EnterFaultState(FaultReasons.HasFlag(VrrpFaultReasons.Interface) ? VrrpTransitionReason.InterfaceDown : VrrpTransitionReason.TrackingFault);
            else if (Priority == VrrpWire.PriorityOwner)
                TryBecomeMaster(VrrpTransitionReason.AddressOwner);
            else
                BecomeBackup(VrrpTransitionReason.Startup);
        }
        finally
        {
            Transitions.Exit();
        }
    }

    /// <summary>
    /// Reload: the same virtual router runs on with new settings, keeping its state, its addresses and its timers
    /// (keepalived carries a matched instance's state across a reload). The configured priority becomes the base
    /// priority; the effective one is the caller's to set (tracking adds its weights, <see cref="SetPriority"/>). A
    /// master with a shorter advertisement interval sends its next advert within the new interval; a VRRPv2 backup
    /// takes the new interval as the master's. Adverts are checked against the new addresses, password and interval
    /// from now on.
    /// </summary>
    public void Reconfigure(VrrpRouterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.VirtualRouterId != Settings.VirtualRouterId)
            throw new ArgumentException($"{Name}: a reload keeps the virtual router id ({Settings.VirtualRouterId}, not {settings.VirtualRouterId})", nameof(settings));
        if (settings.DownTimerAdverts is < VrrpRouterSettings.MinDownTimerAdverts or > VrrpRouterSettings.MaxDownTimerAdverts)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.DownTimerAdverts,
                $"down_timer_adverts must be {VrrpRouterSettings.MinDownTimerAdverts}..{VrrpRouterSettings.MaxDownTimerAdverts}");
        Settings = settings;
        Array.Clear(_authenticationData);
        settings.AuthenticationData.AsSpan(0, Math.Min(settings.AuthenticationData.Length, _authenticationData.Length)).CopyTo(_authenticationData);
        BasePriority = settings.Priority;
        if (State == VrrpState.Master)
        {
            MasterAdvertisementInterval = settings.AdvertisementInterval;
            MasterAddress = settings.PrimaryAddress;
            long next = After(_time.GetTimestamp(), settings.AdvertisementInterval);
            if (next < _protocolDeadline)
                _protocolDeadline = next;
        }
        else if (settings.Version == 2)
        {
            MasterAdvertisementInterval = settings.AdvertisementInterval;
        }
    }

    /// <summary>
    /// Shutdown event: a master resigns with a priority-0 advertisement and releases its addresses.
    /// The fault reasons stay: they describe the trackers, which a restart does not change.
    /// </summary>
    public void Shutdown()
    {
        VrrpState from = State;
        if (from == VrrpState.Initialize)
            return;
        Transitions.Enter();
        try
        {
            if (from == VrrpState.Master)
            {
                SendAdvertisement(VrrpWire.PriorityStop);
                _actions.RemoveVirtualAddresses(this);
                Statistics.ReleasedMaster++;
            }
            StopTimers();
            WantsMaster = false;
            ChangeState(VrrpState.Initialize, VrrpTransitionReason.Shutdown);
        }
        finally
        {
            Transitions.Exit();
        }
    }

    /// <summary>The interface went down: stop participating (keepalived's FAULT state).</summary>
    public void InterfaceDown() => EnterFault(VrrpFaultReasons.Interface);

    /// <summary>The interface is back: rejoin as a backup, unless another fault reason remains.</summary>
    public void InterfaceUp() => LeaveFault(VrrpFaultReasons.Interface);

    /// <summary>Adds <paramref name="reasons"/> to <see cref="FaultReasons"/> (keepalived's <c>down_instance</c>).</summary>
    public void EnterFault(VrrpFaultReasons reasons) => SetFaultReasons(FaultReasons | reasons, reasons);

    /// <summary>Removes <paramref name="reasons"/> from <see cref="FaultReasons"/>; the router leaves FAULT when none is left (keepalived's <c>try_up_instance</c>).</summary>
    public void LeaveFault(VrrpFaultReasons reasons) => SetFaultReasons(FaultReasons & ~reasons, reasons);

    /// <summary>
    /// Replaces the reasons within <paramref name="mask"/> by those of <paramref name="reasons"/> in one step,
    /// so a tracker clearing one reason while another sets a second never lets the router out of FAULT.
    /// <list type="bullet">
    /// <item>Entering FAULT as master: keepalived's <c>vrrp_state_leave_master</c> with wantstate FAULT sends a
    /// priority-0 advertisement (so a backup takes over after Skew_Time) and releases the addresses; not when
    /// the reason is the instance's own <see cref="VrrpFaultReasons.Interface"/>, where no packet can leave.</item>
    /// <item>In FAULT the router is silent: no timer runs, adverts are ignored.</item>
    /// <item>Leaving FAULT (the set is empty): backup with a fresh Master_Down_Timer, or master at once for the
    /// address owner (keepalived's <c>vrrp_state_leave_fault</c>).</item>
    /// </list>
    /// Before <see cref="Start"/> (and after <see cref="Shutdown"/>) the reasons are only recorded.
    /// </summary>
    public void SetFaultReasons(VrrpFaultReasons reasons, VrrpFaultReasons mask = (VrrpFaultReasons)~0)
    {
        VrrpFaultReasons next = (FaultReasons & ~mask) | (reasons & mask);
        if (next == FaultReasons)
            return;
        Transitions.Enter();
        try
        {
            VrrpFaultReasons added = next & ~FaultReasons;
            VrrpFaultReasons removed = FaultReasons & ~next;
            FaultReasons = next;
            Transitions.Publish(new VrrpRouterEvent(this, VrrpRouterEventKind.FaultReasonsChanged, State, State, default));
            if (State == VrrpState.Initialize)
                return;
            if (next != VrrpFaultReasons.None && State != VrrpState.Fault)
            {
                EnterFaultState(added.HasFlag(VrrpFaultReasons.Interface) ? VrrpTransitionReason.InterfaceDown
                    : added.HasFlag(VrrpFaultReasons.SyncGroup) && (added & ~VrrpFaultReasons.SyncGroup) == 0 ? VrrpTransitionReason.SyncGroup
                    : VrrpTransitionReason.TrackingFault);
            }
            else if (next == VrrpFaultReasons.None && State == VrrpState.Fault)
            {
                VrrpTransitionReason reason = removed.HasFlag(VrrpFaultReasons.Interface) ? VrrpTransitionReason.InterfaceUp
                    : removed == VrrpFaultReasons.SyncGroup ? VrrpTransitionReason.SyncGroup
                    : VrrpTransitionReason.TrackingRecovered;
                if (Priority == VrrpWire.PriorityOwner)
                    TryBecomeMaster(reason);
                else
                    BecomeBackup(reason);
            }
        }
        finally
        {
            Transitions.Exit();
        }
    }

    /// <summary>
    /// The effective priority changed (tracking: keepalived's <c>vrrp_set_effective_priority</c>). It goes
    /// into the next advertisement and the next comparison; nothing is sent at once (keepalived's master
    /// waits for its Adver_Timer too, so a backup with a higher priority takes over when its
    /// Master_Down_Timer, no longer reset by the lower adverts, expires). A backup's running
    /// Master_Down_Timer moves by the change of Master_Down_Interval (Skew_Time depends on the priority),
    /// as keepalived moves <c>sands</c>. 0 is reserved for resigning.
    /// </summary>
    public void SetPriority(byte priority)
    {
        if (priority == VrrpWire.PriorityStop)
            throw new ArgumentOutOfRangeException(nameof(priority), "priority 0 is reserved for resigning");
        byte old = Priority;
        if (old == priority)
            return;
        Transitions.Enter();
        try
        {
            TimeSpan oldSkew = SkewTime;
            Priority = priority;
            if (State == VrrpState.Backup && _protocolDeadline != Never)
            {
                TimeSpan delta = SkewTime - oldSkew;
                _protocolDeadline += (long)(delta.Ticks * (double)_time.TimestampFrequency / TimeSpan.TicksPerSecond);
            }
            _actions.PriorityChanged(this, old, priority);
        }
        finally
        {
            Transitions.Exit();
        }
    }

    /// <summary>
    /// Sync group command (keepalived's <c>vrrp_sync_master</c> → <c>vrrp_state_goto_master</c>): a backup
    /// becomes master now, without waiting for its Master_Down_Timer. Ignored in FAULT, INIT and MASTER.
    /// </summary>
    public void ForceMaster()
    {
        if (State != VrrpState.Backup)
            return;
        Transitions.Enter();
        try
        {
            WantsMaster = true;
            BecomeMaster(VrrpTransitionReason.SyncGroup);
        }
        finally
        {
            Transitions.Exit();
        }
    }

    /// <summary>
    /// Sync group command (keepalived's <c>vrrp_sync_backup</c> → <c>vrrp_state_leave_master(advF = false)</c>):
    /// a master releases its addresses and becomes backup, without a priority-0 advertisement. Ignored
    /// unless master (a member in FAULT stays there until its reasons clear).
    /// </summary>
    public void ForceBackup()
    {
        if (State != VrrpState.Master)
            return;
        Transitions.Enter();
        try
        {
            LeaveMaster(VrrpTransitionReason.SyncGroup);
        }
        finally
        {
            Transitions.Exit();
        }
    }

    /// <summary>
    /// Checks an advertisement (already validated by <see cref="VrrpAdvertisement.TryRead"/> and dispatched
    /// by VRID) against this router's configuration (RFC 3768 §7.1) and runs the state machine on it.
    /// Returns why it was dropped, or <see cref="VrrpDropReason.None"/>.
    /// </summary>
    public VrrpDropReason ReceiveAdvertisement(in VrrpAdvertisement advertisement)
    {
        Transitions.Enter();
        try
        {
            return Receive(advertisement);
        }
        finally
        {
            Transitions.Exit();
        }
    }

    private VrrpDropReason Receive(in VrrpAdvertisement advertisement)
    {
        VrrpDropReason reason = Check(advertisement);
        if (reason != VrrpDropReason.None)
        {
            Statistics.CountDrop(reason);
            return reason;
        }
        if (State is VrrpState.Initialize or VrrpState.Fault)
            return VrrpDropReason.None; // not participating: nothing to count or do
        Statistics.AdvertisementsReceived++;
        if (Settings.Version == 3 && advertisement.AdvertisementIntervalCentiseconds != ConfiguredIntervalCentiseconds)
            Statistics.AdvertisementIntervalMismatches++; // keepalived logs it and accepts (vrrp_check_packet)
        byte priority = advertisement.Priority;
        if (priority == VrrpWire.PriorityStop)
            Statistics.PriorityZeroReceived++;

        switch (State)
        {
            case VrrpState.Backup:
                ReceiveAsBackup(priority, advertisement.Source, advertisement.AdvertisementIntervalCentiseconds);
                break;
            case VrrpState.Master:
                ReceiveAsMaster(priority, advertisement.Source, advertisement.AdvertisementIntervalCentiseconds);
                break;
        }
        return VrrpDropReason.None;
    }

    /// <summary>Runs every timer whose deadline has passed.</summary>
    public void OnTimer()
    {
        Transitions.Enter();
        try
        {
            RunTimers();
        }
        finally
        {
            Transitions.Exit();
        }
    }

    private void RunTimers()
    {
        long now = _time.GetTimestamp();
        if (_protocolDeadline <= now)
        {
            switch (State)
            {
                case VrrpState.Backup:
                    WantsMaster = true;
                    TryBecomeMaster(_masterDownShortened ? VrrpTransitionReason.MasterStopped : VrrpTransitionReason.MasterDownTimer);
                    break;
                case VrrpState.Master:
                    SendAdvertisement(Priority);
                    _protocolDeadline = After(now, Settings.AdvertisementInterval);
                    break;
            }
        }
        if (_garpDeadline <= now && State == VrrpState.Master)
        {
            _actions.SendGratuitousAnnouncements(this, _garpIsRefresh ? Settings.GarpMasterRefreshRepeat : Settings.GarpMasterRepeat);
            ScheduleRefreshBurst(now);
        }
        if (_lowerPriorityGarpDeadline <= now)
        {
            _lowerPriorityGarpDeadline = Never;
            if (State == VrrpState.Master)
            {
                // keepalived's vrrp_lower_prio_gratuitous_arp_thread; vrrp_send_link_update sends only with the addresses set.
                Statistics.LowerPriorityGratuitousBursts++;
                _actions.SendGratuitousAnnouncements(this, Settings.GarpLowerPriorityRepeat);
            }
        }
    }

    private int ConfiguredIntervalCentiseconds => (int)Math.Round(Settings.AdvertisementInterval.TotalMilliseconds / 10);

    private VrrpDropReason Check(in VrrpAdvertisement advertisement)
    {
        if (advertisement.Version != Settings.Version)
            return VrrpDropReason.VersionMismatch;
        if (advertisement.Source == Settings.PrimaryAddress)
            return VrrpDropReason.OwnPacket;
        if (advertisement.AddressCount == 0)
            return VrrpDropReason.NoVirtualAddresses; // RFC 9568 §5.2.5; §7.1 per erratum EID 8299
        if (Settings.Version == 3 && advertisement.AdvertisementIntervalCentiseconds == 0)
            return VrrpDropReason.AdvertisementIntervalZero;
        if (Settings.Version == 2)
        {
            if (advertisement.AuthenticationType != Settings.AuthenticationType)
                return VrrpDropReason.AuthenticationTypeMismatch;
            if (Settings.AuthenticationType == VrrpAuthenticationType.SimpleTextPassword
                && !advertisement.AuthenticationData.SequenceEqual(_authenticationData))
                return VrrpDropReason.AuthenticationFailure;
            if (advertisement.AdvertisementIntervalCentiseconds != ConfiguredIntervalCentiseconds)
                return VrrpDropReason.AdvertisementIntervalMismatch;
        }
        if (!Settings.SkipCheckAdvertisementAddresses
            && advertisement.Priority != VrrpWire.PriorityOwner
            && !SameAddresses(advertisement))
            return VrrpDropReason.AddressListMismatch;
        return VrrpDropReason.None;
    }

    private bool SameAddresses(in VrrpAdvertisement advertisement)
    {
        VrrpAddress[] configured = Settings.VirtualAddresses;
        if (advertisement.AddressCount != configured.Length)
            return false;
        for (int i = 0; i < configured.Length; i++)
        {
            if (advertisement.GetAddress(i) != configured[i])
                return false;
        }
        return true;
    }

    /// <summary>
    /// RFC 3768 §6.4.2 / RFC 9568 §6.4.2 with keepalived's <c>preempt_delay</c> (vrrp.c <c>vrrp_state_backup</c>):
    /// an advertisement is accepted as the master's (Master_Down_Timer reset) when preemption is off, when its
    /// priority is not lower than ours, or while a preempt delay holds preemption back: the first lower-priority
    /// advertisement starts the delay, and until it ends the lower-priority master is followed like any other.
    /// Once it has ended, lower-priority advertisements are discarded and Master_Down_Timer runs out.
    /// </summary>
    private void ReceiveAsBackup(byte priority, VrrpAddress source, int intervalCentiseconds)
    {
        long now = _time.GetTimestamp();
        if (priority == VrrpWire.PriorityStop)
        {
            // RFC 3768 §6.4.2: the master resigned; take over after Skew_Time.
            _protocolDeadline = After(now, SkewTime);
            _masterDownShortened = true;
            return;
        }
        bool delaying = Settings.PreemptDelay > TimeSpan.Zero && (_preemptAt == Never || _preemptAt > now);
        if (!Settings.Preempt || priority >= Priority || delaying)
        {
            if (Settings.Version == 3)
                MasterAdvertisementInterval = TimeSpan.FromMilliseconds(intervalCentiseconds * 10); // RFC 9568 §6.4.2
            MasterAddress = source;
            _protocolDeadline = After(now, MasterDownInterval);
            _masterDownShortened = false;
            if (Settings.PreemptDelay > TimeSpan.Zero)
            {
                if (priority >= Priority)
                    _preemptAt = Never; // keepalived: "stop preempt delay"
                else if (_preemptAt == Never)
                {
                    _preemptAt = After(now, Settings.PreemptDelay); // keepalived: "start preempt delay"
                    Statistics.PreemptDelaysStarted++;
                }
            }
            WantsMaster = false; // keepalived: "Now we have received a backup, we want to be in BACKUP state"
        }
        // Otherwise: preempting a lower-priority master; let Master_Down_Timer run out.
    }

    /// <summary>
    /// RFC 3768 §6.4.3 / RFC 9568 §6.4.3 as keepalived's <c>vrrp_state_master_rx</c> does it:
    /// <list type="bullet">
    /// <item>Priority 0, or (with <see cref="VrrpRouterSettings.HigherPrioritySendAdvert"/>) a higher priority:
    /// send an advertisement at once, reset Adver_Timer; priority 0 ends there.</item>
    /// <item>Another address owner while we are the owner: keepalived's "CONFIGURATION ERROR" workaround, our
    /// base and effective priority drop to 254 (so we step down to the other owner).</item>
    /// <item>A lower priority (or equal priority from a lower address): unless
    /// <see cref="VrrpRouterSettings.LowerPriorityNoAdvert"/>, an advertisement at once ("forcing new
    /// election") and Adver_Timer reset; a gratuitous burst of <see cref="VrrpRouterSettings.GarpLowerPriorityRepeat"/>
    /// at once and another after <see cref="VrrpRouterSettings.GarpLowerPriorityDelay"/>, and the same for every
    /// master member of our sync group with its own settings; then <c>notify_master_rx_lower_pri</c>. We stay master.</item>
    /// <item>A higher priority (or equal from a higher address): adopt the interval (v3), become backup.</item>
    /// </list>
    /// </summary>
    private void ReceiveAsMaster(byte priority, VrrpAddress source, int intervalCentiseconds)
    {
        long now = _time.GetTimestamp();
        bool higher = priority > Priority || (priority == Priority && source > Settings.PrimaryAddress);
        if (priority == VrrpWire.PriorityStop || (Settings.HigherPrioritySendAdvert && higher))
        {
            SendAdvertisement(Priority);
            _protocolDeadline = After(now, Settings.AdvertisementInterval);
            if (priority == VrrpWire.PriorityStop)
                return; // another master resigned: the backups have heard from us (RFC 3768 §6.4.3)
        }
        if (priority == Priority && Priority == VrrpWire.PriorityOwner)
        {
            // Two address owners (the same address would have been dropped as our own packet).
            Statistics.OwnerConflicts++;
            const byte lowered = VrrpWire.PriorityOwner - 1;
            BasePriority = lowered;
            Priority = lowered;
            _actions.PriorityChanged(this, VrrpWire.PriorityOwner, lowered);
            higher = true;
        }
        if (!higher)
        {
            Statistics.LowerPriorityReceived++;
            if (!Settings.LowerPriorityNoAdvert)
            {
                SendAdvertisement(Priority);
                _protocolDeadline = After(now, Settings.AdvertisementInterval);
            }
            SendLowerPriorityBurst(now);
            if (SyncGroup is { } group)
            {
                foreach (VrrpRouter member in group.Members)
                {
                    if (member != this)
                        member.SendLowerPriorityBurst(now);
                }
            }
            _actions.MasterReceivedLowerPriority(this, source, priority);
            return;
        }
        if (Settings.Version == 3)
            MasterAdvertisementInterval = TimeSpan.FromMilliseconds(intervalCentiseconds * 10);
        MasterAddress = source;
        LeaveMaster(VrrpTransitionReason.HigherPriorityAdvertisement);
    }

    /// <summary>
    /// The lower-priority burst now and, after <see cref="VrrpRouterSettings.GarpLowerPriorityDelay"/>, the
    /// delayed one; nothing unless master (keepalived's <c>vrrp_send_link_update</c> needs the addresses set)
    /// with a non-zero <see cref="VrrpRouterSettings.GarpLowerPriorityRepeat"/>.
    /// <para>
    /// Unlike keepalived, bounded: one immediate burst per advertisement interval and one delayed burst pending,
    /// however many lower-priority adverts arrive. keepalived answers every one (each advert of a flood costs
    /// repeat × addresses frames now and again later: an amplifier for anyone who can send adverts on the LAN).
    /// </para>
    /// </summary>
    private void SendLowerPriorityBurst(long now)
    {
        if (State != VrrpState.Master || Settings.GarpLowerPriorityRepeat <= 0)
            return;
        if (_lastLowerPriorityBurst == long.MinValue || now - _lastLowerPriorityBurst >= After(0, Settings.AdvertisementInterval))
        {
            _lastLowerPriorityBurst = now;
            Statistics.LowerPriorityGratuitousBursts++;
            _actions.SendGratuitousAnnouncements(this, Settings.GarpLowerPriorityRepeat);
        }
        if (Settings.GarpLowerPriorityDelay > TimeSpan.Zero && _lowerPriorityGarpDeadline == Never)
            _lowerPriorityGarpDeadline = After(now, Settings.GarpLowerPriorityDelay);
    }

    /// <summary>
    /// Becomes master unless the sync group holds it back: keepalived's <c>vrrp_state_goto_master</c> refuses
    /// while another member does not want master, and the router stays backup with a fresh Master_Down_Timer.
    /// </summary>
    private void TryBecomeMaster(VrrpTransitionReason reason)
    {
        WantsMaster = true;
        if (SyncGroup is { } group && !group.CanGoToMaster(this))
        {
            if (State != VrrpState.Backup)
            {
                BecomeBackup(reason);
                WantsMaster = true;
            }
            else
            {
                _protocolDeadline = After(_time.GetTimestamp(), MasterDownInterval);
                _masterDownShortened = false;
            }
            return;
        }
        BecomeMaster(reason);
    }

    private void BecomeMaster(VrrpTransitionReason reason)
    {
        long now = _time.GetTimestamp();
        MasterAdvertisementInterval = Settings.AdvertisementInterval;
        MasterAddress = Settings.PrimaryAddress;
        _masterDownShortened = false;
        Statistics.BecameMaster++;
        ChangeState(VrrpState.Master, reason);
        _actions.AddVirtualAddresses(this);
        SendAdvertisement(Priority);
        _actions.SendGratuitousAnnouncements(this, Settings.GarpMasterRepeat);
        _protocolDeadline = After(now, Settings.AdvertisementInterval);
        if (Settings.GarpMasterDelay > TimeSpan.Zero)
        {
            _garpIsRefresh = false;
            _garpDeadline = After(now, Settings.GarpMasterDelay);
        }
        else
        {
            ScheduleRefreshBurst(now);
        }
    }

    /// <summary>The next burst is a refresh, if garp_master_refresh is set; otherwise there is none.</summary>
    private void ScheduleRefreshBurst(long now)
    {
        _garpIsRefresh = true;
        _garpDeadline = Settings.GarpMasterRefresh > TimeSpan.Zero ? After(now, Settings.GarpMasterRefresh) : Never;
    }

    private void LeaveMaster(VrrpTransitionReason reason)
    {
        _actions.RemoveVirtualAddresses(this);
        Statistics.ReleasedMaster++;
        _garpDeadline = Never;
        _lowerPriorityGarpDeadline = Never;
        _preemptAt = Never; // vrrp_state_leave_master: entering BACKUP clears preempt_time
        long now = _time.GetTimestamp();
        _protocolDeadline = After(now, MasterDownInterval);
        _masterDownShortened = false;
        WantsMaster = false;
        ChangeState(VrrpState.Backup, reason);
    }

    private void BecomeBackup(VrrpTransitionReason reason)
    {
        MasterAdvertisementInterval = Settings.AdvertisementInterval;
        MasterAddress = VrrpAddress.None;
        _protocolDeadline = After(_time.GetTimestamp(), MasterDownInterval);
        _masterDownShortened = false;
        _garpDeadline = Never;
        _lowerPriorityGarpDeadline = Never;
        _preemptAt = Never; // vrrp_state_leave_fault: entering BACKUP clears preempt_time
        WantsMaster = false;
        ChangeState(VrrpState.Backup, reason);
    }

    private void EnterFaultState(VrrpTransitionReason reason)
    {
        if (State == VrrpState.Master)
        {
            if (reason != VrrpTransitionReason.InterfaceDown)
                SendAdvertisement(VrrpWire.PriorityStop);
            _actions.RemoveVirtualAddresses(this);
            Statistics.ReleasedMaster++;
        }
        StopTimers();
        WantsMaster = false;
        MasterAdvertisementInterval = Settings.AdvertisementInterval;
        ChangeState(VrrpState.Fault, reason);
    }

    /// <summary>Sets the state, tells the actions at once and the observers after the current call.</summary>
    private void ChangeState(VrrpState to, VrrpTransitionReason reason)
    {
        VrrpState from = State;
        State = to;
        _actions.StateChanged(this, from, to, reason);
        Transitions.Publish(new VrrpRouterEvent(this, VrrpRouterEventKind.StateChanged, from, to, reason));
    }

    private void SendAdvertisement(byte priority)
    {
        Statistics.AdvertisementsSent++;
        if (priority == VrrpWire.PriorityStop)
            Statistics.PriorityZeroSent++;
        _actions.SendAdvertisement(this, priority);
    }

    private void StopTimers()
    {
        _protocolDeadline = Never;
        _garpDeadline = Never;
        _lowerPriorityGarpDeadline = Never;
        _masterDownShortened = false;
    }

    private long After(long now, TimeSpan delay) =>
        now + (long)(delay.Ticks * (double)_time.TimestampFrequency / TimeSpan.TicksPerSecond);
}
