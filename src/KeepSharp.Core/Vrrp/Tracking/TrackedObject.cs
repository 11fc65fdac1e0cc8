using KeepSharp.Vrrp.StateMachine;

namespace KeepSharp.Vrrp.Tracking;

/// <summary>
/// One tracker as one instance tracks it: keepalived's <c>tracking_obj_t</c> (<c>weight</c>,
/// <c>weight_multiplier</c> = −1 with <c>reverse</c>). The rules, from vrrp_track.c
/// (<c>process_script_update_priority</c>, <c>initialise_*_tracking_priorities</c>,
/// <c>process_update_track_process_status</c>) and track_file.c (<c>update_track_file_status</c>,
/// <c>process_update_vrrp_track_file_status</c>):
/// <list type="bullet">
/// <item>Weight 0: fault-only. FAULT while failing (with <c>reverse</c>: while succeeding).</item>
/// <item>Weight &gt; 0: adds weight × multiplier while succeeding, nothing while failing.</item>
/// <item>Weight &lt; 0: adds weight × multiplier while failing, nothing while succeeding.</item>
/// <item>File, weight 0: a non-zero value is a fault (with <c>reverse</c>: zero is). Otherwise
/// value × weight × multiplier: ≤ −254 is a fault, above 253 counts as 253, anything else is added.</item>
/// </list>
/// </summary>
/// <param name="Kind">What is tracked.</param>
/// <param name="Name">The script, interface, file or process name.</param>
/// <param name="Weight">−253..253 (file: −254..254).</param>
/// <param name="Reverse">keepalived's <c>reverse</c>: the weight counts with the opposite sign.</param>
public sealed record TrackedObject(TrackerKind Kind, string Name, int Weight = 0, bool Reverse = false)
{
    /// <summary>value × weight at or below this puts the instance in FAULT (track_file.c).</summary>
    public const int FileFaultStatus = -254;

    /// <summary>The largest contribution of one tracked file (track_file.c clamps to 253).</summary>
    public const int FileMaximumStatus = 253;

    private int Multiplier => Reverse ? -1 : 1;

    /// <summary>The flag a fault of this tracker raises.</summary>
    public VrrpFaultReasons FaultReason => Kind switch
    {
        TrackerKind.Script => VrrpFaultReasons.Script,
        TrackerKind.Interface => VrrpFaultReasons.TrackedInterface,
        TrackerKind.File => VrrpFaultReasons.File,
        _ => VrrpFaultReasons.Process,
    };

    /// <summary>
    /// What a script, interface or process in <paramref name="status"/> does to the instance: a fault, or a
    /// priority contribution. A weight-0 script with no result yet holds the instance out (keepalived's
    /// <c>num_script_init</c> keeps it from coming up until the first result); other unknown results add nothing.
    /// </summary>
    public (bool Fault, int Contribution) Evaluate(TrackerStatus status)
    {
        if (Kind == TrackerKind.File)
            throw new InvalidOperationException("a tracked file is evaluated from its value");
        if (status == TrackerStatus.Unknown)
            return (Weight == 0 && Kind == TrackerKind.Script, 0);
        bool up = status == TrackerStatus.Up;
        if (Weight == 0)
            return (up == Reverse, 0);
        return (false, up ? Math.Max(Weight, 0) * Multiplier : Math.Min(Weight, 0) * Multiplier);
    }

    /// <summary>What a tracked file holding <paramref name="value"/> does to the instance (track_file.c).</summary>
    public (bool Fault, int Contribution) EvaluateFile(long value)
    {
        if (Kind != TrackerKind.File)
            throw new InvalidOperationException("only a tracked file has a value");
        if (Weight == 0)
            return ((value != 0) != Reverse, 0);
        long status = value * Weight * Multiplier;
        if (status <= FileFaultStatus)
            return (true, 0);
        return (false, (int)Math.Min(status, FileMaximumStatus));
    }
}
