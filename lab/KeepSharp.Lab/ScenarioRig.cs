namespace KeepSharp.Lab;

/// <summary>
/// The shared setup of the health-check and example scenarios: the lab topology, nginx on both hosts, a client
/// probe per VIP, the VIP watcher, and one daemon per host with its config. Steps wait for the client to be
/// answered by the expected host (<see cref="Step"/>) or watch that nothing moves (<see cref="Hold"/>).
/// </summary>
public sealed class ScenarioRig : IDisposable
{
    private readonly LabOptions _o;
    private readonly Timeline _tl;
    private readonly CancellationToken _ct;
    private readonly Dictionary<string, ClientProbe> _probes = [];
    private VipWatcher? _vipWatcher;
    private bool _disposed;

    private ScenarioRig(LabOptions o, Timeline tl, CancellationToken ct, LabTopology lab)
    {
        _o = o;
        _tl = tl;
        _ct = ct;
        Lab = lab;
    }

    public LabTopology Lab { get; }
    public LabDaemon D171 { get; private set; } = null!;
    public LabDaemon D172 { get; private set; } = null!;
    public IReadOnlyList<string> Vips { get; private set; } = [];

    /// <summary>The second lab VIP (dual-master's VI_2); the first is <see cref="LabTopology.Vip"/>.</summary>
    public static string SecondVip => $"{LabTopology.Subnet}.162";

    /// <summary>Process name of a daemon kind, as `killall` sees it.</summary>
    public string ProcessName(DaemonKind kind) =>
        kind == DaemonKind.KeepSharp ? Path.GetFileName(_o.KeepSharpBinary) : "keepalived";

    /// <summary>
    /// Builds the lab. <paramref name="configFor"/> returns each host's config (adapted to the lab; it may install
    /// scripts into the host); nginx starts on both hosts, then the probes; the daemons are created, not started.
    /// </summary>
    public static ScenarioRig Create(LabOptions o, Timeline tl, CancellationToken ct,
        Func<ScenarioRig, LabHost, DaemonKind, string> configFor, IReadOnlyList<string>? vips = null, bool ipv6 = false)
    {
        foreach (var k in new[] { o.Master, o.Backup })
            if (k == DaemonKind.KeepSharp && !File.Exists(o.KeepSharpBinary))
                throw new LabException($"keepsharp binary not found at {o.KeepSharpBinary}: run ./build.sh");
        var lab = LabTopology.Create(tl, ipv6);
        lab.KeepWorkDir = o.KeepWorkDir;
        var rig = new ScenarioRig(o, tl, ct, lab);
        try
        {
            rig.Vips = vips ?? [lab.Vip];
            string c171 = rig.WriteConfig(lab.H171, configFor(rig, lab.H171, o.Master));
            string c172 = rig.WriteConfig(lab.H172, configFor(rig, lab.H172, o.Backup));
            Nginx.Start(lab.H171);
            Nginx.Start(lab.H172);
            tl.Log("lab", "nginx up on both hosts");
            rig._vipWatcher = new VipWatcher(lab, tl);
            rig._vipWatcher.Start();
            foreach (string vip in rig.Vips)
            {
                var probe = new ClientProbe(lab.ClientNs, vip, tl, o.ProbeCadenceMs, o.ProbeTimeoutMs);
                probe.Start();
                rig._probes[vip] = probe;
            }
            rig.D171 = LabDaemon.Create(o.Master, lab.H171, c171, o.KeepSharpBinary, tl);
            rig.D172 = LabDaemon.Create(o.Backup, lab.H172, c172, o.KeepSharpBinary, tl);
            return rig;
        }
        catch
        {
            rig.Dispose();
            throw;
        }
    }

    private string WriteConfig(LabHost h, string text)
    {
        string path = Path.Combine(h.RunDir, "keepalived.conf");
        File.WriteAllText(path, text);
        return path;
    }

