using KeepSharp.Config;
using KeepSharp.Daemon.Runtime.Reload;
using KeepSharp.Daemon.Runtime.Tracking;
using KeepSharp.Linux;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.Reload;

namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// Reload (SIGHUP, <c>keepsharp reload</c>): the new configuration is loaded and validated off the loop; a broken one is
/// rejected with its file:line and nothing changes. Then, on the loop, the running instances are matched with the new
/// ones as keepalived matches them (<see cref="ReloadDiff"/>): an unchanged instance keeps its state, addresses and
/// timers (its adverts go on without a gap); a changed one keeps its state and takes its changes in place (a VIP list
/// as a diff); a removed one resigns with priority 0; a new one starts. Whatever the host must provide for the new
/// instances (interfaces, sockets, devices) is resolved before anything running is touched.
/// </summary>
internal sealed partial class VrrpDaemon
{
    private int _reloading;

    /// <summary>Where a reload reads the configuration (Program sets it: the same file and options as at startup).</summary>
    public Func<ConfigLoadResult>? ConfigSource { get; set; }

    /// <summary>On the loop, when an accepted configuration is about to be applied (systemd's RELOADING=1).</summary>
    public event Action? Reloading;

    /// <summary>On the loop, when a reload has finished, applied or not (systemd's READY=1).</summary>
    public event Action<ReloadReport>? Reloaded;

    /// <summary>
    /// Thread-safe: reloads the configuration. <paramref name="completed"/> gets the outcome (on the loop when it was
    /// applied, on a pool thread when it was rejected before). A reload asked for while one runs is refused.
    /// </summary>
    public void RequestReload(Action<ReloadReport>? completed = null)
    {
        if (Interlocked.Exchange(ref _reloading, 1) == 1)
        {
            const string busy = "Reload already in progress; this request is ignored";
            _log.Warning(busy);
            completed?.Invoke(new ReloadReport(false, [busy]));
            return;
        }
        _log.Info("Reloading");
        ThreadPool.QueueUserWorkItem(_ => LoadAndApply(completed));
    }

    /// <summary>Off the loop: reading and checking files may take time; the loop only applies a checked configuration.</summary>
    private void LoadAndApply(Action<ReloadReport>? completed)
    {
        var messages = new List<string>();
        try
        {
            if (ConfigSource is not { } source)
            {
                Finish(Rejected(messages, "Reload is not available: the daemon does not know its configuration file"), completed);
                return;
            }
            ConfigLoadResult result = source();
            foreach (ConfigDiagnostic d in result.Diagnostics)
            {
                messages.Add(d.ToString());
                _log.Write(d.Severity == ConfigSeverity.Error ? Logging.LogLevel.Error : Logging.LogLevel.Warning, d.ToString());
            }
            if (result.Config is not { } next)
            {
                Finish(Rejected(messages, "Reload rejected: the new configuration has errors (see above); the running configuration is kept"), completed);
                return;
            }
            string[] unsupported = [.. FeatureSupport.Errors(next)];
            if (unsupported.Length > 0)
            {
                foreach (string e in unsupported)
                    messages.Add(e);
                Finish(Rejected(messages, "Reload rejected: the new configuration needs features this version does not have; the running configuration is kept"), completed);
                return;
            }
            _loop.Post(() => Finish(Apply(next, messages), completed));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Finish(Rejected(messages, $"Reload rejected: {e.Message}; the running configuration is kept"), completed);
        }
    }

    private void Finish(ReloadReport report, Action<ReloadReport>? completed)
    {
        Volatile.Write(ref _reloading, 0);
        Reloaded?.Invoke(report);
        completed?.Invoke(report);
    }

    private ReloadReport Rejected(List<string> messages, string why)
    {
        _log.Error(why);
        messages.Add(why);
        return new ReloadReport(false, messages);
    }

