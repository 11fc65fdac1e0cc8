using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Tracking;

namespace KeepSharp.Daemon.Runtime.Tracking;

/// <summary>
/// Hands tracker results (scripts, interfaces, files, processes) to every instance that tracks them: each
/// instance's <see cref="InstanceTracking"/> recomputes its effective priority and tracker faults, and when
/// they change, applies them to its router (keepalived's <c>update_script_priorities</c> and friends).
/// Loop thread only. Monitors call <see cref="Update"/> or <see cref="UpdateFile"/>.
/// </summary>
internal sealed class TrackingDispatcher
{
    private readonly List<(InstanceTracking Tracking, VrrpRouter Router)> _instances = [];

    public void Add(InstanceTracking tracking, VrrpRouter router) => _instances.Add((tracking, router));

    /// <summary>Whether any instance tracks <paramref name="name"/> of <paramref name="kind"/>.</summary>
    public bool Tracks(TrackerKind kind, string name)
    {
        foreach ((InstanceTracking tracking, _) in _instances)
        {
            foreach (TrackedObject t in tracking.Trackers)
            {
                if (t.Kind == kind && t.Name == name)
                    return true;
            }
        }
        return false;
    }

    /// <summary>A script, interface or process tracker has a new status.</summary>
    public void Update(TrackerKind kind, string name, TrackerStatus status)
    {
        foreach ((InstanceTracking tracking, VrrpRouter router) in _instances)
        {
            if (tracking.Update(kind, name, status))
                tracking.ApplyTo(router);
        }
    }

    /// <summary>A tracked file has a new value.</summary>
    public void UpdateFile(string name, long value)
    {
        foreach ((InstanceTracking tracking, VrrpRouter router) in _instances)
        {
            if (tracking.UpdateFile(name, value))
                tracking.ApplyTo(router);
        }
    }

    /// <summary>Before the routers start: every instance takes its initial priority and tracker faults.</summary>
    public void ApplyInitialState()
    {
        foreach ((InstanceTracking tracking, VrrpRouter router) in _instances)
            tracking.ApplyTo(router);
    }
}
