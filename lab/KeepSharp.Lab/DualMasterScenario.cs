namespace KeepSharp.Lab;

/// <summary>
/// examples/dual-master (course notes 3-11): VI_1 mastered by keep_171, VI_2 by keep_172. (1-2) election: each
/// VIP on its master; (3-4) 171's link cut: 172 answers on both VIPs; (5-6) link restored: each VIP back on its
/// master; (7-8) 172's link cut: 171 answers on both; (9) link restored: VI_2 back on 172.
/// </summary>
public sealed class DualMasterScenario
{
    public const string ExampleName = "dual-master";
    /// <summary>The example's VIPs (VI_1, VI_2) as written in examples/dual-master.</summary>
    public static readonly string[] ExampleVips = ["192.168.1.161", "192.168.1.162"];

    private readonly LabOptions _o;
    private readonly Timeline _tl;
    private readonly CancellationToken _ct;

    private DualMasterScenario(LabOptions o, Timeline tl, CancellationToken ct)
    {
        _o = o;
        _tl = tl;
        _ct = ct;
    }

    /// <param name="o">Options; <see cref="LabOptions.SeedDir"/> is the example folder (examples/dual-master).</param>
    public static LabRunResult Run(LabOptions o, Timeline tl, CancellationToken ct = default) => new DualMasterScenario(o, tl, ct).Run();

    private LabRunResult Run()
    {
        string dir = _o.SeedDir;
        double mdi = NginxWeightScenario.MasterDownMs(80, 1000);
        var steps = new List<StepResult>();
        string vip1 = "", vip2 = ScenarioRig.SecondVip;
        using var rig = ScenarioRig.Create(_o, _tl, _ct, (r, h, _) =>
        {
            vip1 = r.Lab.Vip;
            var map = new Dictionary<string, string> { [ExampleVips[0]] = vip1, [ExampleVips[1]] = vip2 };
            return SeedConfig.Adapt(File.ReadAllText(Path.Combine(dir, h == r.Lab.H171 ? SeedConfig.MasterFile : SeedConfig.BackupFile)),
                LabTopology.Interface, map);
        }, [$"{LabTopology.Subnet}.161", vip2]);
        var lab = rig.Lab;
        LabDaemon[] both = [rig.D171, rig.D172];
        static void None() { }

        bool ok = Add(rig.Step(1, "election: VI_1 on 171", lab.H171, true, null, null,
                      () => { rig.D171.Start(); rig.D172.Start(); }, both, vip1)).Happened
                  && Add(rig.Step(2, "election: VI_2 on 172", lab.H172, true, null, null, None, both, vip2)).Happened;
        ok = ok && Add(rig.Step(3, "171 link cut -> 172 answers VI_1", lab.H172, false, "Master_Down_Interval", mdi,
                      () => lab.CutLink(lab.H171), both, vip1)).Happened
                && Add(rig.Step(4, "171 link cut -> 172 still answers VI_2", lab.H172, false, null, null, None, both, vip2)).Happened;
        ok = ok && Add(rig.Step(5, "171 link restored -> VI_1 back on 171", lab.H171, true, null, null,
                      () => lab.RestoreLink(lab.H171), both, vip1)).Happened
                && Add(rig.Step(6, "171 link restored -> VI_2 only on 172", lab.H172, true, null, null, None, both, vip2)).Happened;
        ok = ok && Add(rig.Step(7, "172 link cut -> 171 answers VI_2", lab.H171, false, "Master_Down_Interval", mdi,
                      () => lab.CutLink(lab.H172), both, vip2)).Happened
                && Add(rig.Step(8, "172 link cut -> 171 still answers VI_1", lab.H171, false, null, null, None, both, vip1)).Happened;
        if (ok)
            Add(rig.Step(9, "172 link restored -> VI_2 back on 172", lab.H172, true, null, null,
                () => lab.RestoreLink(lab.H172), both, vip2));
        var logs = rig.DaemonLogs();
        string summary = LabRunResult.Format(
            $"Summary ({ExampleName}): keep_171 = {_o.Master.ToString().ToLowerInvariant()}, keep_172 = {_o.Backup.ToString().ToLowerInvariant()}; " +
            $"VI_1 {vip1}, VI_2 {vip2}; Master_Down_Interval(80) {mdi:0.0} ms",
            steps, "takeover = event -> first client answer from the expected host on that VIP; outage = longest time without any answer");
        return new LabRunResult(ExampleName, steps, lab.WorkDir, summary, logs);

        StepResult Add(StepResult s) { steps.Add(s); return s; }
    }
}
