using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace KeepSharp.Lab;

public sealed record LabOptions
{
    public DaemonKind Master { get; init; } = DaemonKind.KeepSharp;
    public DaemonKind Backup { get; init; } = DaemonKind.KeepSharp;
    /// <summary>Folder with keep_171.conf / keep_172.conf (the seed).</summary>
    public required string SeedDir { get; init; }
    public required string KeepSharpBinary { get; init; }
    public int ProbeCadenceMs { get; init; } = 10;
    public int ProbeTimeoutMs { get; init; } = 80;
    /// <summary>Quiet time after each step so adverts and ARP caches are steady before the next one.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(1.5);
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(12);
    /// <summary>Keep the per-run folder (configs, daemon and nginx logs) after cleanup.</summary>
    public bool KeepWorkDir { get; init; }
}

public sealed record StepResult(
    int Number,
    string Name,
    string ExpectedHolder,
    bool Happened,
    double? TakeoverMs,
    double? OutageMs,
    string? ReferenceName,
    double? ReferenceMs,
    string Detail)
{
    public override string ToString() =>
        $"({Number}) {Name}: {(Happened ? "ok" : "DID NOT HAPPEN")}; takeover {Fmt(TakeoverMs)}, outage {Fmt(OutageMs)}" +
        (ReferenceMs is { } r ? $", {ReferenceName} {r:0.0} ms" : "") + (Detail.Length > 0 ? $"; {Detail}" : "");

    internal static string Fmt(double? ms) => ms is { } v ? $"{v:0} ms" : "-";
}

public sealed record ScenarioResult(IReadOnlyList<StepResult> Steps, string WorkDir, string Summary,
    double MasterDownIntervalMs, double SkewTimeMs)
{
    public bool AllHappened => Steps.Count == 5 && Steps.All(s => s.Happened);
    public StepResult Step(int n) => Steps.First(s => s.Number == n);
}

/// <summary>
/// The lab's scenario, shared by the lab and the failover tests:
/// (1) election, (2) link cut of the master, (3) link restored, (4) SIGTERM of the master's daemon,
/// (5) daemon started again. Each step measures when the client first got an answer from the
/// expected host (takeover) and the longest time without any answer (outage).
/// </summary>
public sealed partial class FailoverScenario
{
    private readonly LabOptions _o;
    private readonly Timeline _tl;
    private readonly CancellationToken _ct;
    private LabTopology _lab = null!;
    private ClientProbe _probe = null!;
    private VipWatcher _vip = null!;
    private AdvertWatcher _adverts = null!;
    private readonly List<LabDaemon> _daemons = [];

    private FailoverScenario(LabOptions o, Timeline tl, CancellationToken ct)
    {
        _o = o;
        _tl = tl;
        _ct = ct;
    }

    public static ScenarioResult Run(LabOptions o, Timeline tl, CancellationToken ct = default) =>
        new FailoverScenario(o, tl, ct).Run();

    private static string Name(DaemonKind k) => k == DaemonKind.KeepSharp ? "keepsharp" : "keepalived";

