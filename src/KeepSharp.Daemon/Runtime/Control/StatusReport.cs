using KeepSharp.Daemon.Runtime.Dumps;
using KeepSharp.Daemon.Runtime.Metrics;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Tracking;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Daemon.Runtime.Control;

/// <summary>
/// What <c>keepsharp status</c> and <c>/metrics</c> show: plain immutable data, built off the loop from a
/// <see cref="StatusSnapshot"/> (itself copied on the loop), sent as JSON over the control socket and read back by the
/// client. Times are UTC; durations in seconds.
/// </summary>
internal sealed record StatusReport(
    string Version,
    string? RouterId,
    int Pid,
    DateTimeOffset TakenAt,
    IReadOnlyList<InstanceStatus> Instances,
    IReadOnlyList<InterfaceStatus> Interfaces,
    IReadOnlyList<ScriptStatus> Scripts,
    ProcessStatus? Process = null)
{
    public static StatusReport From(StatusSnapshot snapshot)
    {
        DumpSnapshot dump = snapshot.Dump;
        return new StatusReport(snapshot.Version, dump.Globals.RouterId, snapshot.Pid, dump.TakenAt,
            [.. dump.Instances.Select(i => InstanceStatus.From(i, snapshot.Instances.GetValueOrDefault(i.Name), dump.TakenAt))],
            [.. dump.Interfaces.Select(i => new InterfaceStatus(i.Name, i.Received, DropList(i.Drops)))],
            [.. dump.Scripts.Select(s => ScriptStatus.From(s, snapshot.Scripts.GetValueOrDefault(s.Name) ?? ScriptDurationSnapshot.Empty))],
            snapshot.Process);
    }

    /// <summary>Every drop reason but None, in the enum's order, with its count (zeros included: metrics want every series).</summary>
    public static IReadOnlyList<DropCount> DropList(IReadOnlyList<long> drops) =>
        [.. Enum.GetValues<VrrpDropReason>().Where(r => r != VrrpDropReason.None && (int)r < drops.Count).Select(r => new DropCount(r.ToString(), drops[(int)r]))];

    /// <summary>KEEPALIVED's state words.</summary>
    public static string StateName(VrrpState state) => state switch
    {
        VrrpState.Master => "MASTER",
        VrrpState.Backup => "BACKUP",
        VrrpState.Fault => "FAULT",
        _ => "INIT",
    };

    public static readonly string[] StateNames = ["INIT", "BACKUP", "MASTER", "FAULT"];
}

internal sealed record DropCount(string Reason, long Count);

internal sealed record InterfaceStatus(string Name, long Received, IReadOnlyList<DropCount> Drops);

/// <summary>One instance: its state and who is master, its priorities, VIPs, last transition, trackers, counters and the routers heard.</summary>
internal sealed record InstanceStatus(
    string Name,
    string Interface,
    int VirtualRouterId,
    string Family,
    int VrrpVersion,
    string State,
    int BasePriority,
    int EffectivePriority,
    string? MasterAddress,
    string SourceAddress,
    double AdvertIntervalSeconds,
    IReadOnlyList<string> VirtualAddresses,
    bool AddressesInstalled,
    TransitionStatus? LastTransition,
    IReadOnlyList<TrackerStatusEntry> Trackers,
    CounterStatus Counters,
    IReadOnlyList<HeardRouterStatus> Heard)
{
    public static InstanceStatus From(InstanceSnapshot i, InstanceExtras? extras, DateTimeOffset takenAt)
    {
        StatisticsSnapshot s = i.Statistics;
        string? master = i.State switch
        {
            VrrpState.Master => i.SourceAddress,
            VrrpState.Backup => i.MasterRouter,
            _ => null,
        };
        TransitionStatus? last = extras?.Last is { } t
            ? new TransitionStatus(StatusReport.StateName(t.From), StatusReport.StateName(t.To), TransitionStatus.Describe(t.Reason), t.At)
            : null;
        return new InstanceStatus(i.Name, i.VmacInterface ?? i.Interface, i.VirtualRouterId, i.IPv6 ? "IPv6" : "IPv4", i.Version,
            StatusReport.StateName(i.State), i.BasePriority, i.EffectivePriority, master, i.SourceAddress, i.AdvertInterval.TotalSeconds,
            [.. i.Addresses.Where(a => !a.Excluded).Select(a => a.Text.Split(' ')[0])],
            i.AddressesInstalled,
            last,
            [.. i.Trackers.Select(tr => new TrackerStatusEntry(tr.Kind.ToString().ToLowerInvariant(), tr.Name, tr.Weight, tr.Reverse, TrackerStatusEntry.ResultName(tr.Status)))],
            new CounterStatus(s.AdvertisementsSent, s.AdvertisementsReceived, s.PriorityZeroSent, s.PriorityZeroReceived, s.BecameMaster, s.ReleasedMaster,
                extras?.Transitions ?? [], StatusReport.DropList(s.Drops)),
            [.. (extras?.Heard ?? []).OrderBy(h => h.Source).Select(h => new HeardRouterStatus(h.Source.ToString(), h.Version, h.Priority,
                h.IntervalCentiseconds / 100.0, h.Adverts, h.LastDrop == VrrpDropReason.None ? null : h.LastDrop.ToString(), takenAt - h.Age, h.Age.TotalSeconds))]);
    }
}

