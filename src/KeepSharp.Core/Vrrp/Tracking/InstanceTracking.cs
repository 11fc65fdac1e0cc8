using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Vrrp.Tracking;

/// <summary>
/// The tracking state of one <c>vrrp_instance</c>: the last result of each tracker it follows (its own and
/// its sync group's, see <see cref="TrackingPlan"/>), combined into keepalived's <c>total_priority</c>, the
/// effective priority and the tracker fault reasons.
/// <list type="bullet">
/// <item>Effective priority = base + Σ contributions (<see cref="TrackedObject.Evaluate"/>), clamped to 1..254
/// (vrrp_track.c <c>vrrp_set_effective_priority</c>); the address owner (255) never changes.</item>
/// <item>Fault reasons: the <see cref="VrrpFaultReasons"/> flag of every tracker in fault; the router leaves
/// FAULT only when none is left (and no other reason holds it).</item>
/// </list>
/// Pure and deterministic: results come in as method calls; the daemon then calls <see cref="ApplyTo"/>
/// (or reads <see cref="EffectivePriority"/> and <see cref="FaultReasons"/>).
/// <code>
/// var tracking = new InstanceTracking(100, TrackingPlan.FromConfig(instance, config));
/// tracking.Update(TrackerKind.Interface, "eth1", TrackerStatus.Up);   // before Start: initial state
/// tracking.ApplyTo(router);
/// router.Start();
/// ...
/// if (script.Report(exitCode == 0))                                   // ScriptResultTracker
///     foreach (var t in trackingOf[script.Name]) { t.Update(TrackerKind.Script, script.Name, script.Status); t.ApplyTo(routerOf[t]); }
/// </code>
/// </summary>
public sealed class InstanceTracking
{
    private readonly TrackedObject[] _trackers;
    private readonly TrackerStatus[] _status;
    private readonly long[] _fileValue;

    /// <param name="basePriority">The configured priority (1..255).</param>
    /// <param name="trackers">The trackers, as <see cref="TrackingPlan"/> prepares them.</param>
    public InstanceTracking(byte basePriority, IEnumerable<TrackedObject> trackers)
    {
        ArgumentOutOfRangeException.ThrowIfZero(basePriority);
        BasePriority = basePriority;
        _trackers = [.. trackers];
        _status = new TrackerStatus[_trackers.Length];
        _fileValue = new long[_trackers.Length];
        Recompute();
    }

    public byte BasePriority { get; }

    public IReadOnlyList<TrackedObject> Trackers => _trackers;

    /// <summary>True for the address owner: its priority stays 255 whatever the trackers say.</summary>
    public bool IsAddressOwner => BasePriority == VrrpWire.PriorityOwner;

    /// <summary>keepalived's <c>total_priority</c>: base + the contributions, unclamped.</summary>
    public int TotalPriority { get; private set; }

    /// <summary>The priority to advertise: <see cref="TotalPriority"/> clamped to 1..254; 255 for the owner.</summary>
    public byte EffectivePriority { get; private set; }

    /// <summary>The tracker fault reasons (within <see cref="VrrpFaultReasons.Trackers"/>).</summary>
    public VrrpFaultReasons FaultReasons { get; private set; }

    /// <summary>The trackers currently in fault (for logs: "entering FAULT state due to script X").</summary>
    public IEnumerable<TrackedObject> FaultingTrackers => _trackers.Where((t, i) => Evaluate(i).Fault);

    /// <summary>The status last given for a script, interface or process tracker.</summary>
    public TrackerStatus StatusOf(TrackerKind kind, string name)
    {
        int i = Array.FindIndex(_trackers, t => t.Kind == kind && t.Name == name);
        return i < 0 ? TrackerStatus.Unknown : _status[i];
    }

    /// <summary>The value last given for a tracked file (0 when none).</summary>
    public long FileValueOf(string name)
    {
        int i = Array.FindIndex(_trackers, t => t.Kind == TrackerKind.File && t.Name == name);
        return i < 0 ? 0 : _fileValue[i];
    }

    /// <summary>
    /// Reload: takes the last results <paramref name="previous"/> had for the trackers both follow (by kind and name),
    /// so an instance that keeps its trackers keeps its effective priority and faults.
    /// </summary>
    public void CarryOver(InstanceTracking previous)
    {
        for (int i = 0; i < _trackers.Length; i++)
        {
            TrackedObject t = _trackers[i];
            if (!previous._trackers.Any(p => p.Kind == t.Kind && p.Name == t.Name))
                continue;
            if (t.Kind == TrackerKind.File)
                _fileValue[i] = previous.FileValueOf(t.Name);
            else
                _status[i] = previous.StatusOf(t.Kind, t.Name);
        }
        Recompute();
    }

    /// <summary>A script (its <see cref="ScriptResultTracker.Status"/>), interface (up/down) or process (quorum) changed.</summary>
    /// <returns>True when <see cref="EffectivePriority"/> or <see cref="FaultReasons"/> changed.</returns>
    public bool Update(TrackerKind kind, string name, TrackerStatus status)
    {
        if (kind == TrackerKind.File)
            throw new ArgumentException("a tracked file reports a value: use UpdateFile", nameof(kind));
        for (int i = 0; i < _trackers.Length; i++)
        {
            if (_trackers[i].Kind == kind && _trackers[i].Name == name)
                _status[i] = status;
        }
        return Recompute();
    }

    /// <summary>A tracked file now holds <paramref name="value"/> (keepalived reads a missing or empty file as 0).</summary>
    /// <returns>True when <see cref="EffectivePriority"/> or <see cref="FaultReasons"/> changed.</returns>
    public bool UpdateFile(string name, long value)
    {
        for (int i = 0; i < _trackers.Length; i++)
        {
            if (_trackers[i].Kind == TrackerKind.File && _trackers[i].Name == name)
                _fileValue[i] = value;
        }
        return Recompute();
    }

    /// <summary>
    /// Hands the result to the router: the effective priority first (it takes effect in the next advert, as
    /// in keepalived), then the tracker fault reasons in one step (<see cref="VrrpRouter.SetFaultReasons"/>).
    /// </summary>
    public void ApplyTo(VrrpRouter router)
    {
        router.SetPriority(EffectivePriority);
        router.SetFaultReasons(FaultReasons, VrrpFaultReasons.Trackers);
    }

    private (bool Fault, int Contribution) Evaluate(int i) =>
        _trackers[i].Kind == TrackerKind.File ? _trackers[i].EvaluateFile(_fileValue[i]) : _trackers[i].Evaluate(_status[i]);

    private bool Recompute()
    {
        int total = BasePriority;
        VrrpFaultReasons faults = VrrpFaultReasons.None;
        for (int i = 0; i < _trackers.Length; i++)
        {
            (bool fault, int contribution) = Evaluate(i);
            if (fault)
                faults |= _trackers[i].FaultReason;
            else
                total += contribution;
        }
        byte effective = IsAddressOwner ? VrrpWire.PriorityOwner : (byte)Math.Clamp(total, 1, VrrpWire.PriorityOwner - 1);
        bool changed = effective != EffectivePriority || faults != FaultReasons;
        TotalPriority = IsAddressOwner ? BasePriority : total;
        EffectivePriority = effective;
        FaultReasons = faults;
        return changed;
    }
}
