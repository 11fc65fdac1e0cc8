using System.Globalization;
using System.Text.RegularExpressions;

namespace KeepSharp.Lab;

/// <summary>
/// examples/nginx-weight: a check-only script tracked with a negative weight and fall/rise, no killall.
/// (1) election: keep_171 (priority 100) holds the VIP; (2) `nginx -s stop` on 171: after `fall` failed checks
/// 171 advertises 100 + weight &lt; 172's priority and 172 takes over within fall × interval + Master_Down_Interval;
/// (3) nginx started again on 171: after `rise` successful checks 171 is back at 100 and preempts within
/// rise × interval + its Master_Down_Interval.
/// </summary>
public sealed class NginxWeightScenario
{
    public const string ExampleName = "nginx-weight";

    private readonly LabOptions _o;
    private readonly Timeline _tl;
    private readonly CancellationToken _ct;

    private NginxWeightScenario(LabOptions o, Timeline tl, CancellationToken ct)
    {
        _o = o;
        _tl = tl;
        _ct = ct;
    }

    /// <param name="o">Options; <see cref="LabOptions.SeedDir"/> is the example folder (examples/nginx-weight).</param>
    public static LabRunResult Run(LabOptions o, Timeline tl, CancellationToken ct = default) => new NginxWeightScenario(o, tl, ct).Run();

    /// <summary>Master_Down_Interval of a backup of this priority (RFC 3768 6.1, advert_int in ms).</summary>
    public static double MasterDownMs(int priority, double advertMs) => 3 * advertMs + (256 - priority) / 256.0 * advertMs;

    public static int Priority(string config) =>
        int.Parse(Regex.Match(config, @"(?m)^\s*priority\s+(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);

    private LabRunResult Run()
    {
        string dir = _o.SeedDir;
        string c171 = File.ReadAllText(Path.Combine(dir, SeedConfig.MasterFile));
        string c172 = File.ReadAllText(Path.Combine(dir, SeedConfig.BackupFile));
        double intervalMs = 1000 * CheckScriptAdapter.ScriptInterval(c171);
        int fall = CheckScriptAdapter.ScriptSetting(c171, "fall", 1);
        int rise = CheckScriptAdapter.ScriptSetting(c171, "rise", 1);
        double failoverRef = fall * intervalMs + MasterDownMs(Priority(c172), 1000);
        double failbackRef = rise * intervalMs + MasterDownMs(Priority(c171), 1000);

        var steps = new List<StepResult>();
        using var rig = ScenarioRig.Create(_o, _tl, _ct, (r, h, kind) => CheckScriptAdapter.InstallScripts(
            SeedConfig.Adapt(h == r.Lab.H171 ? c171 : c172, LabTopology.Interface, r.Lab.Vip), dir, h, r.ProcessName(kind)));
        var lab = rig.Lab;
        LabDaemon[] both = [rig.D171, rig.D172];

        var s1 = Add(rig.Step(1, "election settles", lab.H171, true, null, null,
            () => { rig.D171.Start(); rig.D172.Start(); }, both));
        if (s1.Happened)
        {
            // Let both checks reach `rise` successes first: a host still counting up would not be "healthy" yet.
            rig.Sleep(TimeSpan.FromMilliseconds(rise * intervalMs));
            var s2 = Add(rig.Step(2, "nginx -s stop on 171 -> 172 takes over (weight)", lab.H172, true,
                "fall x interval + Master_Down_Interval", failoverRef, () => Nginx.Stop(lab.H171), both,
                timeout: TimeSpan.FromMilliseconds(failoverRef + 8000)));
            if (s2.Happened)
                Add(rig.Step(3, "nginx started on 171 -> 171 wins back after rise", lab.H171, true,
                    "rise x interval + Master_Down_Interval", failbackRef, () => Nginx.Start(lab.H171), both,
                    timeout: TimeSpan.FromMilliseconds(failbackRef + 8000)));
        }
        var logs = rig.DaemonLogs();
        string summary = LabRunResult.Format(
            $"Summary ({ExampleName}): keep_171 = {_o.Master.ToString().ToLowerInvariant()}, keep_172 = {_o.Backup.ToString().ToLowerInvariant()}; " +
            $"interval {intervalMs:0} ms, fall {fall}, rise {rise}",
            steps, "takeover = event -> first client answer from the expected host; outage = longest time without any answer");
        return new LabRunResult(ExampleName, steps, lab.WorkDir, summary, logs);

        StepResult Add(StepResult s) { steps.Add(s); return s; }
    }
}