    private ScenarioResult Run()
    {
        foreach (var k in new[] { _o.Master, _o.Backup })
            if (k == DaemonKind.KeepSharp && !File.Exists(_o.KeepSharpBinary))
                throw new LabException($"keepsharp binary not found at {_o.KeepSharpBinary}: run ./build.sh");
        if (!SeedConfig.Exists(_o.SeedDir))
            throw new LabException($"seed configs not found in {_o.SeedDir} ({SeedConfig.MasterFile}, {SeedConfig.BackupFile})");

        string masterSeed = File.ReadAllText(Path.Combine(_o.SeedDir, SeedConfig.MasterFile));
        string backupSeed = File.ReadAllText(Path.Combine(_o.SeedDir, SeedConfig.BackupFile));
        double advertMs = 1000 * ReadNumber(backupSeed, "advert_int", 1);
        int backupPriority = (int)ReadNumber(backupSeed, "priority", 80);
        double skew = (256 - backupPriority) / 256.0 * advertMs;
        double mdi = 3 * advertMs + skew;

        var steps = new List<StepResult>();
        string workDir;
        _lab = LabTopology.Create(_tl);
        workDir = _lab.WorkDir;
        _lab.KeepWorkDir = _o.KeepWorkDir;
        LabDaemon? d171 = null, d172 = null;
        HostProcess? n171 = null, n172 = null;
        try
        {
            string c171 = WriteConfig(_lab.H171, masterSeed);
            string c172 = WriteConfig(_lab.H172, backupSeed);
            n171 = Nginx.Start(_lab.H171);
            n172 = Nginx.Start(_lab.H172);
            _tl.Log("lab", "nginx up on both hosts");
            _vip = new VipWatcher(_lab, _tl);
            _vip.Start();
            _probe = new ClientProbe(_lab.ClientNs, _lab.Vip, _tl, _o.ProbeCadenceMs, _o.ProbeTimeoutMs);
            _probe.Start();
            _adverts = new AdvertWatcher(_lab.ClientNs, _lab.ClientAddress, _tl,
                ip => ip.ToString() == _lab.H171.Address ? _lab.H171.Name : ip.ToString() == _lab.H172.Address ? _lab.H172.Name : ip.ToString());
            _adverts.Start();

            d171 = LabDaemon.Create(_o.Master, _lab.H171, c171, _o.KeepSharpBinary, _tl);
            d172 = LabDaemon.Create(_o.Backup, _lab.H172, c172, _o.KeepSharpBinary, _tl);
            var daemon171 = d171;
            var daemon172 = d172;
            _daemons.AddRange([d171, d172]);

            StepResult Run(StepResult? r) { if (r is not null) steps.Add(r); return r!; }

            var s1 = Run(Step(1, "election settles", _lab.H171, releaseOther: true, null, null, () =>
            {
                daemon171.Start();
                daemon172.Start();
            }));
            if (s1.Happened)
            {
                // Cut right after an advert of the master: the backup's Master_Down timer has just been
                // restarted, so the takeover should take the full Master_Down_Interval (worst case).
                var s2 = Run(Step(2, "master link cut -> backup takes over", _lab.H172, releaseOther: false,
                    "Master_Down_Interval", mdi, () => _lab.CutLink(_lab.H171),
                    prepare: () => _adverts.WaitForAdvert(IPAddress.Parse(_lab.H171.Address), _tl.NowMs, TimeSpan.FromSeconds(3), _ct) is null
                        ? "no advert from keep_171 seen before the cut" : null,
                    describe: (t0, first) =>
                    {
                        var ip171 = IPAddress.Parse(_lab.H171.Address);
                        var last = _adverts.Snapshot().LastOrDefault(a => a.Source.Equals(ip171) && a.AtMs <= t0);
                        var firstNew = _adverts.First(t0, a => a.Source.ToString() == _lab.H172.Address);
                        return (last.AtMs > 0 ? $"cut {t0 - last.AtMs:0} ms after keep_171's last advert" : "") +
                               (firstNew is { } f ? $"; keep_172's first advert {f.AtMs - t0:0} ms after the cut" : "");
                    }));
                if (s2.Happened)
                {
                    var s3 = Run(Step(3, "link restored -> 171 preempts back", _lab.H171, releaseOther: true,
                        null, null, () => _lab.RestoreLink(_lab.H171)));
                    if (s3.Happened)
                    {
                        var s4 = Run(Step(4, "171 daemon SIGTERM -> backup takes over", _lab.H172, releaseOther: true,
                            "Skew_Time", skew, () => daemon171.SendSigterm(),
                            after: () =>
                            {
                                bool exited = daemon171.WaitForExit(TimeSpan.FromSeconds(5));
                                return exited ? null : "daemon did not exit within 5 s of SIGTERM";
                            },
                            describe: (t0, first) =>
                            {
                                var zero = _adverts.First(t0, a => a.Source.ToString() == _lab.H171.Address && a.Priority == 0);
                                return zero is { } z ? $"priority-0 advert {z.AtMs - t0:0} ms after SIGTERM" : "NO priority-0 advert seen";
                            }));
                        if (s4.Happened)
                            Run(Step(5, "171 daemon started again -> preempts back", _lab.H171, releaseOther: true,
                                null, null, () => daemon171.Start()));
                    }
                }
            }
        }
        finally
        {
            _probe?.Dispose();
            _vip?.Dispose();
            _adverts?.Dispose();
            _tl.Print("");
            _lab.Dispose(); // stops daemons and nginx of both hosts in parallel, removes the namespaces
            d171?.Dispose();
            d172?.Dispose();
            n171?.Dispose();
            n172?.Dispose();
        }

        string[] names = ["election settles", "master link cut -> backup takes over", "link restored -> 171 preempts back",
            "171 daemon SIGTERM -> backup takes over", "171 daemon started again -> preempts back"];
        for (int n = steps.Count + 1; n <= 5; n++)
            steps.Add(new StepResult(n, names[n - 1], n % 2 == 0 ? "keep_172" : "keep_171", false, null, null, null, null,
                "not run: an earlier step failed"));
        string summary = Summarize(steps, mdi, skew);
        return new ScenarioResult(steps, workDir, summary, mdi, skew);
    }

    private string WriteConfig(LabHost h, string seed)
    {
        string path = Path.Combine(h.RunDir, "keepalived.conf");
        File.WriteAllText(path, SeedConfig.Adapt(seed, LabTopology.Interface, _lab.Vip));
        return path;
    }

