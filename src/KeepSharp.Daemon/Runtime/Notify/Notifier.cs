using KeepSharp.Config;
using KeepSharp.Daemon.Logging;
using KeepSharp.Daemon.Runtime.Loop;
using KeepSharp.Linux.Processes;
using KeepSharp.Vrrp.Notification;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Sync;

namespace KeepSharp.Daemon.Runtime.Notify;

/// <summary>
/// keepalived's <c>vrrp_notify.c</c> on the event loop: for each state change the state's own script
/// (<c>notify_master|backup|fault|stop</c>, no extra argument), then the generic <c>notify</c> with
/// <c>INSTANCE|GROUP NAME STATE PRIORITY</c> appended (a group's priority is 0), then the FIFO line
/// <c>INSTANCE "NAME" STATE PRIORITY</c> to <c>notify_fifo</c> and <c>vrrp_notify_fifo</c>
/// (<c>send_instance_notifies</c>, <c>send_group_notifies</c>); <c>notify_master_rx_lower_pri</c> with its FIFO line
/// (<c>send_event_notify</c>); MASTER_PRIORITY / BACKUP_PRIORITY FIFO lines when <c>notify_priority_changes</c> applies
/// (<c>send_instance_priority_notifies</c>). FIFO lines are written at once; scripts run per instance or group in
/// transition order (<see cref="NotifySequence"/>), different instances concurrently.
/// </summary>
internal sealed class Notifier
{
    /// <summary>keepalived kills a STOP notify after one second (<c>system_call_script(..., TIMER_HZ, ...)</c>).</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Time limit of other notify scripts. keepalived never waits for them (nor kills them); running them in order
    /// needs a bound, so a hung script holds its instance's later notifies for at most this long.
    /// </summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// At most one <c>notify_master_rx_lower_pri</c> notification (script and FIFO line) per instance in this time.
    /// keepalived sends one for every lower-priority advert a master receives (<c>vrrp_state_master_rx</c>), forking
    /// the script each time; a peer flooding adverts would then fork one script per packet. The first one always
    /// goes at once; the ones within a second after it are counted and the count is logged with the next.
    /// </summary>
    public static readonly TimeSpan LowerPriorityInterval = TimeSpan.FromSeconds(1);

    private readonly ILoopServices _loop;
    private readonly Log _log;
    private readonly TimeSpan _timeout;
    private readonly int _capacity;
    private Dictionary<string, Target> _instances = new(StringComparer.Ordinal);
    private Dictionary<string, Target> _groups = new(StringComparer.Ordinal);
    private string _fifoKey = "";
    private readonly List<NotifyFifoChannel> _fifos = [];
    private bool _shutDown;

    private Notifier(ILoopServices loop, Log log, TimeSpan timeout, int capacity)
    {
        _loop = loop;
        _log = log;
        _timeout = timeout;
        _capacity = capacity;
    }

    /// <summary>
    /// Loads and checks every notify script of <paramref name="config"/> (logging keepalived's messages), opens the
    /// notify FIFOs and starts their scripts.
    /// </summary>
    public static Notifier Create(KeepalivedConfig config, ILoopServices loop, Log log, TimeSpan? timeout = null, int capacity = NotifySequence.DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(config);
        var notifier = new Notifier(loop, log, timeout ?? DefaultTimeout, capacity);
        notifier.Configure(config);
        return notifier;
    }

    /// <summary>
    /// Reload: the notify scripts and FIFOs of <paramref name="config"/> from now on. An instance or group that keeps
    /// its name keeps its queue (scripts in flight finish in order) and what it has notified; FIFOs configured as before
    /// stay open, others are closed and the new ones opened.
    /// </summary>
    public void Reload(KeepalivedConfig config) => Configure(config);

