using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace KeepSharp.Tests.Status;

/// <summary>
/// A small strict reader of Prometheus' text format 0.0.4, for the tests: every sample belongs to the family whose
/// HELP and TYPE came just before it (a histogram's _bucket/_sum/_count included), names and label names are valid,
/// label values use only the \\ \" \n escapes, values parse, no series repeats, the text ends with a newline.
/// </summary>
public static partial class PrometheusParser
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public sealed record Family(string Name, string Type, string Help, List<Sample> Samples);

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    public static Dictionary<string, Family> Parse(string text)
    {
        if (!text.EndsWith('\n'))
            throw new FormatException("the exposition does not end with a newline");
        Dictionary<string, Family> families = [];
        HashSet<string> series = [];
        Family? current = null;
        string? pendingHelp = null;
        string? pendingHelpName = null;
        int lineNumber = 0;
        foreach (string line in text[..^1].Split('\n'))
        {
            lineNumber++;
            string where = $"line {lineNumber} '{line}'";
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                string rest = line[7..];
                int space = rest.IndexOf(' ');
                pendingHelpName = space < 0 ? rest : rest[..space];
                pendingHelp = space < 0 ? "" : UnescapeHelp(rest[(space + 1)..], where);
                Check(MetricName().IsMatch(pendingHelpName), where, "bad metric name");
                continue;
            }
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                string[] parts = line[7..].Split(' ');
                Check(parts.Length == 2, where, "TYPE needs a name and a type");
                Check(parts[1] is "counter" or "gauge" or "histogram" or "summary" or "untyped", where, "unknown type");
                Check(pendingHelpName == parts[0], where, "TYPE without its HELP just before");
                Check(!families.ContainsKey(parts[0]), where, "family declared twice");
                current = new Family(parts[0], parts[1], pendingHelp!, []);
                families.Add(current.Name, current);
                pendingHelpName = null;
                continue;
            }
            Check(!line.StartsWith('#') && line.Length > 0, where, "unexpected comment or empty line");
            Check(current is not null, where, "a sample before any TYPE");
            Sample sample = ParseSample(line, where);
            string baseName = current!.Type == "histogram"
                ? Regex.Replace(sample.Name, "_(bucket|sum|count)$", "")
                : sample.Name;
            Check(baseName == current.Name, where, $"sample outside its family {current.Name}");
            if (current.Type == "histogram" && sample.Name.EndsWith("_bucket", StringComparison.Ordinal))
                Check(sample.Labels.ContainsKey("le"), where, "bucket without le");
            string key = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}")) + "}";
            Check(series.Add(key), where, "series repeated");
            current.Samples.Add(sample);
        }
        return families;
    }

    private static Sample ParseSample(string line, string where)
    {
        int i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ')
            i++;
        string name = line[..i];
        Check(MetricName().IsMatch(name), where, "bad metric name");
        Dictionary<string, string> labels = [];
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (true)
            {
                int eq = line.IndexOf('=', i);
                Check(eq > i, where, "label without '='");
                string labelName = line[i..eq];
                Check(LabelName().IsMatch(labelName), where, $"bad label name '{labelName}'");
                Check(eq + 1 < line.Length && line[eq + 1] == '"', where, "label value not quoted");
                var value = new StringBuilder();
                int j = eq + 2;
                for (; ; j++)
                {
                    Check(j < line.Length, where, "unterminated label value");
                    char c = line[j];
                    if (c == '"')
                        break;
                    if (c == '\\')
                    {
                        j++;
                        Check(j < line.Length, where, "dangling escape");
                        value.Append(line[j] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new FormatException($"{where}: bad escape \\{line[j]}"),
                        });
                    }
                    else
                    {
                        value.Append(c);
                    }
                }
                Check(labels.TryAdd(labelName, value.ToString()), where, "label repeated");
                i = j + 1;
                Check(i < line.Length, where, "unterminated labels");
                if (line[i] == ',')
                {
                    i++;
                    continue;
                }
                Check(line[i] == '}', where, "expected ',' or '}'");
                i++;
                break;
            }
        }
        Check(i < line.Length && line[i] == ' ', where, "no space before the value");
        string[] rest = line[(i + 1)..].Split(' ');
        Check(rest.Length is 1 or 2, where, "value and at most a timestamp");
        double v = rest[0] switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.TryParse(rest[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : throw new FormatException($"{where}: bad value"),
        };
        return new Sample(name, labels, v);
    }

    private static string UnescapeHelp(string help, string where)
    {
        var o = new StringBuilder();
        for (int i = 0; i < help.Length; i++)
        {
            if (help[i] != '\\')
            {
                o.Append(help[i]);
                continue;
            }
            i++;
            Check(i < help.Length, where, "dangling escape in HELP");
            o.Append(help[i] switch { '\\' => '\\', 'n' => '\n', _ => throw new FormatException($"{where}: bad HELP escape") });
        }
        return o.ToString();
    }

    private static void Check(bool condition, string where, string problem)
    {
        if (!condition)
            throw new FormatException($"{where}: {problem}");
    }

    /// <summary>The one sample of <paramref name="family"/> whose labels include every pair given.</summary>
    public static double Value(Dictionary<string, Family> families, string family, params (string Name, string Value)[] labels)
    {
        Sample[] matches = [.. families[family].Samples.Where(s => labels.All(l => s.Labels.TryGetValue(l.Name, out string? v) && v == l.Value))];
        return matches.Length == 1 ? matches[0].Value : throw new InvalidOperationException($"{matches.Length} samples of {family} match");
    }
}
