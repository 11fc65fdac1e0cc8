using System.Diagnostics;
using KeepSharp.IntegrationTests.Daemon;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Cluster;

/// <summary>
/// A generated cluster in the netns lab (<see cref="DaemonLab"/>'s topology, a third host added when asked): one config
/// per host, <c>check-cluster --json</c> on those files, then the real daemon on every host, elected together as the
/// prediction's simulation elects them (see <see cref="StartHealthy"/>). The observed master of a virtual router is every member that holds one of its
/// own VIPs (<c>ip -n NS addr</c>); a lost host is out of the count.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class ClusterLab : IDisposable
{
    /// <summary>An election with advert_int 0.1 s: Master_Down_Interval is 3 × 0.1 s + skew (under 0.4 s).</summary>
    private static readonly TimeSpan MasterDown = TimeSpan.FromSeconds(4 * ClusterHostSpec.AdvertInterval);
    /// <summary>How long an observed state must hold to count as settled.</summary>
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(1.0);
    /// <summary>Slack on top of every predicted time (process start, script runs, a loaded 2-core machine).</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(4);

    private readonly DaemonLab _lab;
    private readonly Dictionary<string, (ClusterHostSpec Spec, LabHost Host, string Config)> _hosts = [];
    private readonly List<LabDaemon> _daemons = [];
    private readonly List<string> _failures = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public ClusterLab(ITestOutputHelper output, params ClusterHostSpec[] specs)
    {
        _lab = new DaemonLab(output);
        try
        {
            foreach (ClusterHostSpec spec in specs)
            {
                LabHost host = spec.Octet switch
                {
                    171 => _lab.Topology.H171,
                    172 => _lab.Topology.H172,
                    _ => _lab.Topology.AddHost(spec.Octet),
                };
                Assert.Equal(spec.Name, host.Name);
                _hosts[spec.Name] = (spec, host, _lab.WriteConfig(host, spec.Config(host)));
            }
            Restore();
            Prediction = ClusterPrediction.Run([.. _hosts.Values.Select(h => h.Config)]);
            Log($"prediction (exit {Prediction.ExitCode}; findings: {string.Join(", ", Prediction.FindingCodes)}):\n{Prediction.Json}");
        }
        catch
        {
            _lab.Dispose();
            throw;
        }
    }

    public ClusterPrediction Prediction { get; }

    private bool HasScripts => _hosts.Values.Any(h => h.Spec.ScriptWeight is not null);

    /// <summary>Every scenario the prediction lists, each from a fresh healthy cluster; then every failure is reported at once.</summary>
    public void ProveAll(int expectedScenarios)
    {
        Expect(Prediction.Scenarios.Count == expectedScenarios,
            $"check-cluster listed {Prediction.Scenarios.Count} scenarios, {expectedScenarios} expected (each host's trackers, interface, loss): " +
            string.Join("; ", Prediction.Scenarios.Select(s => s.Title)));
        ProveHealthy();
        foreach (PredictedScenario scenario in Prediction.Scenarios)
            Prove(scenario);
        Log($"done: {Prediction.Scenarios.Count} scenarios in {_clock.Elapsed.TotalSeconds:0.0} s, {_failures.Count} failure(s)");
        Assert.True(_failures.Count == 0, $"{_failures.Count} prediction(s) not observed:\n\n" + string.Join("\n\n", _failures));
    }

    /// <summary>
    /// Every host healthy, started one after the other on a connected LAN (<paramref name="order"/>, <paramref name="gap"/>
    /// apart, each well inside the others' Master_Down_Interval): the observed masters must still be the predicted ones.
    /// </summary>
    public void ProveHealthyStartedInOrder(TimeSpan gap, params string[] order)
    {
        StopAll();
        Restore();
        Log($"healthy cluster started in order {string.Join(", ", order)}, {gap.TotalMilliseconds} ms apart, on a connected LAN");
        foreach (string name in order)
        {
            (_, LabHost host, string config) = _hosts[name];
            var daemon = new KeepSharpDaemon(host, config, _lab.Binary, _lab.Timeline);
            _daemons.Add(daemon);
            daemon.Start();
            Thread.Sleep(gap);
        }
        // The prediction for this start order: the first host up settles alone before the others join.
        var expected = Prediction.VirtualRouters.ToDictionary(r => r.Name, r => r.MastersByFirstHost[order[0]]);
        TimeSpan rise = HasScripts ? TimeSpan.FromSeconds(ClusterHostSpec.ScriptRise * ClusterHostSpec.ScriptInterval + 1) : TimeSpan.Zero;
        (bool ok, _, string seen) = WaitSettled(expected, rise + 2 * MasterDown + Slack, Hold, rise + 2 * MasterDown, lost: null);
        Expect(ok, $"healthy, started in order {string.Join(", ", order)} {gap.TotalMilliseconds} ms apart: predicted masters (mastersByFirstHost {order[0]}) {Show(expected)}, " +
                   $"observed {seen}\nprediction:\n{string.Join("\n", Prediction.VirtualRouters.Select(r => r.Json))}\n{DaemonLogs()}");
        StopAll();
        Assert.True(_failures.Count == 0, string.Join("\n\n", _failures));
    }

    /// <summary>Every host healthy: the observed masters of every virtual router are <c>virtualRouters[].masters</c>.</summary>
    private void ProveHealthy()
    {
        Log("healthy cluster: every daemon started, cut off, then the masters meet");
        var expected = Prediction.VirtualRouters.ToDictionary(r => r.Name, r => r.Masters);
        (bool ok, _, string seen) = StartHealthy(expected);
        Expect(ok, $"healthy: predicted masters {Show(expected)}, observed {seen}\n" +
                   $"prediction:\n{string.Join("\n", Prediction.VirtualRouters.Select(r => r.Json))}\n{DaemonLogs()}");
        StopAll();
    }

    private void Prove(PredictedScenario scenario)
    {
        Log($"scenario '{scenario.Title}' ({scenario.Kind}{(scenario.Name is null ? "" : $" {scenario.Name}")}, detection {scenario.DetectionSeconds} s)");
        var before = scenario.Outcomes.ToDictionary(o => o.VirtualRouter, o => o.MastersBefore);
        (bool healthy, _, string seenBefore) = StartHealthy(before);
        if (!healthy)
        {
            Expect(false, $"'{scenario.Title}': the cluster did not settle into the predicted healthy masters {Show(before)} " +
                          $"(observed {seenBefore}) before the failure\nprediction:\n{scenario.Json}\n{DaemonLogs()}");
            StopAll();
            return;
        }

        var after = scenario.Outcomes.ToDictionary(o => o.VirtualRouter, o => o.MastersAfter);
        string? lost = scenario.Kind == "host" ? scenario.Host : null;
        bool changed = scenario.Outcomes.Any(o => o.MasterChanged);
        // A script's failure is seen at its next run: up to one interval after the failure, fall runs later.
        double phase = scenario.Kind == "script" ? ClusterHostSpec.ScriptInterval : 0;
        double predicted = scenario.Outcomes.Max(o => o.Seconds ?? 0);
        TimeSpan bound = TimeSpan.FromSeconds(scenario.DetectionSeconds + phase + predicted) + 2 * MasterDown + Slack;

        var t0 = Stopwatch.StartNew();
        Induce(scenario);
        if (changed)
        {
            (bool ok, TimeSpan? since, string seen) = WaitSettled(after, bound, Hold, TimeSpan.Zero, lost);
            if (!ok)
            {
                Expect(false, $"'{scenario.Title}': predicted masters after {Show(after)}, observed {seen} " +
                              $"(waited {bound.TotalSeconds:0.0} s + {Hold.TotalSeconds} s hold)\nprediction:\n{scenario.Json}\n{DaemonLogs()}");
            }
            else
            {
                double observed = since!.Value.TotalSeconds;
                double lower = Math.Max(0, predicted - phase) / 3, upper = predicted + 1.5;
                Log($"'{scenario.Title}': masters {Show(after)} as predicted, after {observed:0.000} s (predicted {predicted:0.000} s, bound {lower:0.000}..{upper:0.000})");
                Expect(observed >= lower && observed <= upper,
                    $"'{scenario.Title}': the predicted masters {Show(after)} came after {observed:0.000} s, predicted {predicted:0.000} s " +
                    $"(accepted {lower:0.000}..{upper:0.000})\nprediction:\n{scenario.Json}");
            }
        }
        else
        {
            // Nothing may move, not even for a moment: watch past the failure's detection and two elections.
            string? moved = null;
            while (t0.Elapsed < bound - Slack + Hold + TimeSpan.FromSeconds(1))
            {
                var seen = Observe(lost);
                if (!Same(seen, after))
                {
                    moved = $"{Show(seen)} at {t0.Elapsed.TotalSeconds:0.000} s";
                    break;
                }
                Thread.Sleep(25);
            }
            if (moved is null)
                Log($"'{scenario.Title}': masters stayed {Show(after)} as predicted ({t0.Elapsed.TotalSeconds:0.0} s watched)");
            Expect(moved is null, $"'{scenario.Title}': predicted masters stay {Show(after)}, observed {moved}\nprediction:\n{scenario.Json}\n{DaemonLogs()}");
        }
        string? crashed = _daemons.Where(d => d.Host.Name != lost).Select(d => d.Failure).FirstOrDefault(f => f is not null);
        Expect(crashed is null, $"'{scenario.Title}': {crashed}");
        StopAll();
    }

    private void Induce(PredictedScenario scenario)
    {
        (ClusterHostSpec spec, LabHost host, _) = _hosts[scenario.Host];
        switch (scenario.Kind)
        {
            case "script":
                Assert.True(spec.ScriptWeight is not null && scenario.Name == "chk", $"no such script to fail: {scenario.Json}");
                File.Delete(ClusterHostSpec.OkFile(host));
                Log($"{host.Name}: {ClusterHostSpec.OkFile(host)} removed, chk fails from its next run");
                break;
            case "file":
                Assert.True(spec.FileWeight is not null && scenario.Name == "flag", $"no such tracked file: {scenario.Json}");
                File.WriteAllText(ClusterHostSpec.FlagFile(host), "1\n");
                Log($"{host.Name}: {ClusterHostSpec.FlagFile(host)} written 1");
                break;
            case "interface":
                Assert.True(scenario.Name == LabTopology.Interface, $"no such interface to take down: {scenario.Json}");
                Sh.Run("ip", "-n", host.Netns, "link", "set", LabTopology.Interface, "down");
                Log($"{host.Name}: {LabTopology.Interface} set down");
                break;
            case "host":
                // Lost: silence without resignation (no priority-0 advert, no cleanup), as power loss.
                int pid = _daemons.Single(d => d.Host == host).Pid;
                Assert.True(pid > 0, $"{host.Name}: its daemon is not running");
                Sh.Run("kill", "-KILL", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Log($"{host.Name}: daemon SIGKILLed (pid {pid})");
                break;
            default:
                Assert.Fail($"cannot induce a '{scenario.Kind}' failure: {scenario.Json}");
                break;
        }
    }

    /// <summary>
    /// Fresh daemons on a restored cluster (links up, scripts succeeding, files 0, no VIP left over), elected together as
    /// the prediction's simulation elects them: every host starts cut off from the others (its bridge port detached,
    /// its link still up), so each becomes master alone once its scripts have risen; then every port is attached at
    /// once and the masters meet: each yields to a higher priority (or to the higher address on a tie), and the rest
    /// settles by preemption. (Started one after the other instead, the first one up would stay master where the
    /// others accept it, on a tie or with nopreempt: that is start order, which the prediction does not model.)
    /// Settled when <paramref name="expected"/> is observed for <see cref="Hold"/>.
    /// </summary>
    private (bool Ok, TimeSpan? Since, string Seen) StartHealthy(IReadOnlyDictionary<string, IReadOnlyList<string>> expected)
    {
        StopAll();
        Restore();
        Bridge(attach: false);
        foreach ((ClusterHostSpec _, LabHost host, string config) in _hosts.Values)
        {
            var daemon = new KeepSharpDaemon(host, config, _lab.Binary, _lab.Timeline);
            _daemons.Add(daemon);
        }
        Parallel.ForEach(_daemons, d => d.Start());
        TimeSpan rise = HasScripts ? TimeSpan.FromSeconds(ClusterHostSpec.ScriptRise * ClusterHostSpec.ScriptInterval + 1) : TimeSpan.Zero;
        var alone = Prediction.VirtualRouters.ToDictionary(r => r.Name, r => (IReadOnlyList<string>)[.. r.Members.Select(m => m.Host)]);
        (bool isolated, _, string seenAlone) = WaitSettled(alone, rise + 2 * MasterDown + Slack, TimeSpan.FromSeconds(0.3), rise + 2 * MasterDown, lost: null);
        Bridge(attach: true);
        if (!isolated)
            return (false, null, $"cut off from each other, not every host became master: {seenAlone}");
        Log("every host master alone: bridge ports attached, the masters meet");
        return WaitSettled(expected, 2 * MasterDown + Slack, Hold, 2 * MasterDown, lost: null);
    }

    /// <summary>Attaches (or detaches) every host's bridge port: detached, a host's link stays up but hears nobody.</summary>
    private void Bridge(bool attach)
    {
        foreach ((_, LabHost host, _) in _hosts.Values)
        {
            if (attach)
                Sh.Run("ip", "-n", _lab.Topology.LanNs, "link", "set", host.BridgePort, "master", "br0");
            else
                Sh.Run("ip", "-n", _lab.Topology.LanNs, "link", "set", host.BridgePort, "nomaster");
        }
    }

    /// <summary>
    /// Polls until <paramref name="expected"/> has been observed for <paramref name="hold"/> (and <paramref name="atLeast"/> has
    /// passed); Since is when that last unbroken run began, from the call.
    /// </summary>
    private (bool Ok, TimeSpan? Since, string Seen) WaitSettled(IReadOnlyDictionary<string, IReadOnlyList<string>> expected,
        TimeSpan timeout, TimeSpan hold, TimeSpan atLeast, string? lost)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? since = null;
        Dictionary<string, string[]> seen = Observe(lost);
        var history = new List<string>();
        while (true)
        {
            TimeSpan now = clock.Elapsed;
            string shown = Show(seen);
            if (history.Count == 0 || !history[^1].EndsWith(shown, StringComparison.Ordinal))
                history.Add($"{now.TotalSeconds:0.00}s {shown}");
            if (Same(seen, expected))
            {
                since ??= now;
                if (now - since >= hold && now >= atLeast)
                    return (true, since, shown);
            }
            else
                since = null;
            if (now > timeout + hold)
                return (false, null, $"{shown} (history: {string.Join(" → ", history)})");
            Thread.Sleep(25);
            seen = Observe(lost);
        }
    }

    /// <summary>Per virtual router, the members (hosts) that hold one of their own VIPs now; every host queried in parallel.</summary>
    private Dictionary<string, string[]> Observe(string? lost)
    {
        var names = _hosts.Keys.ToArray();
        var addresses = new string[names.Length];
        Parallel.For(0, names.Length, i =>
            addresses[i] = Sh.Try("ip", "-n", _hosts[names[i]].Host.Netns, "-o", "addr", "show").StdOut);
        var byHost = names.Select((n, i) => (n, addresses[i])).ToDictionary(p => p.n, p => p.Item2);
        return Prediction.VirtualRouters.ToDictionary(r => r.Name, r => r.Members
            .Where(m => m.Host != lost && byHost.TryGetValue(m.Host, out string? a) &&
                        m.Vips.Any(v => a.Contains($" {v.Split('/')[0]}/", StringComparison.Ordinal)))
            .Select(m => m.Host).Order(StringComparer.Ordinal).ToArray());
    }

    private static bool Same(IReadOnlyDictionary<string, string[]> seen, IReadOnlyDictionary<string, IReadOnlyList<string>> expected) =>
        expected.All(e => seen.TryGetValue(e.Key, out string[]? s) && s.SequenceEqual(e.Value.Order(StringComparer.Ordinal)));

    private static string Show<T>(IReadOnlyDictionary<string, T> masters) where T : IEnumerable<string> =>
        string.Join("; ", masters.Select(m => $"{m.Key}: [{string.Join(", ", m.Value)}]"));

    /// <summary>Every link up, every script succeeding, every tracked file 0, no VIP left by a killed daemon.</summary>
    private void Restore()
    {
        foreach ((ClusterHostSpec spec, LabHost host, _) in _hosts.Values)
        {
            Sh.Run("ip", "-n", host.Netns, "link", "set", LabTopology.Interface, "up");
            Sh.Run("ip", "-n", _lab.Topology.LanNs, "link", "set", host.BridgePort, "master", "br0", "up");
            File.WriteAllText(ClusterHostSpec.OkFile(host), "");
            File.WriteAllText(ClusterHostSpec.FlagFile(host), "0\n");
            foreach (string vip in _hosts.Values.Select(h => h.Spec.Vip).Distinct())
                Sh.Try("ip", "-n", host.Netns, "addr", "del", $"{vip}/32", "dev", LabTopology.Interface);
        }
    }

    private void StopAll()
    {
        Parallel.ForEach(_daemons, d =>
        {
            d.StopGracefully(TimeSpan.FromSeconds(3));
            d.Dispose();
        });
        _daemons.Clear();
    }

    private string DaemonLogs() => string.Join("\n", _hosts.Values.Select(h =>
    {
        string file = Path.Combine(h.Host.RunDir, "keepsharp.log");
        string[] lines = File.Exists(file) ? File.ReadAllLines(file) : [];
        return $"--- {h.Host.Name} keepsharp.log (last 20 lines):\n" + string.Join("\n", lines.TakeLast(20));
    }));

    private void Expect(bool condition, string message)
    {
        if (!condition)
        {
            _failures.Add(message);
            Log($"MISMATCH: {message.Split('\n')[0]}");
        }
    }

    private void Log(string message) => _lab.Timeline.Log("cluster", message);

    public void Dispose()
    {
        StopAll();
        _lab.Dispose();
    }
}