    private void Configure(KeepalivedConfig config)
    {
        var loader = new NotifyScriptLoader(config.GlobalDefs, _log);
        var groups = new Dictionary<string, Target>(StringComparer.Ordinal);
        foreach (VrrpSyncGroup group in config.VrrpSyncGroups)
        {
            groups[group.Name] = Continue(_groups, group.Name, NewTarget("GROUP", group.Name, group.NotifyScripts, loader, group.NotifyPriorityChanges ?? false));
        }

        var instances = new Dictionary<string, Target>(StringComparer.Ordinal);
        foreach (VrrpInstance instance in config.VrrpInstances)
        {
            bool priorityChanges = instance.NotifyPriorityChanges
                ?? config.VrrpSyncGroups.FirstOrDefault(g => g.Name == instance.SyncGroup)?.NotifyPriorityChanges
                ?? config.GlobalDefs.VrrpNotifyPriorityChanges;
            instances[instance.Name] = Continue(_instances, instance.Name, NewTarget("INSTANCE", instance.Name, instance.NotifyScripts, loader, priorityChanges));
        }

        _groups = groups;
        _instances = instances;

        // keepalived opens the global notify_fifo first, then vrrp_notify_fifo (notify_fifo_open).
        GlobalDefs globals = config.GlobalDefs;
        string fifoKey = $"{globals.NotifyFifo}|{globals.NotifyFifoScript}|{globals.VrrpNotifyFifo}|{globals.VrrpNotifyFifoScript}";
        if (fifoKey != _fifoKey)
        {
            foreach (NotifyFifoChannel fifo in _fifos)
            {
                fifo.Dispose();
            }

            _fifos.Clear();
            _fifoKey = fifoKey;
            if (globals.NotifyFifo is { } global)
            {
                OpenFifo("", global, loader.Load("notify_fifo", globals.NotifyFifoScript));
            }

            if (globals.VrrpNotifyFifo is { } vrrp)
            {
                OpenFifo("vrrp_", vrrp, loader.Load("vrrp_notify_fifo", globals.VrrpNotifyFifoScript));
            }
        }

        if (loader.AnyChecked && !globals.EnableScriptSecurity)
        {
            _log.Warning(ScriptSecurity.SecurityViolationMessage(loader.AnyInsecure));
        }
    }

    /// <summary>A reloaded target of a name that existed keeps that one's queue and what it has notified.</summary>
    private static Target Continue(Dictionary<string, Target> previous, string name, Target next)
    {
        if (!previous.TryGetValue(name, out Target? old))
        {
            return next;
        }

        return (next with { Sequence = old.Sequence }).Continuing(old);
    }

    /// <summary>The FIFOs open now.</summary>
    public IReadOnlyList<string> FifoPaths => [.. _fifos.Select(f => f.Path)];

    /// <summary>No notify script running or waiting.</summary>
    public bool IsIdle => _instances.Values.Concat(_groups.Values).All(t => t.Sequence.IsIdle);

    /// <summary>keepalived's <c>send_instance_notifies</c>; <see cref="VrrpState.Initialize"/> (a shutdown) is STOP.</summary>
    public void OnInstanceStateChanged(VrrpRouter router, VrrpState from, VrrpState to)
    {
        ArgumentNullException.ThrowIfNull(router);
        InstanceStateChanged(VrrpNotification.ForInstance(router, to), router.SyncGroup is { } group ? group.State : null);
    }

    /// <summary>keepalived's <c>send_group_notifies</c>.</summary>
    public void OnGroupStateChanged(SyncGroup group, VrrpState from, VrrpState to)
    {
        ArgumentNullException.ThrowIfNull(group);
        GroupStateChanged(VrrpNotification.ForGroup(group, to));
    }

    /// <summary>keepalived's <c>send_instance_priority_notifies</c> (only with notify_priority_changes).</summary>
    public void OnPriorityChanged(VrrpRouter router, byte from, byte to)
    {
        ArgumentNullException.ThrowIfNull(router);
        if (from != to)
        {
            PriorityChanged(VrrpNotification.ForPriorityChange(router));
        }
    }