    public ClientProbe Probe(string vip) => _probes[vip];

    /// <summary>Which hosts carry <paramref name="vip"/> right now (both queried in parallel).</summary>
    public string[] Holders(string vip)
    {
        var hosts = new[] { Lab.H171, Lab.H172 };
        var held = new bool[hosts.Length];
        // Any interface: with use_vmac the VIP sits on the VMAC interface (vrrp.51), not on eth0.
        Parallel.For(0, hosts.Length, i => held[i] = LabTopology.HoldsAddress(hosts[i], vip));
        return [.. hosts.Where((_, i) => held[i]).Select(h => h.Name)];
    }

    /// <summary>Holders of the first VIP as the watcher last saw them (polled every 50 ms, no extra cost).</summary>
    public IReadOnlyList<string> WatchedHolders => _vipWatcher?.Holders ?? [];

    /// <summary>
    /// Runs <paramref name="action"/> at t0 and waits until the client gets an answer on <paramref name="vip"/>
    /// from <paramref name="expected"/> (to a request started after <paramref name="answersAfter"/>' time, default
    /// t0) and <paramref name="expected"/> holds the VIP (alone, with <paramref name="releaseOther"/>). Then settles and
    /// checks the expected host kept answering. <paramref name="watch"/> are the daemons that must not exit meanwhile;
    /// <paramref name="forbidden"/>, if set, must never hold the first VIP during the step.
    /// </summary>
    public StepResult Step(int n, string name, LabHost expected, bool releaseOther, string? refName, double? refMs,
        Action action, IEnumerable<LabDaemon> watch, string? vip = null, Func<double, double>? answersAfter = null,
        LabHost? forbidden = null, Func<double, string>? describe = null, TimeSpan? timeout = null)
    {
        _ct.ThrowIfCancellationRequested();
        vip ??= Lab.Vip;
        var probe = _probes[vip];
        var daemons = watch.ToList();
        _tl.Print("");
        _tl.Log("step", $"({n}) {name}");
        double t0 = _tl.NowMs;
        action();
        double from = answersAfter?.Invoke(t0) ?? t0;
        LabHost other = Lab.Other(expected);
        var deadline = DateTime.UtcNow + (timeout ?? _o.StepTimeout);
        ProbeSample? first = null;
        bool vipOk = false;
        string? failure = null;
        while (DateTime.UtcNow < deadline)
        {
            _ct.ThrowIfCancellationRequested();
            failure = daemons.Select(d => d.Failure).FirstOrDefault(f => f is not null) ?? Forbidden(forbidden);
            if (failure is not null) break;
            first ??= probe.FirstAnswerFrom(expected.Name, from);
            if (first is not null)
            {
                var holders = Holders(vip);
                vipOk = holders.Contains(expected.Name) && !(releaseOther && holders.Contains(other.Name));
                if (vipOk) break;
            }
            Thread.Sleep(10);
        }
        string detail = describe?.Invoke(t0) ?? "";
        double? takeover = first is { } f ? f.EndMs - t0 : null;
        double? outage = first is { } g ? probe.LongestGap(t0, g.EndMs) : null;
        bool happened = first is not null && vipOk && failure is null;
        if (failure is not null)
            detail = Join(detail, failure);
        else if (!happened)
            detail = Join(detail, first is null
                ? $"no answer from {expected.Name} on {vip} within {(timeout ?? _o.StepTimeout).TotalSeconds:0} s (holders: [{string.Join(",", Holders(vip))}])"
                : $"{vip} not (only) on {expected.Name} (holders: [{string.Join(",", Holders(vip))}])");
        else
        {
            Sleep(_o.Settle);
            failure = daemons.Select(d => d.Failure).FirstOrDefault(f => f is not null) ?? Forbidden(forbidden);
            if (failure is not null)
            {
                happened = false;
                detail = Join(detail, failure);
            }
            else if (!probe.LastAnswersFrom(expected.Name, 5))
            {
                happened = false;
                detail = Join(detail, $"{expected.Name} did not keep answering on {vip}");
            }
        }
        var result = new StepResult(n, name, expected.Name, happened, takeover, outage, refName, refMs, detail);
        _tl.Log("step", result.ToString());
        return result;
    }

