using System.Text;

namespace KeepSharp.Lab;

/// <summary>
/// What a health-check or example scenario measured: its steps, the summary table, and each host's daemon log
/// (read before cleanup, so tests can look for log lines such as the timeout trap).
/// </summary>
public sealed record LabRunResult(
    string Scenario,
    IReadOnlyList<StepResult> Steps,
    string WorkDir,
    string Summary,
    IReadOnlyDictionary<string, string> DaemonLogs)
{
    public bool AllHappened => Steps.Count > 0 && Steps.All(s => s.Happened);
    public StepResult Step(int n) => Steps.First(s => s.Number == n);
    public string Log(string host) => DaemonLogs.TryGetValue(host, out var log) ? log : "";

    /// <summary>The summary table: one line per step with its holder, outcome, takeover, outage and reference.</summary>
    internal static string Format(string title, IEnumerable<StepResult> steps, string footer)
    {
        var sb = new StringBuilder();
        sb.AppendLine(title);
        sb.AppendLine($"{"step",-56} {"holder",-9} {"ok",-4} {"takeover",9} {"outage",9}  reference");
        var list = steps.ToList();
        foreach (var s in list)
        {
            string reference = s.ReferenceMs is { } r
                ? $"{s.ReferenceName} {r:0} ms{(s.TakeoverMs is { } t ? (t <= r ? " (within)" : " (EXCEEDED)") : "")}"
                : "";
            sb.AppendLine($"({s.Number}) {s.Name,-52} {s.ExpectedHolder,-9} {(s.Happened ? "yes" : "NO"),-4} " +
                          $"{StepResult.Fmt(s.TakeoverMs),9} {StepResult.Fmt(s.OutageMs),9}  {reference}" +
                          (s.Happened ? "" : $"  <- {s.Detail}"));
        }
        foreach (var s in list.Where(s => s.Happened && s.Detail.Length > 0))
            sb.AppendLine($"    ({s.Number}) {s.Detail}");
        sb.Append(footer);
        return sb.ToString();
    }
}
