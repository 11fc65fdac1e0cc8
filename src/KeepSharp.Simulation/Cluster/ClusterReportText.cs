using System.Text;
using KeepSharp.Vrrp.StateMachine;

namespace KeepSharp.Simulation.Cluster;

/// <summary>The readable report: the hosts, a table per virtual router, each failure's outcome, then the findings, most severe first.</summary>
public static class ClusterReportText
{
    public static string Format(ClusterReport report)
    {
        var text = new StringBuilder();
        text.AppendLine($"check-cluster: {report.Hosts.Count} hosts, {report.VirtualRouters.Count} virtual router(s)");
        Table(text, [.. report.Hosts.Select(h => new[] { h.Name, h.File, $"{h.Config.VrrpInstances.Count} instance(s)" })]);
        foreach (RouterOutcome outcome in report.Healthy)
        {
            text.AppendLine();
            text.AppendLine($"{outcome.Router.Name}, every host healthy:");
            var rows = new List<string[]> { new[] { "HOST", "INSTANCE", "STATE", "PRIORITY", "EFFECTIVE", "ADDRESS", "VIPS" } };
            foreach (MemberOutcome m in outcome.Members)
            {
                rows.Add([m.Member.Host.Name, m.Member.Instance.Name, State(m.State), m.Member.BasePriority.ToString(), m.Priority.ToString(),
                    Address(m.Member), string.Join(" ", m.Member.VirtualAddresses)]);
            }
            Table(text, rows);
        }
        if (report.Scenarios.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Each failure alone:");
            foreach (FailureScenario scenario in report.Scenarios)
            {
                text.AppendLine($"  {scenario.Title} (detected {(scenario.Detection > TimeSpan.Zero ? $"after {scenario.DetectionText}" : scenario.DetectionText)})");
                foreach (RouterOutcome outcome in scenario.Outcomes)
                    text.AppendLine($"    {outcome.Router.Name}: {Describe(outcome, scenario)}");
            }
        }
        text.AppendLine();
        if (report.Findings.Count == 0)
        {
            text.AppendLine("No findings: the cluster is sound.");
        }
        else
        {
            text.AppendLine("Findings, most severe first:");
            foreach (ClusterFinding finding in report.Findings)
            {
                text.AppendLine($"  {finding.Severity.ToString().ToUpperInvariant(),-7} {finding.Code}{(finding.VirtualRouter is { } r ? $" ({r})" : "")}");
                text.AppendLine($"          {finding.Message}");
                if (finding.Locations.Count > 0)
                    text.AppendLine($"          at {string.Join(", ", finding.Locations.Distinct().Select(ConsistencyChecks.Where))}");
            }
        }
        text.AppendLine();
        text.AppendLine(report.ExitCode == ClusterReport.ExitSound
            ? "Result: sound (exit 0)"
            : $"Result: failover breaks (exit {report.ExitCode}): {report.Findings.Count(f => f.BreaksFailover)} error(s)");
        return text.ToString();
    }

    /// <summary>"keep_172 master after 3.61 s", "keep_171 stays master (priority 110 → 100)", "nobody master".</summary>
    public static string Describe(RouterOutcome outcome, FailureScenario scenario)
    {
        IReadOnlyList<ClusterMember> after = outcome.MastersAfter;
        string who = after.Count == 0 ? "nobody is master" : $"{string.Join(" and ", after.Select(m => m.Label))} {(after.Count > 1 ? "are" : "is")} master";
        string priorities = string.Join(", ", outcome.Members.Select(m => $"{m.Member.Label} {m.State switch
        {
            VrrpState.Fault => "FAULT",
            VrrpState.Initialize => "down",
            _ => m.Priority.ToString(),
        }}"));
        if (!outcome.MasterChanged)
            return after.Count == 1 ? $"{after[0].Label} stays master ({priorities})" : $"unchanged: {who} ({priorities})";
        if (after.Count > 0 && after.All(outcome.MastersBefore.Contains))
            return $"{string.Join(" and ", after.Select(m => m.Label))} stays master, alone ({priorities})";
        string time = outcome.After is { } t ? $" after {t.TotalSeconds:0.###} s" : "";
        string split = outcome.After is { } total && scenario.Detection > TimeSpan.Zero
            ? $" = {FailureScenarios.Seconds(scenario.Detection)} detection + {(total - scenario.Detection).TotalSeconds:0.###} s protocol"
            : "";
        return $"{who}{time}{split} ({priorities})";
    }

    private static string State(VrrpState state) => state switch
    {
        VrrpState.Initialize => "DOWN",
        _ => state.ToString().ToUpperInvariant(),
    };

    private static string Address(ClusterMember m) => m.AddressSource switch
    {
        MemberAddressSource.Configured => m.Address.ToString(),
        MemberAddressSource.InferredFromPeers => $"{m.Address} (from peers)",
        _ => $"{m.Address} (assumed)",
    };

    private static void Table(StringBuilder text, IReadOnlyList<string[]> rows)
    {
        if (rows.Count == 0)
            return;
        int[] widths = [.. Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length))];
        foreach (string[] row in rows)
        {
            var line = new StringBuilder("  ");
            for (int c = 0; c < row.Length; c++)
                line.Append(c == row.Length - 1 ? row[c] : row[c].PadRight(widths[c] + 2));
            text.AppendLine(line.ToString().TrimEnd());
        }
    }
}