    private StepResult Step(int n, string name, LabHost expected, bool releaseOther, string? refName, double? refMs,
        Action action, Func<string?>? after = null, Func<string?>? prepare = null, Func<double, ProbeSample?, string>? describe = null)
    {
        _ct.ThrowIfCancellationRequested();
        _tl.Print("");
        _tl.Log("step", $"({n}) {name}");
        string detail = prepare?.Invoke() ?? "";
        double t0 = _tl.NowMs;
        action();
        detail = Join(detail, after?.Invoke() ?? "");
        LabHost other = _lab.Other(expected);
        var deadline = DateTime.UtcNow + _o.StepTimeout;
        ProbeSample? first = null;
        bool vipOk = false;
        string? failure = null;
        while (DateTime.UtcNow < deadline)
        {
            _ct.ThrowIfCancellationRequested();
            failure = _daemons.Select(d => d.Failure).FirstOrDefault(f => f is not null);
            if (failure is not null) break;
            first ??= _probe.FirstAnswerFrom(expected.Name, t0);
            if (first is not null)
            {
                var holders = _vip.Current();
                vipOk = holders.Contains(expected.Name) && !(releaseOther && holders.Contains(other.Name));
                if (vipOk) break;
            }
            Thread.Sleep(10);
        }
        if (describe is not null) detail = Join(detail, describe(t0, first));
        double? takeover = first is { } f ? f.EndMs - t0 : null;
        double? outage = first is { } g ? _probe.LongestGap(t0, g.EndMs) : null;
        bool happened = first is not null && vipOk && failure is null;
        if (failure is not null)
        {
            detail = Join(detail, failure);
        }
        else if (!happened)
        {
            var holders = string.Join(",", _vip.Current());
            detail = Join(detail, first is null
                ? $"no answer from {expected.Name} within {_o.StepTimeout.TotalSeconds:0} s (VIP holders: [{holders}])"
                : $"VIP not (only) on {expected.Name} within {_o.StepTimeout.TotalSeconds:0} s (holders: [{holders}])");
        }
        else
        {
            // Settle, then make sure the new holder is still the one answering.
            Sleep(_o.Settle);
            failure = _daemons.Select(d => d.Failure).FirstOrDefault(f => f is not null);
            if (failure is not null)
            {
                happened = false;
                detail = Join(detail, failure);
            }
            else if (!_probe.LastAnswersFrom(expected.Name, 5))
            {
                happened = false;
                detail = Join(detail, $"{expected.Name} did not keep answering after the takeover");
            }
        }
        var result = new StepResult(n, name, expected.Name, happened, takeover, outage, refName, refMs, detail);
        _tl.Log("step", result.ToString());
        return result;
    }

    private static string Join(string a, string b) => a.Length == 0 ? b : b.Length == 0 ? a : $"{a}; {b}";

    private void Sleep(TimeSpan t)
    {
        if (_ct.WaitHandle.WaitOne(t)) _ct.ThrowIfCancellationRequested();
    }

    private static double ReadNumber(string conf, string key, double fallback)
    {
        var m = Regex.Match(conf, $@"(?m)^\s*{key}\s+([0-9.]+)");
        return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : fallback;
    }

    private string Summarize(List<StepResult> steps, double mdi, double skew)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"Summary: master keep_171 = {Name(_o.Master)}, backup keep_172 = {Name(_o.Backup)}; " +
                      $"probe every {_o.ProbeCadenceMs} ms; Master_Down_Interval {mdi:0.0} ms, Skew_Time {skew:0.0} ms");
        sb.AppendLine($"{"step",-48} {"holder",-9} {"ok",-4} {"takeover",9} {"outage",9}  reference");
        foreach (var s in steps)
        {
            string reference = s.ReferenceMs is { } r
                ? $"{s.ReferenceName} {r:0.0} ms{(s.TakeoverMs is { } t ? (t <= r + 100 ? " (within +100 ms)" : " (EXCEEDED +100 ms)") : "")}"
                : "";
            sb.AppendLine($"({s.Number}) {s.Name,-44} {s.ExpectedHolder,-9} {(s.Happened ? "yes" : "NO"),-4} " +
                          $"{StepResult.Fmt(s.TakeoverMs),9} {StepResult.Fmt(s.OutageMs),9}  {reference}" +
                          (s.Happened ? "" : $"  <- {s.Detail}"));
        }
        foreach (var s in steps.Where(s => s.Happened && s.Detail.Length > 0))
            sb.AppendLine($"    ({s.Number}) {s.Detail}");
        sb.Append("takeover = event -> first client answer from the new holder; outage = longest time without any answer in that window");
        return sb.ToString();
    }
}