    /// <summary>
    /// Runs <paramref name="action"/> and watches for <paramref name="window"/> that <paramref name="holder"/> keeps the
    /// first VIP alone and nobody else answers the client; <paramref name="check"/> adds a final condition (null = ok).
    /// </summary>
    public StepResult Hold(int n, string name, LabHost holder, TimeSpan window, Action action, IEnumerable<LabDaemon> watch,
        Func<double, string?>? check = null)
    {
        _ct.ThrowIfCancellationRequested();
        var daemons = watch.ToList();
        var probe = _probes[Lab.Vip];
        LabHost other = Lab.Other(holder);
        _tl.Print("");
        _tl.Log("step", $"({n}) {name}");
        double t0 = _tl.NowMs;
        action();
        var deadline = DateTime.UtcNow + window;
        string? failure = null;
        while (failure is null && DateTime.UtcNow < deadline)
        {
            _ct.ThrowIfCancellationRequested();
            failure = daemons.Select(d => d.Failure).FirstOrDefault(f => f is not null) ?? Forbidden(other)
                ?? (probe.FirstAnswerFrom(other.Name, t0) is { } a ? $"{other.Name} answered the client {a.EndMs - t0:0} ms after the event" : null);
            if (failure is null && !WatchedHolders.Contains(holder.Name) && WatchedHolders.Count > 0)
                failure = $"{holder.Name} lost {Lab.Vip} (holders: [{string.Join(",", WatchedHolders)}])";
            Thread.Sleep(50);
        }
        failure ??= check?.Invoke(t0);
        string detail = failure ?? $"{holder.Name} kept {Lab.Vip} for {window.TotalSeconds:0} s";
        var result = new StepResult(n, name, holder.Name, failure is null, null, null, null, null, detail);
        _tl.Log("step", result.ToString());
        return result;
    }

    private string? Forbidden(LabHost? host) =>
        host is not null && WatchedHolders.Contains(host.Name) ? $"{host.Name} took {Lab.Vip}, it should not have" : null;

    /// <summary>Waits until nothing listens on :80 in the host (nginx is down); returns that time, or t0 after 3 s.</summary>
    public double WaitNginxDown(LabHost host, double t0)
    {
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (DateTime.UtcNow < deadline)
        {
            if (!Nginx.Listening(host)) return _tl.NowMs;
            Thread.Sleep(10);
        }
        _tl.Log(host.Name, "nginx still listening 3 s after it was stopped");
        return t0;
    }

    public static string Join(string a, string b) => a.Length == 0 ? b : b.Length == 0 ? a : $"{a}; {b}";

    public void Sleep(TimeSpan t)
    {
        if (_ct.WaitHandle.WaitOne(t)) _ct.ThrowIfCancellationRequested();
    }

    /// <summary>Each host's daemon log, read now (before cleanup removes the run folder).</summary>
    public IReadOnlyDictionary<string, string> DaemonLogs()
    {
        var logs = new Dictionary<string, string>();
        foreach (var d in new[] { D171, D172 })
        {
            if (d is null) continue;
            try { logs[d.Host.Name] = File.Exists(d.LogFile) ? File.ReadAllText(d.LogFile) : ""; }
            catch (IOException) { logs[d.Host.Name] = ""; }
        }
        return logs;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var p in _probes.Values) p.Dispose();
        _vipWatcher?.Dispose();
        _tl.Print("");
        Lab.Dispose(); // stops daemons and nginx of both hosts, removes the namespaces
        D171?.Dispose();
        D172?.Dispose();
    }
}
