using System.Globalization;
using System.Text;
using KeepSharp.Lab;

namespace KeepSharp.Bench;

/// <summary>Shared pieces of the scenarios: names, configs, daemons in lab hosts, packet captures, perf.</summary>
public static class Bench
{
    public static string Name(DaemonKind k) => k == DaemonKind.KeepSharp ? "keepsharp" : "keepalived";

    /// <summary>
    /// Writes the host's keepalived.conf (the same text for both daemons) and creates its daemon (not started), without
    /// detailed logging, as both run in production (the lab's <c>-D</c> costs a formatted line per gratuitous ARP).
    /// </summary>
    public static LabDaemon Daemon(DaemonKind kind, LabHost host, string config, BenchOptions o, Timeline tl)
    {
        string path = Path.Combine(host.RunDir, "keepalived.conf");
        File.WriteAllText(path, config);
        return LabDaemon.Create(kind, host, path, o.KeepSharpBinary, tl, detailLog: false);
    }

    /// <summary>
    /// <paramref name="count"/> VRRPv3 IPv4 multicast instances (VRID 1.., VIP 10.60.VRID.1/32) as keep_171 (MASTER, 150)
    /// or keep_172 (BACKUP, 100) run them.
    /// </summary>
    public static string ManyInstances(LabHost host, bool master, int count, double advertInt)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"global_defs {{\n    router_id {host.Name}\n}}\n");
        for (int i = 1; i <= count; i++)
            sb.Append(CultureInfo.InvariantCulture, $$"""

                vrrp_instance VI_{{i}} {
                    state {{(master ? "MASTER" : "BACKUP")}}
                    interface {{LabTopology.Interface}}
                    virtual_router_id {{i}}
                    priority {{(master ? 150 : 100)}}
                    advert_int {{advertInt.ToString(CultureInfo.InvariantCulture)}}
                    version 3
                    virtual_ipaddress {
                        {{ScaleVip(i)}}/32
                    }
                }

                """);
        return sb.ToString();
    }

    public static string ScaleVip(int vrid) => $"10.60.{vrid}.1";

    /// <summary>One instance (VRID 51, VRRPv2, advert_int 1) with the given VIP lines and extra instance lines.</summary>
    public static string OneInstance(LabHost host, string state, int priority, IEnumerable<string> vips, string prefix = "", string extra = "")
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"global_defs {{\n    router_id {host.Name}\n}}\n{prefix}\n");
        sb.Append(CultureInfo.InvariantCulture, $$"""
            vrrp_instance VI_1 {
                state {{state}}
                interface {{LabTopology.Interface}}
                virtual_router_id 51
                priority {{priority}}
                advert_int 1
            {{extra}}
                virtual_ipaddress {

            """);
        foreach (string v in vips) sb.Append("        ").Append(v).Append('\n');
        sb.Append("    }\n}\n");
        return sb.ToString();
    }

    /// <summary>
    /// VRRP adverts captured by tcpdump in <paramref name="netns"/> for <paramref name="seconds"/> (kernel timestamps; the BPF
    /// filter runs in the kernel, so only the matching packets reach user space): (Unix time ms, VRID) per packet.
    /// </summary>
    public static List<(double AtMs, int Vrid)> CaptureAdverts(string netns, string filter, double seconds)
    {
        // nsenter, not `ip netns exec` (which remounts /sys), and -p (no promiscuous mode): neither waits for the RTNL lock,
        // which keepalived's address churn at 255 × 0.01 s can hold for seconds. Multicast and the master's unicast reach the
        // socket without promiscuous mode on the client's veth.
        ShResult r;
        try
        {
            r = Sh.Run(["nsenter", $"--net=/var/run/netns/{netns}", "timeout", "-s", "INT", seconds.ToString(CultureInfo.InvariantCulture),
                "tcpdump", "-p", "-i", LabTopology.Interface, "-nn", "-tt", "-l", "-B", "16384", filter], check: false, timeoutMs: (int)(seconds * 1000) + 15000);
        }
        catch (LabException) { return []; }
        var list = new List<(double, int)>();
        foreach (string line in r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int sp = line.IndexOf(' '), v = line.IndexOf("vrid ", StringComparison.Ordinal);
            if (sp <= 0 || v < 0 || !double.TryParse(line.AsSpan(0, sp), CultureInfo.InvariantCulture, out double t)) continue;
            int end = v + 5;
            while (end < line.Length && char.IsAsciiDigit(line[end])) end++;
            if (int.TryParse(line.AsSpan(v + 5, end - v - 5), CultureInfo.InvariantCulture, out int vrid)) list.Add((t * 1000, vrid));
        }
        return list;
    }

    /// <summary>Unix time (ms) of the timeline's zero, to place kernel capture timestamps on the timeline.</summary>
    public static double EpochOfTimelineZeroMs(Timeline tl) =>
        (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds - tl.NowMs;

    /// <summary>
    /// perf record of a process for a few seconds; returns a short summary (share per DSO, top symbols), or why not.
    /// </summary>
    public static string Profile(string label, int pid, double seconds)
    {
        string data = Path.Combine(Path.GetTempPath(), $"keepsharp-bench-{Environment.ProcessId}-{pid}.perf");
        string pids = string.Join(",", ProcessStats.DaemonProcesses(pid));
        try
        {
            var rec = Sh.Run(["perf", "record", "-q", "-F", "499", "-g", "-p", pids, "-o", data,
                "--", "sleep", seconds.ToString(CultureInfo.InvariantCulture)], check: false, timeoutMs: (int)(seconds * 1000) + 30000);
            if (rec.ExitCode != 0 || !File.Exists(data)) return $"{label}: perf record failed ({rec.ExitCode}): {rec.StdErr.Trim()}";
            var dso = Sh.Run(["perf", "report", "-i", data, "--stdio", "--no-children", "-g", "none", "--sort", "dso", "--percent-limit", "1"], check: false, timeoutMs: 60000);
            var sym = Sh.Run(["perf", "report", "-i", data, "--stdio", "--no-children", "-g", "none", "--sort", "dso,sym", "--percent-limit", "1.5"], check: false, timeoutMs: 60000);
            static IEnumerable<string> Body(string s) => s.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.TrimEnd()).Take(18);
            return $"{label} (perf record -F 499 -g -p {pids}, {seconds:0} s):\n  by DSO:\n" + string.Join("\n", Body(dso.StdOut).Select(l => "    " + l.Trim())) +
                   "\n  top symbols:\n" + string.Join("\n", Body(sym.StdOut).Select(l => "    " + l.Trim()));
        }
        catch (LabException e) { return $"{label}: perf unavailable: {e.Message}"; }
        catch (System.ComponentModel.Win32Exception e) { return $"{label}: perf unavailable: {e.Message}"; }
        finally { try { File.Delete(data); File.Delete(data + ".old"); } catch (IOException) { } }
    }
}
