using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace KeepSharp.Lab;

/// <summary>What a protocol cell's scenario saw: the five steps, the client's neighbour entry for the VIP after each.</summary>
public sealed record ProtocolResult(ProtocolCell Cell, ScenarioResult Scenario, IReadOnlyDictionary<int, string?> VipMacs,
    IReadOnlyDictionary<string, string> DaemonLogTails)
{
    public StepResult Step(int n) => Scenario.Step(n);

    /// <summary>The end of both daemons' logs, for failure messages.</summary>
    public string Logs => string.Join("\n", DaemonLogTails.Select(kv => $"--- {kv.Key} daemon log (tail) ---\n{kv.Value}"));
}

/// <summary>Crash and graceful takeover times of repeated failovers (ms from the event to the new master's first answer).</summary>
public sealed record TimingResult(ProtocolCell Cell, IReadOnlyList<double> Crash, IReadOnlyList<double> Graceful,
    IReadOnlyList<string> Problems, IReadOnlyDictionary<string, string> DaemonLogTails);

/// <summary>
/// The failover scenario of <see cref="FailoverScenario"/> (election, link cut, link restored + preempt back, SIGTERM,
/// restart + preempt back) for any <see cref="ProtocolCell"/>: both hosts' keepalived.conf are generated (no seed),
/// IPv4 or IPv6 (dual-stack lab), multicast or unicast. Steps and measurement are <see cref="ScenarioRig.Step"/>'s
/// (client probe: takeover = event to first answer from the expected host, outage = longest gap). Adverts are watched
/// from the backup host's namespace, where both multicast and unicast adverts of the master arrive.
/// </summary>
public sealed partial class ProtocolScenario : IDisposable
{
    private readonly ProtocolCell _cell;
    private readonly LabOptions _o;
    private readonly Timeline _tl;
    private readonly CancellationToken _ct;
    private readonly ScenarioRig _rig;
    private readonly AdvertWatcher _adverts;
    private readonly Dictionary<string, string> _names = [];

    private ProtocolScenario(ProtocolCell cell, LabOptions o, Timeline tl, CancellationToken ct)
    {
        _cell = cell;
        _o = o with { Master = cell.Master, Backup = cell.Backup };
        _tl = tl;
        _ct = ct;
        _tl.Log("test", $"cell {cell}: master keep_171 = {cell.Master}, backup keep_172 = {cell.Backup}; " +
                        $"Master_Down_Interval {cell.MasterDownIntervalMs:0.0} ms, Skew_Time {cell.SkewTimeMs:0.0} ms");
        _rig = ScenarioRig.Create(_o, tl, ct, (rig, host, _) => cell.Config(rig.Lab, host), [cell.Vip],
            ipv6: cell.Family == IpFamily.IPv6);
        try
        {
            var lab = _rig.Lab;
            foreach (var h in new[] { lab.H171, lab.H172 })
            {
                // VMAC hosts as keepalived's "Note on using VRRP with Virtual MAC address" wants them (arp_ignore 1:
                // eth0 does not answer ARP for the VIP on the VMAC interface), and arp_announce 2: the new master ARPs
                // for the client (its reply leaves through eth0, the subnet's first route) with eth0's own address, not
                // with the VIP, which would teach the client eth0's MAC for the VIP (arp_announce 0, and 1 too since the
                // VIP is in eth0's subnet). Seen with keepalived alone before this: the VMAC test failed after the link cut.
                if (cell.UseVmac)
                    Sh.Run("ip", "netns", "exec", h.Netns, "sysctl", "-q", "-w", "net.ipv4.conf.all.arp_ignore=1",
                        "net.ipv4.conf.all.arp_announce=2", "net.ipv4.conf.all.arp_filter=0");
                _names[h.Address] = h.Name;
                if (h.Address6 is not null) _names[IPAddress.Parse(h.Address6).ToString()] = h.Name;
                if (cell.Family == IpFamily.IPv6 && LinkLocal(h) is { } ll) _names[ll] = h.Name;
            }
            string local = cell.Family == IpFamily.IPv6 ? lab.H172.Address6! : lab.H172.Address;
            _adverts = new AdvertWatcher(lab.H172.Netns, local, tl, ip => _names.GetValueOrDefault(ip.ToString(), ip.ToString()));
            _adverts.Start();
        }
        catch
        {
            _rig.Dispose();
            throw;
        }
    }

    public ScenarioRig Rig => _rig;
    private LabTopology Lab => _rig.Lab;

    public static ProtocolResult Run(ProtocolCell cell, LabOptions o, Timeline tl, CancellationToken ct = default)
    {
        using var s = new ProtocolScenario(cell, o, tl, ct);
        return s.RunSteps();
    }

    public static TimingResult RunTiming(ProtocolCell cell, int repetitions, LabOptions o, Timeline tl, CancellationToken ct = default)
    {
        using var s = new ProtocolScenario(cell, o, tl, ct);
        return s.RunRepetitions(repetitions);
    }

