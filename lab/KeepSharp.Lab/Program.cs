using System.Runtime.InteropServices;

namespace KeepSharp.Lab;

public static class Program
{
    private const string Usage = """
        KeepSharp network-namespace lab: two VRRP hosts + nginx behind a VIP, a client probing the VIP,
        then link cut / restore / SIGTERM / restart of the master, with measured outages.

        usage: lab [--scenario NAME] [--daemon keepsharp|keepalived] [--backup-daemon keepsharp|keepalived]
                   [--seed DIR] [--keepsharp PATH] [--keep-logs]

          --scenario NAME    seed (default): the failover steps above, on examples/seed
                             seed-check: course notes 3-9 (check script restarts nginx, else killall), timeout 5 added
                             seed-trap: 3-9 as written (no timeout: the default timeout kills the script before killall)
                             nginx-weight: examples/nginx-weight (negative weight, fall/rise, no killall)
                             dual-master: examples/dual-master (course notes 3-11, two VIPs, crossed priorities)

          --daemon D         daemon for both hosts (default keepsharp); keepalived = reference numbers
          --backup-daemon D  daemon for the backup host keep_172 (default: same as --daemon)
          --seed DIR         folder with keep_171.conf / keep_172.conf (default examples/seed, or the example's folder)
          --keepsharp PATH   keepsharp binary (default artifacts/bin/keepsharp in the repo)
          --keep-logs        keep the run folder (configs, daemon and nginx logs) under /tmp
        """;

    public static int Main(string[] args)
    {
        DaemonKind? master = null, backup = null;
        string? seed = null, binary = null;
        bool keepLogs = false;
        string scenario = "seed";
        try
        {
            for (int i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--scenario": scenario = Next(); break;
                    case "--daemon": master = LabDaemon.ParseKind(Next()); break;
                    case "--backup-daemon": backup = LabDaemon.ParseKind(Next()); break;
                    case "--seed": seed = Next(); break;
                    case "--keepsharp": binary = Next(); break;
                    case "--keep-logs": keepLogs = true; break;
                    case "-h" or "--help": Console.WriteLine(Usage); return 0;
                    default: throw new ArgumentException($"unknown option {args[i]}");
                }
            }
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"lab: {e.Message}\n\n{Usage}");
            return 2;
        }

        string? exampleFolder = scenario switch
        {
            "seed" or "seed-check" or "seed-trap" => "seed",
            "nginx-weight" or "dual-master" => scenario,
            _ => null,
        };
        if (exampleFolder is null)
        {
            Console.Error.WriteLine($"lab: unknown scenario '{scenario}'\n\n{Usage}");
            return 2;
        }

        if (!Environment.IsPrivilegedProcess)
        {
            Console.Error.WriteLine("lab: needs root (network namespaces)");
            return 2;
        }

        string root = RepoRoot.Find();
        var timeline = new Timeline(Console.WriteLine);
        seed = Path.GetFullPath(seed ?? Path.Combine(root, "examples", exampleFolder), root);
        if (!SeedConfig.Exists(seed))
        {
            Console.Error.WriteLine($"lab: no {SeedConfig.MasterFile} / {SeedConfig.BackupFile} in {seed}");
            return 2;
        }

        var options = new LabOptions
        {
            Master = master ?? DaemonKind.KeepSharp,
            Backup = backup ?? master ?? DaemonKind.KeepSharp,
            SeedDir = seed,
            KeepSharpBinary = binary ?? RepoRoot.KeepSharpBinary(root),
            KeepWorkDir = keepLogs,
        };

        using var cts = new CancellationTokenSource();
        void OnSignal(PosixSignalContext ctx)
        {
            ctx.Cancel = true;
            timeline.Log("lab", $"{ctx.Signal}: stopping, cleaning up");
            cts.Cancel();
            // Fallback if the main flow is stuck: clean up from here and exit.
            new Thread(() =>
            {
                Thread.Sleep(10000);
                LabTopology.DisposeAll();
                Environment.Exit(130);
            }) { IsBackground = true }.Start();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);

        timeline.Log("lab", $"scenario {scenario}: master keep_171: {Kind(options.Master)}, backup keep_172: {Kind(options.Backup)}; configs {seed}");
        try
        {
            if (scenario != "seed") return RunHealthScenario(scenario, options, timeline, keepLogs, cts.Token);
            var result = FailoverScenario.Run(options, timeline, cts.Token);
            timeline.Print("");
            timeline.Print(result.Summary);
            if (keepLogs) timeline.Print($"logs: {result.WorkDir}");
            return result.AllHappened ? 0 : 1;
        }
        catch (OperationCanceledException)
        {
            timeline.Log("lab", "interrupted");
            return 130;
        }
        catch (LabException e)
        {
            timeline.Log("lab", $"error: {e.Message}");
            return 1;
        }
        finally
        {
            LabTopology.DisposeAll();
        }
    }

    private static int RunHealthScenario(string scenario, LabOptions options, Timeline timeline, bool keepLogs, CancellationToken ct)
    {
        LabRunResult result = scenario switch
        {
            "seed-check" => SeedCheckScenario.Run(options, timeline, SeedCheckVariant.WithTimeout, ct),
            "seed-trap" => SeedCheckScenario.Run(options, timeline, SeedCheckVariant.AsWritten, ct),
            "nginx-weight" => NginxWeightScenario.Run(options, timeline, ct),
            _ => DualMasterScenario.Run(options, timeline, ct),
        };
        timeline.Print("");
        timeline.Print(result.Summary);
        if (keepLogs) timeline.Print($"logs: {result.WorkDir}");
        return result.AllHappened ? 0 : 1;
    }

    private static string Kind(DaemonKind k) => k == DaemonKind.KeepSharp ? "keepsharp" : "keepalived";
}
