using System.Globalization;
using System.Text;

namespace KeepSharp.Daemon.Runtime.Control;

/// <summary><c>keepsharp status</c>: a block per instance, then the interfaces' and scripts' figures.</summary>
internal static class StatusTable
{
    public static string Format(StatusReport r)
    {
        var o = new StringBuilder();
        o.Append(CultureInfo.InvariantCulture, $"KeepSharp v{r.Version}, pid {r.Pid}{(r.RouterId is null ? "" : $", router_id {r.RouterId}")}, at {Time(r.TakenAt)}\n");
        if (r.Instances.Count == 0)
            o.Append("\nNo instances.\n");
        foreach (InstanceStatus i in r.Instances)
        {
            o.Append('\n');
            o.Append(CultureInfo.InvariantCulture, $"{i.Name}  {i.State}  VRID {i.VirtualRouterId} {i.Family} VRRPv{i.VrrpVersion} on {i.Interface}, from {i.SourceAddress}, advert_int {Seconds(i.AdvertIntervalSeconds)}\n");
            o.Append(CultureInfo.InvariantCulture, $"  priority     base {i.BasePriority}, effective {i.EffectivePriority}\n");
            string master = i.MasterAddress is null ? "none known" : i.State == "MASTER" ? $"{i.MasterAddress} (this host)" : i.MasterAddress;
            o.Append(CultureInfo.InvariantCulture, $"  master       {master}\n");
            o.Append(CultureInfo.InvariantCulture, $"  VIPs         {(i.VirtualAddresses.Count == 0 ? "none" : string.Join(' ', i.VirtualAddresses))}{(i.AddressesInstalled ? " (installed)" : "")}\n");
            if (i.LastTransition is { } t)
                o.Append(CultureInfo.InvariantCulture, $"  last change  {t.From} -> {t.To} at {Time(t.At)} ({Ago(r.TakenAt - t.At)} ago): {t.Reason}\n");
            if (i.Trackers.Count > 0)
            {
                o.Append("  trackers\n");
                foreach (TrackerStatusEntry tr in i.Trackers)
                    o.Append(CultureInfo.InvariantCulture, $"    {tr.Kind,-9} {tr.Name,-24} {tr.Result,-8} weight {tr.Weight}{(tr.Reverse ? " reverse" : "")}\n");
            }
            CounterStatus c = i.Counters;
            o.Append(CultureInfo.InvariantCulture, $"  adverts      sent {c.AdvertsSent}, received {c.AdvertsReceived}, dropped {c.TotalDropped}{DropDetail(c.Drops)}\n");
            o.Append(CultureInfo.InvariantCulture, $"  transitions  became master {c.BecameMaster}, released master {c.ReleasedMaster}, priority 0 sent {c.PriorityZeroSent}, received {c.PriorityZeroReceived}\n");
            o.Append(CultureInfo.InvariantCulture, $"  heard on the wire for VRID {i.VirtualRouterId}:");
            if (i.Heard.Count == 0)
            {
                o.Append(" nobody\n");
                continue;
            }
            o.Append('\n');
            var rows = new List<string[]> { new[] { "ADDRESS", "PRIORITY", "INTERVAL", "VERSION", "ADVERTS", "LAST HEARD", "LAST ADVERT" } };
            foreach (HeardRouterStatus h in i.Heard)
            {
                rows.Add([h.Address, h.Priority.ToString(CultureInfo.InvariantCulture), Seconds(h.IntervalSeconds), $"v{h.Version}",
                    h.Adverts.ToString(CultureInfo.InvariantCulture), $"{Ago(TimeSpan.FromSeconds(h.AgeSeconds))} ago", h.LastDrop is null ? "accepted" : $"dropped: {h.LastDrop}"]);
            }
            AppendRows(o, rows, "    ");
        }
        if (r.Scripts.Count > 0)
        {
            o.Append("\nScripts:\n");
            var rows = new List<string[]> { new[] { "NAME", "RESULT", "RUNS", "TIMEOUTS", "LAST RUN" } };
            foreach (ScriptStatus s in r.Scripts)
                rows.Add([s.Name, s.Result, s.Runs.ToString(CultureInfo.InvariantCulture), s.Timeouts.ToString(CultureInfo.InvariantCulture),
                    double.IsFinite(s.LastDurationSeconds) ? Seconds(s.LastDurationSeconds) : "-"]);
            AppendRows(o, rows, "  ");
        }
        if (r.Process is { } p)
        {
            o.Append(CultureInfo.InvariantCulture,
                $"\nProcess: RSS {Megabytes(p.ResidentBytes)}, {p.Threads} threads, {p.OpenFileDescriptors} fds; managed heap {Megabytes(p.ManagedHeapBytes)} ({Megabytes(p.ManagedCommittedBytes)} committed), collections {string.Join('/', p.Collections)}\n");
        }
        return o.ToString();
    }

    public static string Megabytes(long bytes) => bytes < 0 ? "?" : (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    private static string DropDetail(IReadOnlyList<DropCount> drops)
    {
        DropCount[] nonZero = [.. drops.Where(d => d.Count > 0)];
        return nonZero.Length == 0 ? "" : " (" + string.Join(", ", nonZero.Select(d => $"{d.Reason} {d.Count}")) + ")";
    }

    private static void AppendRows(StringBuilder o, List<string[]> rows, string indent)
    {
        int[] widths = new int[rows[0].Length];
        foreach (string[] row in rows)
            for (int c = 0; c < row.Length; c++)
                widths[c] = Math.Max(widths[c], row[c].Length);
        foreach (string[] row in rows)
        {
            o.Append(indent);
            for (int c = 0; c < row.Length; c++)
            {
                o.Append(row[c]);
                if (c < row.Length - 1)
                    o.Append(' ', widths[c] - row[c].Length + 2);
            }
            o.Append('\n');
        }
    }

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Seconds(double s) => s.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    public static string Ago(TimeSpan t)
    {
        if (t < TimeSpan.Zero)
            t = TimeSpan.Zero;
        if (t.TotalSeconds < 60)
            return t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
        if (t.TotalHours < 1)
            return $"{(int)t.TotalMinutes} min {t.Seconds} s";
        if (t.TotalDays < 1)
            return $"{(int)t.TotalHours} h {t.Minutes} min";
        return $"{(int)t.TotalDays} d {t.Hours} h";
    }
}