    /// <summary>On the loop: plan, resolve what the new instances need, then apply.</summary>
    private ReloadReport Apply(KeepalivedConfig next, List<string> messages)
    {
        VrrpInstanceRuntime[] running = _instances;
        ReloadPlan plan;
        try
        {
            InstanceSpec[] before = [.. running.Select(r => InstanceSpec.From(r.Config, _config))];
            InstanceSpec[] after = [.. next.VrrpInstances.Select(i => InstanceSpec.From(i, next))];
            plan = ReloadDiff.Diff(before, after);
        }
        catch (NotSupportedException e)
        {
            return Rejected(messages, $"Reload rejected: {e.Message}; the running configuration is kept");
        }

        // Resolve before touching anything: a missing interface or device rejects the reload with nothing changed.
        var factory = new InstanceFactory(next, _edge, Transitions, _log);
        var updates = new Dictionary<ReloadStep, PreparedUpdate>();
        var added = new Dictionary<ReloadStep, VrrpInstanceRuntime>();
        try
        {
            foreach (ReloadStep step in plan.Steps)
            {
                VrrpInstance instance = step.New is int n ? next.VrrpInstances[n] : null!;
                switch (step.Action)
                {
                    case ReloadAction.Update:
                        VrrpInstanceRuntime old = running[step.Old!.Value];
                        updates[step] = new PreparedUpdate(instance, factory.Settings(instance, old.Endpoint), factory.Transport(instance),
                            factory.Bindings(instance, old.VmacName), factory.Routes(instance), factory.NoAccept(instance));
                        break;
                    case ReloadAction.Add:
                        added[step] = factory.Create(instance);
                        break;
                }
            }
        }
        catch (Exception e) when (e is DaemonStartupException or NotSupportedException or LinuxNetworkException or IOException or InvalidOperationException)
        {
            factory.Undo();
            return Rejected(messages, $"Reload rejected: {e.Message}; the running configuration is kept");
        }

        Reloading?.Invoke();
        void Say(string line)
        {
            _log.Info(line);
            messages.Add(line);
        }

        TrackingRuntime previousTracking = Tracking;
        previousTracking.Stop();
        previousTracking.Detach(_loop);

        // Removals first: their addresses may belong to an instance the reload adds.
        foreach (ReloadStep step in plan.Steps.Where(s => s.Action is ReloadAction.Remove or ReloadAction.Replace))
        {
            VrrpInstanceRuntime old = running[step.Old!.Value];
            old.Router.Shutdown();
            InstanceFactory.Detach(old);
            if (old.VmacName is { } vmac)
                _edge.VirtualMacs.Delete(vmac);
            Say($"({old.Name}) {(step.Action == ReloadAction.Remove ? "removed" : "replaced")} by the reload ({step.Identity}): resigned");
        }

        var instances = new VrrpInstanceRuntime[next.VrrpInstances.Count];
        foreach (ReloadStep step in plan.Steps)
        {
            switch (step.Action)
            {
                case ReloadAction.Keep:
                    VrrpInstanceRuntime kept = running[step.Old!.Value];
                    kept.Continue(next.VrrpInstances[step.New!.Value]);
                    instances[step.New.Value] = kept;
                    break;
                case ReloadAction.Update:
                    VrrpInstanceRuntime runtime = running[step.Old!.Value];
                    PreparedUpdate u = updates[step];
                    bool transport = step.Changes.HasFlag(InstanceChanges.Transport);
                    if (transport)
                        InstanceFactory.Detach(runtime);
                    runtime.Reconfigure(u.Instance, u.Settings, u.Transport, u.Bindings, u.Routes, u.NoAccept, step.Changes.HasFlag(InstanceChanges.Routes));
                    if (transport)
                        InstanceFactory.Attach(runtime);
                    instances[step.New!.Value] = runtime;
                    Say($"({runtime.Name}) updated by the reload ({step.Changes}); state {runtime.Router.State} kept");
                    break;
                case ReloadAction.Replace:
                    try
                    {
                        added[step] = factory.Create(next.VrrpInstances[step.New!.Value]);
                    }
                    catch (Exception e) when (e is DaemonStartupException or LinuxNetworkException or IOException)
                    {
                        _log.Error($"({next.VrrpInstances[step.New!.Value].Name}) cannot start after the reload: {e.Message}");
                        messages.Add(e.Message);
                    }
                    break;
            }
        }
        foreach ((ReloadStep step, VrrpInstanceRuntime runtime) in added)
        {
            InstanceFactory.Attach(runtime);
            instances[step.New!.Value] = runtime;
        }
        VrrpInstanceRuntime[] live = [.. instances.Where(i => i is not null)];

        // The loop reads the new set; endpoints nobody uses any more close.
        InterfaceEndpoint[] endpoints = [.. live.Select(i => i.Endpoint).Distinct()];
        _loop.Replace(live, endpoints);
        foreach ((string key, InterfaceEndpoint endpoint) in _edge.Endpoints.Where(e => !endpoints.Contains(e.Value)).ToList())
        {
            _edge.Endpoints.Remove(key);
            endpoint.Dispose();
            Say($"VRRP socket on {endpoint.Description} closed: no instance uses it any more");
        }
        _instances = live;
        _config = next;

        Notifier.Reload(next);
        foreach (VrrpInstanceRuntime instance in live)
        {
            instance.Notifier = Notifier;
            instance.Loop = _loop;
        }
        Tracking = TrackingRuntime.Build(next, live, _loop, _edge.Netlink, _log, previousTracking);
        foreach (Sync.SyncGroupRuntime group in Tracking.SyncGroups)
            group.GroupStateChanged += Notifier.OnGroupStateChanged;
        Tracking.Start();
        foreach (VrrpInstanceRuntime runtime in added.Values)
        {
            runtime.RemoveLeftoverAddresses();
            _loop.StartRouter(runtime);
            Say($"({runtime.Name}) added by the reload: started");
        }

        Say($"Reload done: {Count(plan, ReloadAction.Keep)} unchanged, {Count(plan, ReloadAction.Update)} updated, " +
            $"{Count(plan, ReloadAction.Replace)} replaced, {Count(plan, ReloadAction.Remove)} removed, {Count(plan, ReloadAction.Add)} added");
        return new ReloadReport(true, messages);
    }

    private static int Count(ReloadPlan plan, ReloadAction action) => plan.Steps.Count(s => s.Action == action);

    /// <summary>What an updated instance runs with, resolved before anything changed.</summary>
    private sealed record PreparedUpdate(VrrpInstance Instance, KeepSharp.Vrrp.StateMachine.VrrpRouterSettings Settings, VrrpTransportSettings Transport,
        VirtualAddressBinding[] Bindings, Resources.VirtualRoutes? Routes, Resources.NoAcceptRules? NoAccept);
}
