using System.Diagnostics;
using System.Globalization;
using KeepSharp.Lab;

namespace KeepSharp.Bench;

/// <summary>
/// Scenario 3: one instance with many VIPs (10.52.x.y/32; as in the integration tests, the first 255 advertised, the rest
/// excluded addresses) takes over alone on keep_171 (state BACKUP: Master_Down_Interval after start it decides to be
/// master). From that decision (its "Entering MASTER STATE" log line reaching the lab): every VIP installed (`ip addr`,
/// polled), every VIP announced (a gratuitous ARP for it captured in the client's namespace, kernel timestamps), and the
/// client's first HTTP answer on the last VIP (nginx on the host, probed every 5 ms).
/// </summary>
public static class AddressesBench
{
    public static string AddressOf(int i) => $"10.52.{i / 250}.{i % 250 + 1}";

    public static List<AddressesRow> Run(BenchOptions o, Timeline tl, Action<string> progress, CancellationToken ct)
    {
        var rows = new List<AddressesRow>();
        foreach (int count in o.AddressCounts)
            foreach (var kind in o.Daemons)
            {
                ct.ThrowIfCancellationRequested();
                var row = RunOne(kind, count, o, tl, ct);
                rows.Add(row);
                progress($"addresses {count} {row.Daemon}: installed {F(row.InstalledMs)} ms, announced {F(row.AnnouncedMs)} ms, " +
                         $"last VIP answers the client {F(row.ClientMs)} ms after the takeover decision" + (row.Note.Length > 0 ? $" ({row.Note})" : ""));
            }
        return rows;
    }

    private static string F(double? v) => v is { } x ? x.ToString("0", CultureInfo.InvariantCulture) : "-";

    private static AddressesRow RunOne(DaemonKind kind, int count, BenchOptions o, Timeline tl, CancellationToken ct)
    {
        double limitMs = count >= 5000 ? 90000 : 30000;
        using var lab = LabTopology.Create(tl);
        lab.KeepWorkDir = o.KeepLogs;
        LabHost h = lab.H171;
        Sh.Run("ip", "-n", lab.ClientNs, "route", "add", "10.52.0.0/16", "dev", LabTopology.Interface);
        Nginx.Start(h);
        string last = AddressOf(count - 1);
        using var probe = new ClientProbe(lab.ClientNs, last, tl, cadenceMs: 5, timeoutMs: 50);
        probe.Start();
        var vips = Enumerable.Range(0, count).Select(i => AddressOf(i) + "/32");
        using var daemon = Bench.Daemon(kind, h, Bench.OneInstance(h, "BACKUP", 100, vips), o, tl);

        // Gratuitous ARPs from the host, captured until stopped (SIGINT: tshark writes what it has).
        string pcap = Path.Combine(lab.WorkDir, "arp.pcapng");
        using var capture = Process.Start(new ProcessStartInfo("ip")
        {
            ArgumentList = { "netns", "exec", lab.ClientNs, "dumpcap", "-q", "-i", LabTopology.Interface, "-B", "64", "-f", $"arp and ether src {Mac(h)}", "-w", pcap },
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        }) ?? throw new LabException("cannot start dumpcap");
        double epochZero = Bench.EpochOfTimelineZeroMs(tl);
        Thread.Sleep(1000); // dumpcap is capturing
        string note = "";
        double? decision = null, installed = null, client = null;
        int installedSeen = 0;
        try
        {
            double start = tl.NowMs;
            daemon.Start();
            var deadline = start + limitMs;
            while (tl.NowMs < deadline && (decision = tl.FirstLineAfter(h.Name, "Entering MASTER STATE", start)) is null)
            {
                ct.ThrowIfCancellationRequested();
                if (daemon.Failure is { } f) throw new LabException(f);
                Thread.Sleep(5);
            }
            if (decision is null) throw new LabException($"{Bench.Name(kind)} with {count} VIPs did not enter MASTER within {limitMs / 1000:0} s");
            while (tl.NowMs < decision + limitMs)
            {
                ct.ThrowIfCancellationRequested();
                double at = tl.NowMs;
                installedSeen = Count(h);
                if (installedSeen >= count) { installed = at - decision; break; }
                Thread.Sleep(5);
            }
            while (tl.NowMs < decision + limitMs && (client = probe.FirstAnswerFrom(h.Name, start)?.EndMs) is null)
            {
                ct.ThrowIfCancellationRequested();
                Thread.Sleep(10);
            }
            client -= decision;
            if (installed is null) note = $"{installedSeen} of {count} installed after {limitMs / 1000:0} s";
            Thread.Sleep(5000); // the announcements' tail (keepalived repeats them, paced)
        }
        finally
        {
            Sh.Try("kill", "-INT", capture.Id.ToString(CultureInfo.InvariantCulture));
            if (!capture.WaitForExit(10000)) capture.Kill(true);
        }
        // First gratuitous ARP (sender = target = the VIP) per VIP.
        var firstSeen = new Dictionary<string, double>();
        var r = Sh.Run(["env", "HOME=/tmp", "tshark", "-n", "-r", pcap, "-T", "fields", "-e", "frame.time_epoch", "-e", "arp.src.proto_ipv4",
            "-e", "arp.dst.proto_ipv4"], check: false, timeoutMs: 120000);
        foreach (string line in r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] f = line.Split('\t');
            if (f.Length < 3 || f[1] != f[2] || !f[1].StartsWith("10.52.", StringComparison.Ordinal)) continue;
            double at = double.Parse(f[0], CultureInfo.InvariantCulture) * 1000 - epochZero;
            firstSeen.TryAdd(f[1], at);
        }
        double? announced = firstSeen.Count >= count ? firstSeen.Values.Max() - decision : null;
        double? firstGarp = firstSeen.Count > 0 ? firstSeen.Values.Min() - decision : null;
        if (announced is null) note = ScenarioRig.Join(note, $"{firstSeen.Count} of {count} VIPs announced");
        if (daemon.Failure is { } failure) note = ScenarioRig.Join(note, failure);
        return new AddressesRow(Bench.Name(kind), count, R(installed), R(announced), R(client), installedSeen, firstSeen.Count, R(firstGarp), note);
    }

    private static double? R(double? v) => v is { } x ? Math.Round(x, 1) : null;

    private static string Mac(LabHost h) =>
        Sh.Run("ip", "-n", h.Netns, "-o", "link", "show", LabTopology.Interface).StdOut.Split("link/ether ")[1].Split(' ')[0];

    private static int Count(LabHost h) =>
        Sh.Run(["ip", "-n", h.Netns, "-o", "-4", "addr", "show", "dev", LabTopology.Interface], check: true, timeoutMs: 30000).StdOut
            .Split('\n').Count(l => l.Contains(" 10.52.", StringComparison.Ordinal));
}
