using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Vrrp.StateMachine;

/// <summary>
/// One virtual router: the state machine of RFC 3768 §6.4 (and RFC 9568 §6.4 for version 3) as plain
/// code. Events come in as method calls, actions go out through <see cref="IVrrpRouterActions"/>, and
/// time is read from the injected <see cref="TimeProvider"/>: the router owns no timer, thread or socket.
/// Whoever drives it calls <see cref="OnTimer"/> once <see cref="NextDeadline"/> has passed.
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

    public const long Never = long.MaxValue;

    public VrrpRouter(VrrpRouterSettings settings, TimeProvider time, IVrrpRouterActions actions)
    {
        Settings = settings;
        _time = time;
        _actions = actions;
        settings.AuthenticationData.AsSpan(0, Math.Min(settings.AuthenticationData.Length, _authenticationData.Length))
            .CopyTo(_authenticationData);
        Priority = settings.Priority;
        MasterAdvertisementInterval = settings.AdvertisementInterval;
    }

    public VrrpRouterSettings Settings { get; }

    public string Name => Settings.Name;

    public VrrpState State { get; private set; } = VrrpState.Initialize;

    /// <summary>The priority advertised and compared: the configured one, changed later by tracking.</summary>
    public byte Priority { get; private set; }

    /// <summary>The master's advertisement interval: ours as master, the master's as a v3 backup.</summary>
    public TimeSpan MasterAdvertisementInterval { get; private set; }

    /// <summary>The primary address of the master last heard (our own while master).</summary>
    public VrrpAddress MasterAddress { get; private set; }

    public VrrpRouterStatistics Statistics { get; } = new();

    /// <summary>
    /// Skew_Time: (256 − Priority) / 256 seconds in VRRPv2 (RFC 3768 §6.1);
    /// ((256 − Priority) × Master_Adver_Interval) / 256 in VRRPv3 (RFC 9568 §6.1).
    /// </summary>
    public TimeSpan SkewTime => Settings.Version == 2
        ? TimeSpan.FromSeconds((256 - Priority) / 256.0)
        : MasterAdvertisementInterval * ((256 - Priority) / 256.0);

    /// <summary>Master_Down_Interval: 3 × Master_Adver_Interval + Skew_Time.</summary>
    public TimeSpan MasterDownInterval => 3 * MasterAdvertisementInterval + SkewTime;

    /// <summary>The earliest timestamp (of the injected <see cref="TimeProvider"/>) at which <see cref="OnTimer"/> has work.</summary>
    public long NextDeadline => Math.Min(_protocolDeadline, _garpDeadline);

    /// <summary>Startup event (RFC 3768 §6.4.1).</summary>
    public void Start()
    {
        if (State != VrrpState.Initialize)
            return;
        if (Priority == VrrpWire.PriorityOwner)
            BecomeMaster(VrrpTransitionReason.AddressOwner);
        else
            BecomeBackup(VrrpTransitionReason.Startup);
    }

    /// <summary>Shutdown event: a master resigns with a priority-0 advertisement and releases its addresses.</summary>
    public void Shutdown()
    {
        VrrpState from = State;
        if (from == VrrpState.Initialize)
            return;
        if (from == VrrpState.Master)
        {
            SendAdvertisement(VrrpWire.PriorityStop);
            _actions.RemoveVirtualAddresses(this);
            Statistics.ReleasedMaster++;
        }
        StopTimers();
        State = VrrpState.Initialize;
        _actions.StateChanged(this, from, VrrpState.Initialize, VrrpTransitionReason.Shutdown);
    }

    /// <summary>The interface went down: stop participating (keepalived's FAULT state).</summary>
    public void InterfaceDown()
    {
        VrrpState from = State;
        if (from is VrrpState.Fault or VrrpState.Initialize)
            return;
        if (from == VrrpState.Master)
        {
            _actions.RemoveVirtualAddresses(this);
            Statistics.ReleasedMaster++;
        }
        StopTimers();
        State = VrrpState.Fault;
        _actions.StateChanged(this, from, VrrpState.Fault, VrrpTransitionReason.InterfaceDown);
    }

    /// <summary>The interface is back: rejoin as a backup and let the election run.</summary>
    public void InterfaceUp()
    {
        if (State != VrrpState.Fault)
            return;
        if (Priority == VrrpWire.PriorityOwner)
            BecomeMaster(VrrpTransitionReason.InterfaceUp);
        else
            BecomeBackup(VrrpTransitionReason.InterfaceUp);
    }

    /// <summary>The effective priority changed (tracking). Takes effect in the next advertisement and timer.</summary>
    public void SetPriority(byte priority)
    {
        if (priority == VrrpWire.PriorityStop)
            throw new ArgumentOutOfRangeException(nameof(priority), "priority 0 is reserved for resigning");
        Priority = priority;
    }

    /// <summary>
    /// Checks an advertisement (already validated by <see cref="VrrpAdvertisement.TryRead"/> and dispatched
    /// by VRID) against this router's configuration (RFC 3768 §7.1) and runs the state machine on it.
    /// Returns why it was dropped, or <see cref="VrrpDropReason.None"/>.
    /// </summary>
    public VrrpDropReason ReceiveAdvertisement(in VrrpAdvertisement advertisement)
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
        long now = _time.GetTimestamp();
        if (_protocolDeadline <= now)
        {
            switch (State)
            {
                case VrrpState.Backup:
                    BecomeMaster(_masterDownShortened ? VrrpTransitionReason.MasterStopped : VrrpTransitionReason.MasterDownTimer);
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
    }

    private VrrpDropReason Check(in VrrpAdvertisement advertisement)
    {
        if (advertisement.Version != Settings.Version)
            return VrrpDropReason.VersionMismatch;
        if (advertisement.Source == Settings.PrimaryAddress)
            return VrrpDropReason.OwnPacket;
        if (Settings.Version == 2)
        {
            if (advertisement.AuthenticationType != Settings.AuthenticationType)
                return VrrpDropReason.AuthenticationTypeMismatch;
            if (Settings.AuthenticationType == VrrpAuthenticationType.SimpleTextPassword
                && !advertisement.AuthenticationData.SequenceEqual(_authenticationData))
                return VrrpDropReason.AuthenticationFailure;
            if (advertisement.AdvertisementIntervalCentiseconds != (int)Math.Round(Settings.AdvertisementInterval.TotalMilliseconds / 10))
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
        if (!Settings.Preempt || priority >= Priority)
        {
            if (Settings.Version == 3 && intervalCentiseconds > 0)
                MasterAdvertisementInterval = TimeSpan.FromMilliseconds(intervalCentiseconds * 10);
            MasterAddress = source;
            _protocolDeadline = After(now, MasterDownInterval);
            _masterDownShortened = false;
        }
        // Otherwise: preempting a lower-priority master; let Master_Down_Timer run out.
    }

    private void ReceiveAsMaster(byte priority, VrrpAddress source, int intervalCentiseconds)
    {
        if (priority == VrrpWire.PriorityStop)
        {
            // Another master resigned: make sure the backups hear from us at once (RFC 3768 §6.4.3).
            long now = _time.GetTimestamp();
            SendAdvertisement(Priority);
            _protocolDeadline = After(now, Settings.AdvertisementInterval);
            return;
        }
        if (priority > Priority || (priority == Priority && source > Settings.PrimaryAddress))
        {
            if (Settings.Version == 3 && intervalCentiseconds > 0)
                MasterAdvertisementInterval = TimeSpan.FromMilliseconds(intervalCentiseconds * 10);
            MasterAddress = source;
            LeaveMaster();
        }
        // A lower priority: discard. The next regular advertisement makes that router a backup.
    }

    private void BecomeMaster(VrrpTransitionReason reason)
    {
        VrrpState from = State;
        long now = _time.GetTimestamp();
        State = VrrpState.Master;
        MasterAdvertisementInterval = Settings.AdvertisementInterval;
        MasterAddress = Settings.PrimaryAddress;
        _masterDownShortened = false;
        Statistics.BecameMaster++;
        _actions.StateChanged(this, from, VrrpState.Master, reason);
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

    private void LeaveMaster()
    {
        _actions.RemoveVirtualAddresses(this);
        Statistics.ReleasedMaster++;
        _garpDeadline = Never;
        long now = _time.GetTimestamp();
        State = VrrpState.Backup;
        _protocolDeadline = After(now, MasterDownInterval);
        _masterDownShortened = false;
        _actions.StateChanged(this, VrrpState.Master, VrrpState.Backup, VrrpTransitionReason.HigherPriorityAdvertisement);
    }

    private void BecomeBackup(VrrpTransitionReason reason)
    {
        VrrpState from = State;
        State = VrrpState.Backup;
        MasterAdvertisementInterval = Settings.AdvertisementInterval;
        MasterAddress = VrrpAddress.None;
        _protocolDeadline = After(_time.GetTimestamp(), MasterDownInterval);
        _masterDownShortened = false;
        _garpDeadline = Never;
        _actions.StateChanged(this, from, VrrpState.Backup, reason);
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
        _masterDownShortened = false;
    }

    private long After(long now, TimeSpan delay) =>
        now + (long)(delay.Ticks * (double)_time.TimestampFrequency / TimeSpan.TicksPerSecond);
}
