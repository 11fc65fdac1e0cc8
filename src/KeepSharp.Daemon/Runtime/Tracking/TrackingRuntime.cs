using KeepSharp.Config;
using KeepSharp.Daemon.Logging;
using KeepSharp.Daemon.Runtime.Loop;
using KeepSharp.Daemon.Runtime.Scripts;
using KeepSharp.Daemon.Runtime.Sync;
using KeepSharp.Linux;
using KeepSharp.Linux.Processes;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Tracking;

namespace KeepSharp.Daemon.Runtime.Tracking;

/// <summary>
/// Everything that moves the instances besides the protocol, built from the configuration: each instance's
/// <see cref="InstanceTracking"/> (by <see cref="TrackingPlan"/>, with its sync group's trackers and
/// <c>sync_group_tracking_weight</c>), the sync groups, one <see cref="VrrpScriptRunner"/> per tracked
/// <c>vrrp_script</c>, the <see cref="InterfaceTracker"/> for <c>track_interface</c>, and the
/// <see cref="TrackFileMonitor"/> and <see cref="TrackProcessMonitor"/> for the <c>vrrp_track_file</c> and
/// <c>vrrp_track_process</c> that some instance or group tracks (keepalived forgets the others).
/// </summary>
internal sealed class TrackingRuntime
{
    private readonly List<(VrrpScriptRunner Runner, string? Problem)> _scripts = [];

    private TrackingRuntime(TrackingDispatcher dispatcher, IReadOnlyList<SyncGroupRuntime> syncGroups, InterfaceTracker? interfaces)
    {
        Dispatcher = dispatcher;
        SyncGroups = syncGroups;
        Interfaces = interfaces;
    }

    public TrackingDispatcher Dispatcher { get; }

    public IReadOnlyList<SyncGroupRuntime> SyncGroups { get; }

    public InterfaceTracker? Interfaces { get; }

    public TrackFileMonitor? Files { get; private set; }

    public TrackProcessMonitor? Processes { get; private set; }

    public IEnumerable<VrrpScriptRunner> Scripts => _scripts.Select(s => s.Runner);