    /// <summary>
    /// keepalived's <c>send_event_notify(vrrp, VRRP_EVENT_MASTER_RX_LOWER_PRI)</c>, rate-limited to one per
    /// <see cref="LowerPriorityInterval"/>. Called for every such advert: allocates nothing unless a notification goes.
    /// </summary>
    public void OnMasterReceivedLowerPriority(VrrpRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);
        if (LowerPriorityNotifyDue(router.Name, _loop.Time.GetTimestamp()))
        {
            MasterReceivedLowerPriority(VrrpNotification.ForLowerPriorityAdvert(router));
        }
    }

    /// <summary>
    /// Whether a lower-priority advert received at <paramref name="now"/> (loop timestamp) is notified: something must
    /// be configured to hear it (the script or a FIFO), and the last one must be <see cref="LowerPriorityInterval"/> old.
    /// </summary>
    internal bool LowerPriorityNotifyDue(string name, long now)
    {
        if (!_instances.TryGetValue(name, out Target? target) || (target.MasterRxLowerPri is null && _fifos.Count == 0))
        {
            return false;
        }

        long interval = (long)(LowerPriorityInterval.TotalSeconds * _loop.Time.TimestampFrequency);
        if (target.LowerPriorityNotified && now - target.LastLowerPriority < interval)
        {
            target.SuppressedLowerPriority++;
            return false;
        }

        if (target.SuppressedLowerPriority > 0)
        {
            _log.Info($"({name}) {target.SuppressedLowerPriority} lower priority advert notification(s) suppressed (at most one per {LowerPriorityInterval.TotalSeconds:0.###}s)");
            target.SuppressedLowerPriority = 0;
        }

        target.LowerPriorityNotified = true;
        target.LastLowerPriority = now;
        return true;
    }

    /// <summary>
    /// An instance notification. <paramref name="syncGroupState"/> is its sync group's state at that moment: as
    /// keepalived, once an instance has notified, it does not notify again a state its group is already in.
    /// </summary>
    internal void InstanceStateChanged(VrrpNotification notification, VrrpState? syncGroupState)
    {
        if (!_instances.TryGetValue(notification.Name, out Target? target))
        {
            return;
        }

        if (target.NotifiesSent && syncGroupState is { } groupState && EventOf(groupState) == notification.Event)
        {
            return;
        }

        target.NotifiesSent = true;
        Send(target, notification);
    }

    internal void GroupStateChanged(VrrpNotification notification)
    {
        if (_groups.TryGetValue(notification.Name, out Target? target))
        {
            Send(target, notification);
        }
    }

    internal void PriorityChanged(VrrpNotification notification)
    {
        if (_instances.TryGetValue(notification.Name, out Target? target) && target.PriorityChanges)
        {
            WriteFifos(notification);
        }
    }

    internal void MasterReceivedLowerPriority(VrrpNotification notification)
    {
        if (!_instances.TryGetValue(notification.Name, out Target? target))
        {
            return;
        }

        if (target.MasterRxLowerPri is { } script)
        {
            target.Sequence.Enqueue([new NotifyRun(script, [], _timeout)]);
        }

        WriteFifos(notification);
    }

    /// <summary>
    /// After the routers' STOP transitions were delivered (<c>notify_shutdown</c>: instances, then groups): waits for
    /// the notify scripts to finish, at most <paramref name="deadline"/> (then ends them and drops what waits), closes
    /// the FIFOs (unlinking those created) and ends their scripts, then calls <paramref name="completed"/> on the loop.
    /// </summary>
    public void Shutdown(TimeSpan deadline, Action completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        if (_shutDown)
        {
            return;
        }

        _shutDown = true;
        IDisposable? timer = null;
        bool finished = false;
        void Finish()
        {
            if (finished || !IsIdle)
            {
                return;
            }

            finished = true;
            timer?.Dispose();
            foreach (NotifyFifoChannel fifo in _fifos)
            {
                fifo.Dispose();
            }

            _fifos.Clear();
            completed();
        }

        foreach (Target target in _instances.Values.Concat(_groups.Values))
        {
            target.Sequence.Idle = Finish;
        }

        if (IsIdle)
        {
            Finish();
            return;
        }

        long due = _loop.Time.GetTimestamp() + (long)(deadline.TotalSeconds * _loop.Time.TimestampFrequency);
        timer = _loop.ScheduleAt(due, () =>
        {
            foreach (Target target in _instances.Values.Concat(_groups.Values))
            {
                target.Sequence.Abandon();
            }
        });
    }

    private static VrrpNotificationEvent EventOf(VrrpState state) => state switch
    {
        VrrpState.Master => VrrpNotificationEvent.Master,
        VrrpState.Backup => VrrpNotificationEvent.Backup,
        VrrpState.Fault => VrrpNotificationEvent.Fault,
        _ => VrrpNotificationEvent.Stop,
    };

    private void Send(Target target, VrrpNotification notification)
    {
        var batch = new List<NotifyRun>(2);
        bool stop = notification.Event == VrrpNotificationEvent.Stop;
        if (target.StateScript(notification.Event) is { } own)
        {
            // keepalived kills an instance's notify_stop after 1 s; a group's runs unwatched.
            batch.Add(new NotifyRun(own, [], stop && notification.Target == VrrpNotificationTarget.Instance ? StopTimeout : _timeout));
        }

        if (target.Generic is { } generic)
        {
            batch.Add(new NotifyRun(generic, notification.NotifyArguments(), stop ? StopTimeout : _timeout));
        }

        target.Sequence.Enqueue([.. batch]);
        WriteFifos(notification);
    }

    private void WriteFifos(VrrpNotification notification)
    {
        if (_fifos.Count == 0)
        {
            return;
        }

        string line = notification.FifoLine();
        foreach (NotifyFifoChannel fifo in _fifos)
        {
            fifo.Write(line);
        }
    }

    private void OpenFifo(string type, NotifyFifoLine line, NotifyScript? script)
    {
        if (NotifyFifoChannel.Open(type, line, script, _loop, _log) is { } channel)
        {
            _fifos.Add(channel);
        }
    }

    private Target NewTarget(string kind, string name, NotifyScripts scripts, NotifyScriptLoader loader, bool priorityChanges) => new(
        new NotifySequence($"({name})", _loop, _log, _capacity),
        loader.Load("notify", scripts.Generic),
        loader.Load("notify_master", scripts.Master),
        loader.Load("notify_backup", scripts.Backup),
        loader.Load("notify_fault", scripts.Fault),
        loader.Load("notify_stop", scripts.Stop),
        kind == "INSTANCE" ? loader.Load("notify_master_rx_lower_pri", scripts.MasterRxLowerPri) : null,
        priorityChanges);

    private sealed record Target(NotifySequence Sequence, NotifyScript? Generic, NotifyScript? Master, NotifyScript? Backup,
        NotifyScript? Fault, NotifyScript? Stop, NotifyScript? MasterRxLowerPri, bool PriorityChanges)
    {
        public Target Continuing(Target old)
        {
            NotifiesSent = old.NotifiesSent;
            LowerPriorityNotified = old.LowerPriorityNotified;
            LastLowerPriority = old.LastLowerPriority;
            SuppressedLowerPriority = old.SuppressedLowerPriority;
            return this;
        }

        public bool NotifiesSent { get; set; }

        public bool LowerPriorityNotified { get; set; }

        public long LastLowerPriority { get; set; }

        public long SuppressedLowerPriority { get; set; }

        public NotifyScript? StateScript(VrrpNotificationEvent e) => e switch
        {
            VrrpNotificationEvent.Master => Master,
            VrrpNotificationEvent.Backup => Backup,
            VrrpNotificationEvent.Fault => Fault,
            VrrpNotificationEvent.Stop => Stop,
            _ => null,
        };
    }
}
