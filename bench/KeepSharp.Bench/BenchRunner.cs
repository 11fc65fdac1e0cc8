using System.Globalization;
using System.Text.Json;
using KeepSharp.Lab;

namespace KeepSharp.Bench;

/// <summary>Runs the selected scenarios, merges them into latest.json (sections not run are kept) and writes the outputs.</summary>
public static class BenchRunner
{
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static BenchReport Run(BenchOptions o, Timeline tl, Action<string> progress, CancellationToken ct)
    {
        var machine = MachineInfo();
        var report = o.Merge ? Load(Path.Combine(o.OutDir, "latest.json")) ?? new BenchReport() : new BenchReport();
        report.LastRun = machine;
        string now = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        Section<T> S<T>(List<T> rows, List<string>? notes = null) =>
            new(now, o.Mode + (o.Rounds is { } n && typeof(T) == typeof(FailoverRow) ? $", --rounds {n}" : ""), machine with { LoadAverage = LoadAverage() },
                rows, notes ?? []);
        progress($"bench: {o.Mode} run of {string.Join(", ", o.Scenarios)} on {machine.Nproc} × {machine.Cpu}, kernel {machine.Kernel}; " +
                 $"daemons {string.Join(", ", o.Daemons.Select(Bench.Name))}");
        var profiles = new List<string>();
        var failed = new List<string>();
        foreach (string scenario in o.Scenarios)
        {
            ct.ThrowIfCancellationRequested();
            var started = DateTime.UtcNow;
            progress($"== {scenario}");
            try
            {
                switch (scenario)
                {
                    case "failover": report.Failover = S(FailoverBench.Run(o, tl, progress, ct)); break;
                    case "scale": report.Scale = S(ScaleBench.Run(o, tl, progress, profiles, ct)); break;
                    case "addresses": report.Addresses = S(AddressesBench.Run(o, tl, progress, ct)); break;
                    case "footprint": report.Footprint = S(FootprintBench.Run(o, tl, progress, ct)); break;
                    case "scripts": report.Scripts = S(ScriptsBench.Run(o, tl, progress, ct)); break;
                    default: throw new ArgumentException($"unknown scenario '{scenario}'");
                }
                progress($"   {scenario} done in {(DateTime.UtcNow - started).TotalSeconds:0} s");
            }
            catch (Exception e) when (e is LabException or AggregateException or IOException or FormatException)
            {
                // One scenario failing does not lose the others: its previous section (if any) stays in latest.json.
                failed.Add(scenario);
                progress($"   {scenario} FAILED after {(DateTime.UtcNow - started).TotalSeconds:0} s: {e.GetBaseException().Message}");
                tl.Print(e.ToString());
            }
        }
        if (profiles.Count > 0) report.Profiles = profiles;
        ReportWriter.Write(o.OutDir, report);
        if (failed.Count > 0) throw new LabException($"scenario(s) failed: {string.Join(", ", failed)} (the other sections were written)");
        return report;
    }

    public static BenchReport? Load(string path)
    {
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<BenchReport>(File.ReadAllText(path), Json); }
        catch (JsonException) { return null; }
    }

    private static string? LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return null; }
    }

    public static Machine MachineInfo()
    {
        string cpu = "unknown";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException) { }
        string kernel = Sh.Try("uname", "-r").StdOut.Trim();
        string keepalived = Sh.Try("keepalived", "--version").StdErr.Split('\n').FirstOrDefault()?.Trim() ?? "";
        if (keepalived.Length == 0) keepalived = Sh.Try("keepalived", "--version").StdOut.Split('\n').FirstOrDefault()?.Trim() ?? "";
        string commit = "";
        try { commit = Sh.Try("git", "-C", RepoRoot.Find(), "rev-parse", "--short", "HEAD").StdOut.Trim(); }
        catch (LabException) { }
        return new Machine(DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Environment.ProcessorCount, cpu, kernel, keepalived, commit);
    }
}
