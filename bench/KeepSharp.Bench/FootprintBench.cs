using System.Globalization;
using System.Net;
using KeepSharp.Lab;

namespace KeepSharp.Bench;

/// <summary>
/// Scenario 4: one VRRPv2 instance (advert_int 1) as master, alone on keep_171: time from the spawn to its first advert on
/// the wire (the lab's <see cref="AdvertWatcher"/> in the client's namespace), then RSS, threads and open descriptors of
/// the daemon's processes (keepalived: parent and VRRP child), and the size of the binary.
/// </summary>
public static class FootprintBench
{
    public static List<FootprintRow> Run(BenchOptions o, Timeline tl, Action<string> progress, CancellationToken ct)
    {
        var rows = new List<FootprintRow>();
        foreach (var kind in o.Daemons)
        {
            ct.ThrowIfCancellationRequested();
            using var lab = LabTopology.Create(tl);
            lab.KeepWorkDir = o.KeepLogs;
            LabHost h = lab.H171;
            using var adverts = new AdvertWatcher(lab.ClientNs, lab.ClientAddress, tl, a => a.ToString());
            adverts.Start();
            using var d = Bench.Daemon(kind, h, Bench.OneInstance(h, "MASTER", 150, ["10.51.0.161/24"]), o, tl);
            double t0 = tl.NowMs;
            d.Start();
            double? first = adverts.WaitForAdvert(IPAddress.Parse(h.Address), t0, TimeSpan.FromSeconds(10), ct) - t0;
            if (ct.WaitHandle.WaitOne(TimeSpan.FromSeconds(3))) ct.ThrowIfCancellationRequested();
            if (d.Failure is { } f) throw new LabException(f);
            var s = ProcessStats.Sample(d.Pid, tl.NowMs);
            string binary = kind == DaemonKind.KeepSharp ? o.KeepSharpBinary : Which("keepalived");
            long size = File.Exists(binary) ? new FileInfo(binary).Length : 0;
            var row = new FootprintRow(Bench.Name(kind), s.Processes, Math.Round(s.RssKb / 1024.0, 2), s.Threads, s.Fds, size, binary,
                first is { } x ? Math.Round(x, 1) : null);
            rows.Add(row);
            progress($"footprint {row.Daemon}: RSS {row.RssMb:0.0} MB in {row.Processes} process(es), {row.Threads} threads, {row.Fds} fds, " +
                     $"binary {size / 1024.0 / 1024:0.0} MB, first advert {(first is { } y ? $"{y:0} ms" : "not seen")} after start");
        }
        return rows;
    }

    private static string Which(string name) =>
        new[] { "/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin" }.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists) ?? name;
}
