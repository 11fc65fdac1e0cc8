namespace KeepSharp.Lab;

/// <summary>
/// The course notes' 3-9 scenario: keep_171 runs keep_171_check_nginx.conf, whose check script restarts a
/// dead nginx and, if that fails, `killall`s the VRRP daemon; keep_172 runs keep_172.conf.
/// <para>With <c>timeout 5</c> added (<see cref="SeedCheckVariant.WithTimeout"/>): (1) election; (2) `nginx -s stop`
/// on 171: the script restarts nginx, the VIP stays; (3) nginx made unable to start: the script's killall
/// stops 171's daemon, 172 takes the VIP and serves its page; (4) nginx repaired and 171's daemon restarted:
/// the VIP returns.</para>
/// <para>As the notes have it (<see cref="SeedCheckVariant.AsWritten"/>): the script sleeps 3 s, the default timeout
/// is the interval (2 s), so every failing run is killed before its killall: (3) the VIP never moves and nginx
/// stays dead. KeepSharp names this trap in its log (asserted by the tests).</para>
/// </summary>
public sealed class SeedCheckScenario
{
    public const string MasterCheckFile = "keep_171_check_nginx.conf";
    /// <summary>The timeout the lab adds to the seed's vrrp_script: longer than the script's 3 s sleep.</summary>
    public const int AddedTimeout = 5;
    /// <summary>The seed script's `sleep 3` between restarting nginx and its killall.</summary>
    public const double ScriptSleepMs = 3000;

    private readonly LabOptions _o;
    private readonly Timeline _tl;
    private readonly CancellationToken _ct;
    private readonly SeedCheckVariant _variant;

    private SeedCheckScenario(LabOptions o, Timeline tl, CancellationToken ct, SeedCheckVariant variant)
    {
        _o = o;
        _tl = tl;
        _ct = ct;
        _variant = variant;
    }

    public static LabRunResult Run(LabOptions o, Timeline tl, SeedCheckVariant variant, CancellationToken ct = default) =>
        new SeedCheckScenario(o, tl, ct, variant).Run();

    /// <summary>keep_171's config as the lab runs it: interface, VIP, script path, and (optionally) `timeout 5`.</summary>
    public static string MasterConfig(string seedDir, ScenarioRig rig, LabHost host, DaemonKind kind, bool addTimeout)
    {
        string text = SeedConfig.Adapt(File.ReadAllText(Path.Combine(seedDir, MasterCheckFile)), LabTopology.Interface, rig.Lab.Vip);
        if (addTimeout) text = CheckScriptAdapter.AddTimeout(text, AddedTimeout);
        return CheckScriptAdapter.InstallScripts(text, seedDir, host, rig.ProcessName(kind));
    }

    private LabRunResult Run()
    {
        string seedDir = _o.SeedDir;
        string masterSeed = File.ReadAllText(Path.Combine(seedDir, MasterCheckFile));
        double intervalMs = 1000 * CheckScriptAdapter.ScriptInterval(masterSeed);
        int backupPriority = 80;
        double skew = (256 - backupPriority) / 256.0 * 1000;
        bool withTimeout = _variant == SeedCheckVariant.WithTimeout;

        var steps = new List<StepResult>();
        using var rig = ScenarioRig.Create(_o, _tl, _ct, (r, h, kind) => h == r.Lab.H171
            ? MasterConfig(seedDir, r, h, kind, withTimeout)
            : SeedConfig.Adapt(File.ReadAllText(Path.Combine(seedDir, SeedConfig.BackupFile)), LabTopology.Interface, r.Lab.Vip));
        var lab = rig.Lab;
        LabDaemon[] both = [rig.D171, rig.D172];
        string workDir = lab.WorkDir;
        var s1 = Add(rig.Step(1, "election settles", lab.H171, true, null, null,
            () => { rig.D171.Start(); rig.D172.Start(); }, both));
        if (s1.Happened)
        {
            var s2 = Add(rig.Step(2, "nginx -s stop on 171 -> script restarts it, VIP stays", lab.H171, true,
                "check interval", intervalMs, () => Nginx.Stop(lab.H171), both,
                answersAfter: t0 => rig.WaitNginxDown(lab.H171, t0), forbidden: lab.H172,
                describe: _ => Nginx.Listening(lab.H171) ? "nginx listening again on keep_171" : "nginx NOT listening on keep_171"));
            if (s2.Happened && withTimeout)
            {
                var s3 = Add(rig.Step(3, "nginx cannot start on 171 -> killall, 172 serves", lab.H172, true,
                    "interval + sleep 3 + Skew_Time", intervalMs + ScriptSleepMs + skew, () => BreakNginx(lab.H171), [rig.D172],
                    describe: _ => rig.D171.WaitForExit(TimeSpan.FromSeconds(2))
                        ? $"keep_171's {rig.D171.KindName} was stopped by the script's killall"
                        : $"keep_171's {rig.D171.KindName} is STILL RUNNING"));
                if (s3.Happened && rig.D171.Running)
                    s3 = Replace(s3 with { Happened = false });
                if (s3.Happened)
                    Add(rig.Step(4, "nginx repaired, 171's daemon restarted -> VIP returns", lab.H171, true, null, null,
                        () => { Nginx.Repair(lab.H171); rig.D171.Start(); }, both));
            }
            else if (s2.Happened)
            {
                var window = TimeSpan.FromMilliseconds(3 * intervalMs + ScriptSleepMs + 1000);
                Add(rig.Hold(3, "nginx cannot start on 171 (no timeout) -> VIP stays, nginx dead", lab.H171, window,
                    () => BreakNginx(lab.H171), both,
                    check: _ => rig.D171.Running
                        ? Nginx.Listening(lab.H171) ? "nginx is listening on keep_171 again (it should stay dead)" : null
                        : $"keep_171's {rig.D171.KindName} exited (the killall ran: the script was not killed by the default timeout)"));
            }
        }
        var logs = rig.DaemonLogs();

        string name = withTimeout ? "seed-check" : "seed-trap";
        string summary = LabRunResult.Format(
            $"Summary ({name}): keep_171 = {_o.Master.ToString().ToLowerInvariant()} with {MasterCheckFile}" +
            $"{(withTimeout ? $" + timeout {AddedTimeout}" : " as written (no timeout)")}, keep_172 = {_o.Backup.ToString().ToLowerInvariant()}; " +
            $"script interval {intervalMs:0} ms, Skew_Time(80) {skew:0} ms",
            steps, "takeover = event (or nginx down) -> first client answer from the expected host; outage = longest time without any answer");
        return new LabRunResult(name, steps, workDir, summary, logs);

        StepResult Add(StepResult s) { steps.Add(s); return s; }
        StepResult Replace(StepResult s) { steps[^1] = s; _tl.Log("step", s.ToString()); return s; }
    }

    /// <summary>Breaks nginx's config, then stops it: the script's restart fails.</summary>
    private void BreakNginx(LabHost h)
    {
        Nginx.Break(h);
        Nginx.Terminate(h);
        _tl.Log(h.Name, "nginx config broken, nginx stopped");
    }
}

public enum SeedCheckVariant
{
    /// <summary>The lab adds `timeout 5` to the vrrp_script: the fix for the seed's trap.</summary>
    WithTimeout,
    /// <summary>The seed as the course notes wrote it: the default timeout kills the script before its killall.</summary>
    AsWritten,
}