internal sealed record TransitionStatus(string From, string To, string Reason, DateTimeOffset At)
{
    public static string Describe(VrrpTransitionReason reason) => reason switch
    {
        VrrpTransitionReason.Startup => "startup",
        VrrpTransitionReason.AddressOwner => "startup as address owner (priority 255)",
        VrrpTransitionReason.MasterDownTimer => "no advert from the master for Master_Down_Interval",
        VrrpTransitionReason.MasterStopped => "the master resigned (priority 0 advert)",
        VrrpTransitionReason.HigherPriorityAdvertisement => "advert with a higher priority heard",
        VrrpTransitionReason.Shutdown => "shutdown",
        VrrpTransitionReason.InterfaceDown => "interface down",
        VrrpTransitionReason.InterfaceUp => "interface up",
        VrrpTransitionReason.TrackingFault => "a tracker failed",
        VrrpTransitionReason.TrackingRecovered => "trackers recovered",
        VrrpTransitionReason.SyncGroup => "moved with its sync group",
        _ => reason.ToString(),
    };
}

internal sealed record TrackerStatusEntry(string Kind, string Name, int Weight, bool Reverse, string Result)
{
    public static string ResultName(TrackerStatus status) => status switch
    {
        TrackerStatus.Up => "OK",
        TrackerStatus.Down => "FAILING",
        _ => "UNKNOWN",
    };
}

/// <summary>Transitions counts by the state entered (INIT, BACKUP, MASTER, FAULT order of <see cref="StatusReport.StateNames"/>).</summary>
internal sealed record CounterStatus(
    long AdvertsSent,
    long AdvertsReceived,
    long PriorityZeroSent,
    long PriorityZeroReceived,
    long BecameMaster,
    long ReleasedMaster,
    IReadOnlyList<long> TransitionsTo,
    IReadOnlyList<DropCount> Drops)
{
    public long TotalDropped => Drops.Sum(d => d.Count);
}

/// <summary>A router heard on the wire for the instance's VRID.</summary>
internal sealed record HeardRouterStatus(string Address, int Version, int Priority, double IntervalSeconds, long Adverts, string? LastDrop,
    DateTimeOffset LastHeard, double AgeSeconds);

internal sealed record ScriptStatus(string Name, string Result, long Runs, long Timeouts, double LastDurationSeconds, double DurationSumSeconds,
    IReadOnlyList<long> DurationBuckets)
{
    public static ScriptStatus From(ScriptSnapshot s, ScriptDurationSnapshot d) =>
        new(s.Name, TrackerStatusEntry.ResultName(s.Status), d.Count, d.Timeouts, d.LastSeconds, d.SumSeconds, d.Buckets);
}

/// <summary>What the loop copies besides the <see cref="DumpSnapshot"/>: per instance name, per script name.</summary>
internal sealed record StatusSnapshot(
    string Version,
    int Pid,
    DumpSnapshot Dump,
    IReadOnlyDictionary<string, InstanceExtras> Instances,
    IReadOnlyDictionary<string, ScriptDurationSnapshot> Scripts,
    ProcessStatus? Process = null);

/// <summary>One instance's heard routers (with their age at the snapshot), last transition and transition counts.</summary>
internal sealed record InstanceExtras(IReadOnlyList<HeardRouterSnapshot> Heard, TransitionRecord? Last, IReadOnlyList<long> Transitions);

internal readonly record struct HeardRouterSnapshot(VrrpAddress Source, int Version, int Priority, int IntervalCentiseconds, long Adverts,
    VrrpDropReason LastDrop, TimeSpan Age);

internal sealed record TransitionRecord(VrrpState From, VrrpState To, VrrpTransitionReason Reason, DateTimeOffset At);
