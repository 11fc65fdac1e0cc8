using System.Globalization;
using System.Text.RegularExpressions;
using KeepSharp.Lab;

namespace KeepSharp.Bench;

/// <summary>
/// When every VRID had exactly one master, from the daemons' own "(VI_n) Entering X STATE" lines as the lab received them
/// (both daemons write them, keepalived as KeepSharp, and the lab timestamps each line on one clock as it reads it).
/// "Running" is the moment a daemon's last instance entered its first state (the end of its startup: configuration
/// loaded, sockets open, every instance in BACKUP, FAULT or, for an owner, MASTER); both running is the later of the two.
/// One master per VRID is the moment from which, until the end of the window, exactly one host is MASTER for every VRID.
/// </summary>
public static partial class StateConvergence
{
    public sealed record Result(double? FirstRunningMs, double? BothRunningMs, double? OneMasterMs)
    {
        /// <summary>From both daemons running to one master per VRID (never negative: already settled counts as 0).</summary>
        public double? AfterBothRunningMs => BothRunningMs is { } r && OneMasterMs is { } m ? Math.Max(0, m - r) : null;
    }

    [GeneratedRegex(@"^\s*([\d.]+) ms\s+(\S+)\s+\S+: \(VI_(\d+)\) Entering (\w+) STATE")]
    private static partial Regex StateLine();

    /// <summary>Times relative to <paramref name="t0Ms"/>, over the timeline's lines in [t0, endMs].</summary>
    public static Result Measure(IEnumerable<string> lines, string[] hosts, int instances, double t0Ms, double endMs)
    {
        var state = hosts.ToDictionary(h => h, _ => new string?[instances + 1]);
        var started = hosts.ToDictionary(h => h, _ => 0);
        var running = new Dictionary<string, double>();
        double? oneMaster = null;
        foreach (string line in lines)
        {
            Match m = StateLine().Match(line);
            if (!m.Success) continue;
            double at = double.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
            string host = m.Groups[2].Value;
            if (at < t0Ms || at > endMs || !state.TryGetValue(host, out string?[]? states)) continue;
            int vrid = int.Parse(m.Groups[3].ValueSpan, CultureInfo.InvariantCulture);
            if (vrid < 1 || vrid > instances) continue;
            if (states[vrid] is null && ++started[host] == instances)
                running[host] = at;
            states[vrid] = m.Groups[4].Value;
            bool settled = Enumerable.Range(1, instances).All(v => hosts.Count(h => state[h][v] == "MASTER") == 1);
            if (!settled)
                oneMaster = null;
            else
                oneMaster ??= at;
        }
        double? first = running.Count > 0 ? running.Values.Min() - t0Ms : null;
        double? both = running.Count == hosts.Length ? running.Values.Max() - t0Ms : null;
        return new Result(first, both, oneMaster - t0Ms);
    }
}
