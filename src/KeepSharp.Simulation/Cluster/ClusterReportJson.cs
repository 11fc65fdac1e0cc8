using System.Text;
using System.Text.Json;
using KeepSharp.Vrrp.StateMachine;

namespace KeepSharp.Simulation.Cluster;

/// <summary>
/// <c>check-cluster --json</c>: the same report as data (camelCase; times in seconds; states upper case as keepalived
/// prints them; a member is named by its host).
/// </summary>
public static class ClusterReportJson
{
    public static string Format(ClusterReport report)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("exitCode", report.ExitCode);
            json.WriteStartArray("hosts");
            foreach (ClusterHost host in report.Hosts)
            {
                json.WriteStartObject();
                json.WriteString("name", host.Name);
                json.WriteString("file", host.File);
                json.WriteStartArray("instances");
                foreach (var instance in host.Config.VrrpInstances)
                    json.WriteStringValue(instance.Name);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("virtualRouters");
            foreach (RouterOutcome outcome in report.Healthy)
            {
                json.WriteStartObject();
                json.WriteString("name", outcome.Router.Name);
                json.WriteNumber("vrid", outcome.Router.VirtualRouterId);
                json.WriteString("family", VirtualRouter.FamilyName(outcome.Router.Family));
                json.WriteBoolean("unicast", outcome.Router.IsUnicast);
                Masters(json, "masters", outcome.MastersAfter);
                json.WriteStartObject("mastersByFirstHost");
                foreach ((ClusterHost host, var masters) in report.MastersByFirstHost)
                {
                    if (outcome.Router.Members.Any(m => m.Host == host))
                        Masters(json, host.Name, masters[outcome.Router]);
                }
                json.WriteEndObject();
                json.WriteStartArray("members");
                foreach (MemberOutcome m in outcome.Members)
                {
                    json.WriteStartObject();
                    json.WriteString("host", m.Member.Host.Name);
                    json.WriteString("instance", m.Member.Instance.Name);
                    json.WriteString("state", m.State.ToString().ToUpperInvariant());
                    json.WriteNumber("basePriority", m.Member.BasePriority);
                    json.WriteNumber("effectivePriority", m.Priority);
                    json.WriteString("address", m.Member.Address.ToString());
                    json.WriteString("addressSource", m.Member.AddressSource.ToString());
                    json.WriteStartArray("vips");
                    foreach (var vip in m.Member.VirtualAddresses)
                        json.WriteStringValue(vip.ToString());
                    json.WriteEndArray();
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("scenarios");
            foreach (FailureScenario scenario in report.Scenarios)
            {
                json.WriteStartObject();
                json.WriteString("title", scenario.Title);
                json.WriteString("host", scenario.Host.Name);
                json.WriteString("kind", scenario.Kind.ToString().ToLowerInvariant());
                if (scenario.Name is { } name)
                    json.WriteString("name", name);
                json.WriteNumber("detectionSeconds", scenario.Detection.TotalSeconds);
                json.WriteStartArray("outcomes");
                foreach (RouterOutcome outcome in scenario.Outcomes)
                {
                    json.WriteStartObject();
                    json.WriteString("virtualRouter", outcome.Router.Name);
                    Masters(json, "mastersBefore", outcome.MastersBefore);
                    Masters(json, "mastersAfter", outcome.MastersAfter);
                    json.WriteBoolean("masterChanged", outcome.MasterChanged);
                    if (outcome.After is { } after)
                        json.WriteNumber("seconds", Math.Round(after.TotalSeconds, 4));
                    else
                        json.WriteNull("seconds");
                    json.WriteStartObject("states");
                    foreach (MemberOutcome m in outcome.Members)
                        json.WriteString(m.Member.Host.Name, m.State == VrrpState.Initialize ? "DOWN" : m.State.ToString().ToUpperInvariant());
                    json.WriteEndObject();
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("findings");
            foreach (ClusterFinding finding in report.Findings)
            {
                json.WriteStartObject();
                json.WriteString("severity", finding.Severity.ToString().ToLowerInvariant());
                json.WriteString("code", finding.Code);
                if (finding.VirtualRouter is { } router)
                    json.WriteString("virtualRouter", router);
                json.WriteString("message", finding.Message);
                json.WriteStartArray("locations");
                foreach (var location in finding.Locations.Distinct())
                    json.WriteStringValue(ConsistencyChecks.Where(location));
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Masters(Utf8JsonWriter json, string name, IReadOnlyList<ClusterMember> masters)
    {
        json.WriteStartArray(name);
        foreach (ClusterMember m in masters)
            json.WriteStringValue(m.Host.Name);
        json.WriteEndArray();
    }
}
