using System.Globalization;
using System.Runtime.InteropServices;
using KeepSharp.Lab;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace KeepSharp.Bench;

public static class Program
{
    private const string Usage = """
        KeepSharp benchmark: KeepSharp and keepalived in turn, same configs, in the network-namespace lab.
        Writes docs/benchmarks/latest.md, latest.json and charts/*.svg (sections not run are kept from the last run).

        usage: bench [--quick] [--only S1,S2] [--rounds N] [--cells all|default|CELL,CELL] [--daemons keepsharp,keepalived]
                     [--instances N] [--addresses N,N] [--profile] [--out DIR] [--keepsharp PATH] [--no-merge] [--keep-logs]

          --quick            a small subset (~4 min): 2 failover cells × 3 rounds, 255 instances with short windows,
                             1,000 VIPs, 10 s of scripts
          --only LIST        scenarios: failover, scale, addresses, footprint, scripts (default: all)
          --rounds N         failover rounds per cell and daemon (default 20; v2 at 1 s: 5; --quick: 3)
          --cells LIST       failover cells, e.g. v3-0.01-ipv4-multicast,v2-1-ipv4-unicast; 'all' (10 cells) or
                             'default' (all but v3 0.1 s unicast)
          --daemons LIST     keepsharp, keepalived (default both)
          --instances N      scale scenario instances (default 255)
          --addresses LIST   VIP counts of the many-addresses scenario (default 1000,10000; --quick: 1000)
          --profile          perf record both daemons during the scale scenario; summaries go into latest.md
          --out DIR          output folder (default docs/benchmarks in the repository)
          --keepsharp PATH   keepsharp binary (default artifacts/bin/keepsharp)
          --no-merge         start latest.json afresh instead of keeping sections this run does not measure
          --keep-logs        keep each lab's run folder under /tmp
        """;

    public static int Main(string[] args)
    {
        string root = RepoRoot.Find();
        BenchOptions o;
        try { o = Parse(args, root); }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"bench: {e.Message}\n\n{Usage}");
            return 2;
        }
        catch (HelpRequested)
        {
            Console.WriteLine(Usage);
            return 0;
        }
        if (!Environment.IsPrivilegedProcess)
        {
            Console.Error.WriteLine("bench: needs root (network namespaces)");
            return 2;
        }
        if (o.Daemons.Contains(DaemonKind.KeepSharp) && !File.Exists(o.KeepSharpBinary))
        {
            Console.Error.WriteLine($"bench: {o.KeepSharpBinary} not found: run ./build.sh");
            return 2;
        }

        string logDir = Path.Combine(root, "artifacts", "bench");
        Directory.CreateDirectory(logDir);
        string logPath = Path.Combine(logDir, $"bench-{DateTime.UtcNow:yyyyMMdd-HHmmss}.log");
        using var log = new StreamWriter(logPath) { AutoFlush = true };
        var logLock = new Lock();
        void ToLog(string line) { lock (logLock) log.WriteLine(line); }
        var timeline = new Timeline(ToLog);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Progress(string line)
        {
            string l = $"[{clock.Elapsed:mm\\:ss}] {line}";
            Console.WriteLine(l);
            ToLog(l);
        }

        using var cts = new CancellationTokenSource();
        void OnSignal(PosixSignalContext ctx)
        {
            ctx.Cancel = true;
            Progress($"{ctx.Signal}: stopping, cleaning up");
            cts.Cancel();
            new Thread(() =>
            {
                Thread.Sleep(15000);
                LabTopology.DisposeAll();
                Environment.Exit(130);
            }) { IsBackground = true }.Start();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);

        Progress($"log: {logPath}");
        try
        {
            BenchRunner.Run(o, timeline, Progress, cts.Token);
            Progress($"wrote {Path.Combine(o.OutDir, "latest.md")}, latest.json, charts/ in {clock.Elapsed.TotalMinutes:0.0} min");
            return 0;
        }
        catch (OperationCanceledException)
        {
            Progress("interrupted");
            return 130;
        }
        catch (LabException e)
        {
            Progress($"error: {e.Message} (details in {logPath})");
            return 1;
        }
        finally
        {
            LabTopology.DisposeAll();
        }
    }

    private sealed class HelpRequested : Exception;

    public static BenchOptions Parse(string[] args, string root)
    {
        bool quick = false, profile = false, merge = true, keepLogs = false;
        int? rounds = null, instances = null;
        string? only = null, cells = null, daemons = null, addresses = null, outDir = null, binary = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--only": only = Next(); break;
                case "--rounds": rounds = PositiveInt(Next(), "--rounds"); break;
                case "--cells": cells = Next(); break;
                case "--daemons": daemons = Next(); break;
                case "--instances": instances = PositiveInt(Next(), "--instances"); break;
                case "--addresses": addresses = Next(); break;
                case "--profile": profile = true; break;
                case "--out": outDir = Next(); break;
                case "--keepsharp": binary = Next(); break;
                case "--no-merge": merge = false; break;
                case "--keep-logs": keepLogs = true; break;
                case "-h" or "--help": throw new HelpRequested();
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        var o = new BenchOptions
        {
            KeepSharpBinary = Path.GetFullPath(binary ?? RepoRoot.KeepSharpBinary(root)),
            OutDir = Path.GetFullPath(outDir ?? Path.Combine(root, "docs", "benchmarks")),
        };
        if (quick) o = o.AsQuick();
        o = o with { Rounds = rounds, Profile = profile, Merge = merge, KeepLogs = keepLogs };
        if (only is not null)
        {
            var list = Split(only);
            foreach (string s in list)
                if (!BenchOptions.AllScenarios.Contains(s)) throw new ArgumentException($"unknown scenario '{s}' ({string.Join(", ", BenchOptions.AllScenarios)})");
            o = o with { Scenarios = [.. BenchOptions.AllScenarios.Where(list.Contains)] };
        }
        if (cells is not null)
            o = o with { Cells = cells switch { "all" => BenchCell.All, "default" => BenchCell.Default, _ => [.. Split(cells).Select(BenchCell.Parse)] } };
        if (daemons is not null) o = o with { Daemons = [.. Split(daemons).Select(LabDaemon.ParseKind)] };
        if (instances is { } n)
        {
            if (n > 255) throw new ArgumentException("--instances: at most 255 (one per VRID)");
            o = o with { ScaleInstances = n };
        }
        if (addresses is not null) o = o with { AddressCounts = [.. Split(addresses).Select(a => PositiveInt(a, "--addresses"))] };
        return o;
    }

    private static List<string> Split(string s) => [.. s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static int PositiveInt(string s, string what) =>
        int.TryParse(s, CultureInfo.InvariantCulture, out int v) && v > 0 ? v : throw new ArgumentException($"{what}: '{s}' is not a positive number");
}