    /// <summary>The host's IPv6 link-local address on eth0 (its VRRPv3 multicast source).</summary>
    private static string? LinkLocal(LabHost h)
    {
        var r = Sh.Try("ip", "-n", h.Netns, "-6", "-o", "addr", "show", "dev", LabTopology.Interface, "scope", "link");
        var m = Regex.Match(r.StdOut, @"inet6 (fe80::[0-9a-f:]+)/64");
        return m.Success ? IPAddress.Parse(m.Groups[1].Value).ToString() : null;
    }

    private bool From(Advert a, LabHost h) => _names.GetValueOrDefault(a.Source.ToString()) == h.Name;

    /// <summary>Waits for the master's next advert, so a link cut comes right after one (worst case for the backup).</summary>
    private string WaitForMasterAdvert()
    {
        var deadline = DateTime.UtcNow.AddSeconds(Math.Max(3, 3 * _cell.AdvertInt));
        double from = _tl.NowMs;
        while (DateTime.UtcNow < deadline)
        {
            _ct.ThrowIfCancellationRequested();
            if (_adverts.First(from, a => From(a, Lab.H171) && a.Priority > 0) is not null) return "";
            Thread.Sleep(1);
        }
        return "no advert from keep_171 seen (in keep_172's namespace) before the cut";
    }

    private string DescribeCut(double t0)
    {
        var last = _adverts.Snapshot().LastOrDefault(a => From(a, Lab.H171) && a.AtMs <= t0);
        var firstNew = _adverts.First(t0, a => From(a, Lab.H172));
        return (last.AtMs > 0 ? $"cut {t0 - last.AtMs:0.0} ms after keep_171's last advert" : "") +
               (firstNew is { } f ? $"; keep_172's first advert {f.AtMs - t0:0.0} ms after the cut" : "");
    }

    private string DescribeSigterm(double t0, string exit)
    {
        var zero = _adverts.First(t0, a => From(a, Lab.H171) && a.Priority == 0);
        return ScenarioRig.Join(exit, zero is { } z ? $"priority-0 advert {z.AtMs - t0:0.0} ms after SIGTERM" : "NO priority-0 advert seen");
    }

    /// <summary>
    /// Diagnosis of a failed step: the longest silences between keep_171's adverts as keep_172's namespace received
    /// them in [fromMs, toMs] (a backup that times out while the master is up either missed adverts or was late itself).
    /// </summary>
    public string AdvertGaps(double fromMs, double toMs)
    {
        var times = _adverts.Snapshot().Where(a => From(a, Lab.H171) && a.Priority > 0 && a.AtMs >= fromMs && a.AtMs <= toMs)
            .Select(a => a.AtMs).ToList();
        if (times.Count < 2) return $"{times.Count} adverts of keep_171 received in keep_172's namespace during the step";
        var gaps = times.Zip(times.Skip(1), (a, b) => (At: a, Gap: b - a)).OrderByDescending(g => g.Gap).Take(3);
        return $"{times.Count} adverts of keep_171 received in keep_172's namespace during the step; longest silences: " +
               string.Join(", ", gaps.Select(g => $"{g.Gap:0.0} ms after {g.At:0.0} ms"));
    }

    private LabDaemon[] Both => [_rig.D171, _rig.D172];

    /// <summary>The MAC the client's neighbour table holds for the VIP (null if none).</summary>
    public string? ClientNeighbourMac()
    {
        var r = Sh.Try("ip", "-n", Lab.ClientNs, "neigh", "show", _cell.Vip);
        var m = Regex.Match(r.StdOut, @"lladdr ([0-9a-f:]{17})");
        return m.Success ? m.Groups[1].Value : null;
    }

    private ProtocolResult RunSteps()
    {
        var steps = new List<StepResult>();
        var macs = new Dictionary<int, string?>();
        var d171 = _rig.D171;
        var d172 = _rig.D172;
        StepResult Add(StepResult r)
        {
            steps.Add(r);
            macs[r.Number] = ClientNeighbourMac();
            _tl.Log("client", $"neighbour entry for {_cell.Vip}: {macs[r.Number] ?? "none"}");
            return r;
        }

        var s1 = Add(_rig.Step(1, "election settles", Lab.H171, releaseOther: true, null, null, () =>
        {
            d171.Start();
            d172.Start();
        }, Both));
        if (s1.Happened)
        {
            string before = WaitForMasterAdvert();
            var s2 = Add(_rig.Step(2, "master link cut -> backup takes over", Lab.H172, releaseOther: false,
                "Master_Down_Interval", _cell.MasterDownIntervalMs, () => Lab.CutLink(Lab.H171), Both,
                describe: t0 => ScenarioRig.Join(before, DescribeCut(t0))));
            if (s2.Happened)
            {
                var s3 = Add(_rig.Step(3, "link restored -> 171 preempts back", Lab.H171, releaseOther: true, null, null,
                    () => Lab.RestoreLink(Lab.H171), Both));
                if (s3.Happened)
                {
                    string exit = "";
                    var s4 = Add(_rig.Step(4, "171 daemon SIGTERM -> backup takes over", Lab.H172, releaseOther: true,
                        "Skew_Time", _cell.SkewTimeMs, () =>
                        {
                            d171.SendSigterm();
                            exit = d171.WaitForExit(TimeSpan.FromSeconds(5)) ? "" : "daemon did not exit within 5 s of SIGTERM";
                        }, Both, describe: t0 => DescribeSigterm(t0, exit)));
                    if (s4.Happened)
                        Add(_rig.Step(5, "171 daemon started again -> preempts back", Lab.H171, releaseOther: true, null, null,
                            () => d171.Start(), Both));
                }
            }
        }
        string[] names = ["election settles", "master link cut -> backup takes over", "link restored -> 171 preempts back",
            "171 daemon SIGTERM -> backup takes over", "171 daemon started again -> preempts back"];
        for (int n = steps.Count + 1; n <= 5; n++)
            steps.Add(new StepResult(n, names[n - 1], n % 2 == 0 ? "keep_172" : "keep_171", false, null, null, null, null,
                "not run: an earlier step failed"));
        var logs = LogTails();
        var result = new ScenarioResult(steps, Lab.WorkDir, Summarize(steps), _cell.MasterDownIntervalMs, _cell.SkewTimeMs);
        return new ProtocolResult(_cell, result, macs, logs);
    }