    /// <param name="previous">At reload: the running tracking, already stopped (<see cref="Stop"/>, <see cref="Detach"/>). Trackers
    /// both follow keep their last results, scripts unchanged keep their rise/fall count, and sync groups are rebuilt
    /// over the running routers in their current state.</param>
    public static TrackingRuntime Build(KeepalivedConfig config, IReadOnlyList<VrrpInstanceRuntime> instances, EventLoop loop, RtNetlink netlink, Log log,
        TrackingRuntime? previous = null)
    {
        var dispatcher = new TrackingDispatcher();
        var syncGroups = new List<SyncGroupRuntime>();
        foreach (VrrpSyncGroup group in config.VrrpSyncGroups)
        {
            VrrpRouter[] members = [.. instances.Where(i => group.Instances.Contains(i.Name)).Select(i => i.Router)];
            if (members.Length == 0)
                continue;
            if (members.Length == 1)
                log.Warning($"Sync group {group.Name} has only 1 virtual router(s) - this probably isn't what you want");
            var groupRuntime = new SyncGroupRuntime(group.Name, members, log);
            if (previous is not null)
                groupRuntime.Group.Resynchronize();
            syncGroups.Add(groupRuntime);
        }

        var trackedInterfaces = new HashSet<string>(StringComparer.Ordinal);
        foreach (VrrpInstanceRuntime instance in instances)
        {
            VrrpSyncGroup? group = config.VrrpSyncGroups.FirstOrDefault(g => g.Instances.Contains(instance.Name));
            var ignored = new List<string>();
            IReadOnlyList<TrackedObject> plan = TrackingPlan.FromConfig(instance.Config, config, group?.SyncGroupTrackingWeight ?? false, ignored);
            foreach (string line in ignored)
                log.Warning($"({instance.Name}) {line}");
            foreach (TrackScriptReference missing in instance.Config.TrackScripts.Where(r => config.VrrpScripts.All(s => s.Name != r.Name)))
                log.Warning($"{missing.Location.File}:{missing.Location.Line}: ({instance.Name}) track script {missing.Name} not found, ignoring...");
            foreach (TrackedObject t in plan.Where(t => t.Kind == TrackerKind.Interface))
                trackedInterfaces.Add(t.Name);
            var tracking = new InstanceTracking(instance.Config.Priority, plan);
            if (previous is not null && instance.Tracking is { } before)
                tracking.CarryOver(before);
            instance.Tracking = tracking;
            dispatcher.Add(tracking, instance.Router);
        }

        InterfaceTracker? interfaces = null;
        if (trackedInterfaces.Count > 0)
        {
            interfaces = new InterfaceTracker(trackedInterfaces, dispatcher, netlink, log);
            loop.AddLinkObserver(interfaces);
        }

        var runtime = new TrackingRuntime(dispatcher, syncGroups, interfaces);
        bool anyChecked = false, anyInsecure = false;
        foreach (VrrpScript script in config.VrrpScripts)
        {
            if (!dispatcher.Tracks(TrackerKind.Script, script.Name))
                continue;
            TrackedScriptCheck check = TrackedScriptCheck.Run(script, config.GlobalDefs);
            foreach (string message in check.Messages)
                log.Warning($"vrrp_script {script.Name}: {message}");
            anyChecked = true;
            anyInsecure |= check.Insecure;
            var runner = new VrrpScriptRunner(script, check.StartInfo, loop, dispatcher, log);
            if (previous?._scripts.FirstOrDefault(s => s.Runner.Name == script.Name).Runner is { } old && runner.CarryOver(old))
                log.Detail($"vrrp_script {script.Name}: unchanged by the reload, keeps its result");
            runtime._scripts.Add((runner, check.Problem));
        }
        if (anyChecked && !config.GlobalDefs.EnableScriptSecurity)
            log.Warning(ScriptSecurity.SecurityViolationMessage(anyInsecure));

        VrrpTrackFile[] files = [.. config.VrrpTrackFiles.Where(f => dispatcher.Tracks(TrackerKind.File, f.Name))];
        if (files.Length > 0)
            runtime.Files = new TrackFileMonitor(files, loop, log, dispatcher.UpdateFile);
        VrrpTrackProcess[] processes = [.. config.VrrpTrackProcesses.Where(p => dispatcher.Tracks(TrackerKind.Process, p.Name))];
        if (processes.Length > 0)
            runtime.Processes = new TrackProcessMonitor(processes, loop, (name, status) => dispatcher.Update(TrackerKind.Process, name, status));
        return runtime;
    }

    /// <summary>
    /// Before the routers start: the file and process monitors read their first values, every instance takes its
    /// initial priority and tracker faults, then the first script runs (due now).
    /// </summary>
    public void Start()
    {
        Files?.Start();
        Processes?.Start();
        Dispatcher.ApplyInitialState();
        foreach ((VrrpScriptRunner runner, string? problem) in _scripts)
            runner.Start(problem);
    }

    /// <summary>Reload, on the loop after <see cref="Stop"/>: the sync groups release their members and the interface tracker stops hearing links.</summary>
    public void Detach(EventLoop loop)
    {
        foreach (SyncGroupRuntime group in SyncGroups)
            group.Group.Dissolve();
        if (Interfaces is not null)
            loop.RemoveLinkObserver(Interfaces);
    }

    /// <summary>
    /// On the loop, when the daemon stops (before the routers resign): no further script runs (the shutdown may
    /// wait seconds for notify scripts) and the monitors stop watching, so no tracker moves a resigned router.
    /// </summary>
    public void Stop()
    {
        foreach ((VrrpScriptRunner runner, _) in _scripts)
            runner.Stop();
        Processes?.Dispose();
        Files?.Dispose();
    }
}
