using System.Text.Json;
using KeepSharp.IntegrationTests.Daemon;

namespace KeepSharp.IntegrationTests.Cluster;

/// <summary>One member of a predicted virtual router: its host and the VIPs it holds while master.</summary>
internal sealed record PredictedMember(string Host, string State, IReadOnlyList<string> Vips);

/// <summary>
/// A virtual router of <c>check-cluster --json</c>: its masters with every host healthy and started together, and
/// (<see cref="MastersByFirstHost"/>) when one host starts first.
/// </summary>
internal sealed record PredictedRouter(string Name, int Vrid, IReadOnlyList<string> Masters, IReadOnlyDictionary<string, IReadOnlyList<string>> MastersByFirstHost,
    IReadOnlyList<PredictedMember> Members, string Json);

/// <summary>What one failure does to one virtual router.</summary>
internal sealed record PredictedOutcome(string VirtualRouter, IReadOnlyList<string> MastersBefore, IReadOnlyList<string> MastersAfter,
    bool MasterChanged, double? Seconds);

/// <summary>One failure alone, as predicted (<see cref="Json"/> is its excerpt of the report, for failure messages).</summary>
internal sealed record PredictedScenario(string Title, string Host, string Kind, string? Name, double DetectionSeconds,
    IReadOnlyList<PredictedOutcome> Outcomes, string Json);

/// <summary><c>keepsharp check-cluster FILE... --json</c>, run with the published binary and parsed.</summary>
internal sealed record ClusterPrediction(int ExitCode, IReadOnlyList<PredictedRouter> VirtualRouters, IReadOnlyList<PredictedScenario> Scenarios,
    IReadOnlyList<string> FindingCodes, string Json)
{
    public static ClusterPrediction Run(IReadOnlyList<string> files)
    {
        (int exitCode, string stdout, string stderr) = KeepSharpProcess.Run(["check-cluster", .. files, "--json"]);
        Assert.True(exitCode is 0 or 1, $"check-cluster exited {exitCode} (0 or 1 expected: the files load):\n{stderr}\n{stdout}");
        ClusterPrediction prediction;
        try
        {
            prediction = Parse(stdout);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new Xunit.Sdk.XunitException($"check-cluster --json is not the documented shape ({e.Message}):\n{stdout}");
        }
        Assert.True(prediction.ExitCode == exitCode, $"the report's exitCode {prediction.ExitCode} is not the process's {exitCode}");
        return prediction;
    }

    public static ClusterPrediction Parse(string json)
    {
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement root = doc.RootElement;
        var routers = root.GetProperty("virtualRouters").EnumerateArray().Select(r => new PredictedRouter(
            r.GetProperty("name").GetString()!,
            r.GetProperty("vrid").GetInt32(),
            Strings(r.GetProperty("masters")),
            r.GetProperty("mastersByFirstHost").EnumerateObject().ToDictionary(p => p.Name, p => (IReadOnlyList<string>)Strings(p.Value)),
            [.. r.GetProperty("members").EnumerateArray().Select(m => new PredictedMember(
                m.GetProperty("host").GetString()!, m.GetProperty("state").GetString()!, Strings(m.GetProperty("vips"))))],
            Excerpt(r))).ToList();
        var scenarios = root.GetProperty("scenarios").EnumerateArray().Select(s => new PredictedScenario(
            s.GetProperty("title").GetString()!,
            s.GetProperty("host").GetString()!,
            s.GetProperty("kind").GetString()!,
            s.TryGetProperty("name", out JsonElement name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null,
            s.GetProperty("detectionSeconds").GetDouble(),
            [.. s.GetProperty("outcomes").EnumerateArray().Select(o => new PredictedOutcome(
                o.GetProperty("virtualRouter").GetString()!,
                Strings(o.GetProperty("mastersBefore")),
                Strings(o.GetProperty("mastersAfter")),
                o.GetProperty("masterChanged").GetBoolean(),
                o.GetProperty("seconds").ValueKind == JsonValueKind.Null ? null : o.GetProperty("seconds").GetDouble()))],
            Excerpt(s))).ToList();
        var codes = root.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()!).ToList();
        return new ClusterPrediction(root.GetProperty("exitCode").GetInt32(), routers, scenarios, codes, json);
    }

    public PredictedRouter Router(string name) =>
        VirtualRouters.FirstOrDefault(r => r.Name == name) ?? throw new Xunit.Sdk.XunitException($"no virtual router '{name}' in:\n{Json}");

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static string Excerpt(JsonElement element)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            element.WriteTo(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