    private TimingResult RunRepetitions(int repetitions)
    {
        var crash = new List<double>();
        var graceful = new List<double>();
        var problems = new List<string>();
        var d171 = _rig.D171;
        var d172 = _rig.D172;
        int n = 0;
        StepResult? Ok(Func<StepResult> step)
        {
            double from = _tl.NowMs;
            var r = step();
            if (r.Happened) return r;
            problems.Add($"{r}; {AdvertGaps(from, _tl.NowMs)}");
            return null;
        }
        if (Ok(() => _rig.Step(++n, "election settles", Lab.H171, true, null, null, () => { d171.Start(); d172.Start(); }, Both)) is not null)
        {
            for (int i = 0; i < repetitions; i++)
            {
                string before = WaitForMasterAdvert();
                var cut = Ok(() => _rig.Step(++n, $"[{i + 1}] link cut -> backup takes over", Lab.H172, false, "Master_Down_Interval",
                    _cell.MasterDownIntervalMs, () => Lab.CutLink(Lab.H171), Both, describe: t0 => ScenarioRig.Join(before, DescribeCut(t0))));
                if (cut is null) break;
                crash.Add(cut.TakeoverMs!.Value);
                if (Ok(() => _rig.Step(++n, $"[{i + 1}] link restored -> preempt back", Lab.H171, true, null, null,
                        () => Lab.RestoreLink(Lab.H171), Both)) is null) break;
                string exit = "";
                var term = Ok(() => _rig.Step(++n, $"[{i + 1}] SIGTERM -> backup takes over", Lab.H172, true, "Skew_Time", _cell.SkewTimeMs,
                    () =>
                    {
                        d171.SendSigterm();
                        exit = d171.WaitForExit(TimeSpan.FromSeconds(5)) ? "" : "daemon did not exit within 5 s of SIGTERM";
                    }, Both, describe: t0 => DescribeSigterm(t0, exit)));
                if (term is null) break;
                graceful.Add(term.TakeoverMs!.Value);
                if (Ok(() => _rig.Step(++n, $"[{i + 1}] restart -> preempt back", Lab.H171, true, null, null, () => d171.Start(), Both)) is null) break;
            }
        }
        return new TimingResult(_cell, crash, graceful, problems, LogTails());
    }

    private Dictionary<string, string> LogTails() =>
        _rig.DaemonLogs().ToDictionary(kv => kv.Key,
            kv => string.Join("\n", kv.Value.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(25)));

    private string Summarize(List<StepResult> steps)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"Summary [{_cell}]: master keep_171 = {_cell.Master}, backup keep_172 = {_cell.Backup}; probe every " +
                      $"{_o.ProbeCadenceMs} ms; Master_Down_Interval {_cell.MasterDownIntervalMs:0.0} ms, Skew_Time {_cell.SkewTimeMs:0.0} ms");
        sb.AppendLine($"{"step",-48} {"holder",-9} {"ok",-4} {"takeover",9} {"outage",9}  reference");
        foreach (var s in steps)
            sb.AppendLine($"({s.Number}) {s.Name,-44} {s.ExpectedHolder,-9} {(s.Happened ? "yes" : "NO"),-4} " +
                          $"{StepResult.Fmt(s.TakeoverMs),9} {StepResult.Fmt(s.OutageMs),9}  " +
                          (s.ReferenceMs is { } r ? $"{s.ReferenceName} {r:0.0} ms" : "") + (s.Happened ? "" : $"  <- {s.Detail}"));
        foreach (var s in steps.Where(s => s.Happened && s.Detail.Length > 0))
            sb.AppendLine($"    ({s.Number}) {s.Detail}");
        return sb.ToString().TrimEnd();
    }

    public void Dispose()
    {
        _adverts?.Dispose();
        _rig.Dispose();
    }
}
