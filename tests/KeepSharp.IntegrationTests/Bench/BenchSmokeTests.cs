using System.Xml.Linq;
using KeepSharp.Bench;
using KeepSharp.IntegrationTests.Protocol;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Bench;

/// <summary>
/// The benchmark (./bench.sh) in its smallest configuration, through its own code path: KeepSharp only, 3 failover rounds of
/// one cell (v3 0.01 s IPv4 multicast), 20 instances at 0.01 s for a few seconds, the footprint. The output files exist and
/// parse, and the numbers are sane (not the targets: those are the benchmark's business).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BenchSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public void Smallest_benchmark_writes_tables_json_and_charts_with_sane_numbers()
    {
        ProtocolLab.RequirePrerequisites(tshark: true);
        string outDir = Directory.CreateTempSubdirectory("keepsharp-bench-smoke-").FullName;
        try
        {
            var cell = BenchCell.Parse("v3-0.01-ipv4-multicast");
            var o = new BenchOptions
            {
                KeepSharpBinary = ProtocolLab.Binary,
                OutDir = outDir,
                Scenarios = ["failover", "scale", "footprint"],
                Daemons = [DaemonKind.KeepSharp],
                Cells = [cell],
                Rounds = 3,
                ScaleInstances = 20,
                ScaleStartWindowS = 2,
                ScaleSteadyWindowS = 2,
                ScaleJitterCaptureS = 1,
                Merge = false,
            };
            var timeline = new Timeline(output.WriteLine);
            BenchRunner.Run(o, timeline, line => output.WriteLine($"PROGRESS {line}"), CancellationToken.None);

            foreach (string f in new[] { "latest.md", "latest.json", "charts/failover.svg", "charts/scale-cpu.svg", "charts/memory.svg" })
                Assert.True(File.Exists(Path.Combine(outDir, f)), $"{f} was not written");
            foreach (string svg in Directory.GetFiles(Path.Combine(outDir, "charts"), "*.svg"))
                Assert.Equal("svg", XDocument.Load(svg).Root!.Name.LocalName);
            string md = File.ReadAllText(Path.Combine(outDir, "latest.md"));
            Assert.Contains("| target (issue 11) | KeepSharp | keepalived 2.2.7 | met |", md);
            Assert.Contains("## 1. Failover as a client sees it", md);

            BenchReport? r = BenchRunner.Load(Path.Combine(outDir, "latest.json"));
            Assert.NotNull(r);
            var protocol = cell.Cell(DaemonKind.KeepSharp);
            var failover = r.Failover!.Rows;
            Assert.Equal(2, failover.Count);
            foreach (var row in failover)
            {
                double bound = row.Kind == "crash" ? protocol.MasterDownIntervalMs : protocol.SkewTimeMs;
                Assert.Equal(3, row.SamplesMs.Count);
                Assert.All(row.SamplesMs, x => Assert.InRange(x, 0.1, bound + 500));
                Assert.InRange(row.P99Ms!.Value, row.P50Ms!.Value, row.MaxMs!.Value);
            }

            var scale = Assert.Single(r.Scale!.Rows);
            Assert.Equal(20, scale.Instances);
            foreach (double cpu in new[] { scale.CpuStartMaster, scale.CpuStartBackup, scale.CpuSteadyMaster, scale.CpuSteadyBackup })
                Assert.InRange(cpu, 0, 100);
            Assert.True(scale.RssSteadyMasterMb > 0 && scale.RssSteadyBackupMb > 0, "RSS of both daemons");
            Assert.True(scale.JitterIntervals > 0, "the capture saw the master's adverts");
            Assert.NotNull(scale.AllOneMasterMs);

            var fp = Assert.Single(r.Footprint!.Rows);
            Assert.True(fp.RssMb > 0 && fp.Threads > 0 && fp.Fds > 0 && fp.BinaryBytes > 0, $"footprint {fp}");
            Assert.NotNull(fp.FirstAdvertMs);
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }
}
