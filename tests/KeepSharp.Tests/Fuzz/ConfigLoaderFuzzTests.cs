using System.Text;
using CsCheck;
using KeepSharp.Config;
using KeepSharp.Tests.Config;
using Xunit.Abstractions;

namespace KeepSharp.Tests.Fuzz;

/// <summary>
/// The configuration loader under hostile input: random token streams, mutations of real configurations (keepalived's
/// samples, read where the package installs them, and the repository's examples), deep nesting, huge numbers, long
/// lines, random bytes and include cycles through an in-memory file system. Property: Parse returns a result (a
/// configuration or diagnostics) without throwing, within <see cref="Limit"/> per input, and every diagnostic names
/// one of the input's files and a line inside it.
/// </summary>
public sealed class ConfigLoaderFuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);
    private const string MainFile = "/etc/keepalived/keepalived.conf";

    /// <summary>One fuzz input: the main text and the other files of the in-memory file system.</summary>
    public sealed record Input(string Main, IReadOnlyList<(string Path, string Text)> Files)
    {
        public override string ToString()
        {
            var sb = new StringBuilder();
            sb.Append("--- ").Append(MainFile).Append('\n').Append(Show(Main));
            foreach (var (path, text) in Files)
                sb.Append("\n--- ").Append(path).Append('\n').Append(Show(text));
            return sb.ToString();
        }

        private static string Show(string s) => s.Length > 4000 ? s[..4000] + $"... ({s.Length} chars)" : s;
    }

    private static readonly string[] Keywords =
    [
        "global_defs", "vrrp_instance", "vrrp_sync_group", "vrrp_script", "track_script", "track_interface", "track_file",
        "vrrp_track_file", "track_process", "vrrp_track_process", "virtual_ipaddress", "virtual_ipaddress_excluded",
        "virtual_routes", "virtual_rules", "static_ipaddress", "static_routes", "unicast_peer", "unicast_src_ip",
        "authentication", "auth_type", "auth_pass", "PASS", "AH", "state", "MASTER", "BACKUP", "interface", "eth0",
        "virtual_router_id", "priority", "advert_int", "version", "nopreempt", "preempt_delay", "garp_master_delay",
        "router_id", "script", "interval", "timeout", "weight", "fall", "rise", "user", "notify", "notify_master",
        "notify_fifo", "use_vmac", "vmac_xmit_base", "dev", "label", "brd", "scope", "via", "src", "table", "metric",
        "include", "includea", "includer", "includem", "$DEF", "$X=1", "${X}", "${_RANDOM}", "${_RANDOM 1 9}",
        "~SEQ(i,1,3)", "~SEQ(i, 0, 100000000)", "${i}", "@host", "@^host", "!", "#", "{", "}", "{", "}", "\"", "'", "\\",
        "BFD", "vrrp_version", "vrrp_strict", "enable_script_security", "script_user", "root", "no_accept", "accept",
        "track_src_ip", "smtp_alert", "lvs_sync_daemon", "virtual_server", "real_server", "HTTP_GET", "delay_loop",
        "10.0.0.1", "10.0.0.1/24", "fe80::1", "2001:db8::1/64", "224.0.0.18", "0", "1", "-1", "255", "256", "65536",
        "0.0000001", "1e308", "4294967296", "99999999999999999999999999999", "NaN", "-0", "0x10", "",
    ];

    private static readonly Gen<string> Token = Gen.Frequency(
        (8, (IGen<string>)Gen.OneOf<string>(Keywords)),
        (1, Gen.String[Gen.Char.AlphaNumeric, 1, 12]),
        (1, Gen.Long.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.String[Gen.Char, 1, 8]));

    private static readonly Gen<string> Separator = Gen.OneOf<string>(" ", " ", " ", "\n", "\n", "\t", "\r\n", " \\\n", ";");

    /// <summary>Random token streams: keywords, braces, numbers, addresses, directives, junk.</summary>
    private static readonly Gen<string> TokenStream =
        Gen.Select(Token, Separator).Array[0, 300].Select(parts =>
        {
            var sb = new StringBuilder();
            foreach (var (token, sep) in parts)
                sb.Append(token).Append(sep);
            return sb.ToString();
        });

    /// <summary>The bases for mutation: keepalived's samples (read at test time) and the repository's examples.</summary>
    private static readonly Lazy<string[]> Bases = new(() =>
    {
        var texts = new List<string>();
        Assert.True(TestPaths.SamplesInstalled, $"keepalived's sample configs are missing from {TestPaths.SamplesDir} (scripts/setup.sh installs them)");
        foreach (string file in Directory.GetFiles(TestPaths.SamplesDir, "keepalived.conf.*").Order(StringComparer.Ordinal))
            texts.Add(File.ReadAllText(file));
        foreach (string file in Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "examples"), "*.conf", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            texts.Add(File.ReadAllText(file));
        Assert.True(texts.Count >= 20, $"only {texts.Count} base configs found");
        return [.. texts];
    });

    private enum Op { Insert, Delete, Duplicate, Swap, Shuffle, RandomBytes, HugeNumber, LongLine, DeepNest, DropBrace, Truncate }

    private static readonly Gen<(Op Op, int A, int B, string Text)> Mutation =
        Gen.Select(Gen.Enum<Op>(), Gen.Int[0, 100_000], Gen.Int[0, 100_000], Gen.OneOf(TokenStream, Token));

    /// <summary>Applies a mutation to the lines of a config.</summary>
    private static List<string> Apply(List<string> lines, (Op Op, int A, int B, string Text) m)
    {
        int n = lines.Count;
        int a = n == 0 ? 0 : m.A % n, b = n == 0 ? 0 : m.B % n;
        switch (m.Op)
        {
            case Op.Insert: lines.Insert(n == 0 ? 0 : a, m.Text); break;
            case Op.Delete when n > 0: lines.RemoveAt(a); break;
            case Op.Duplicate when n > 0: lines.InsertRange(a, lines.GetRange(a, Math.Min(1 + m.B % 20, n - a))); break;
            case Op.Swap when n > 0: (lines[a], lines[b]) = (lines[b], lines[a]); break;
            case Op.Shuffle when n > 1:
                {
                    var rng = new Random(m.A);
                    int from = Math.Min(a, b), count = Math.Abs(a - b) + 1;
                    var part = lines.GetRange(from, count);
                    rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(part));
                    lines.RemoveRange(from, count);
                    lines.InsertRange(from, part);
                    break;
                }
            case Op.RandomBytes when n > 0:
                {
                    var rng = new Random(m.B);
                    var chars = lines[a].ToCharArray();
                    for (int i = 0; i < 1 + m.B % 6 && chars.Length > 0; i++)
                        chars[rng.Next(chars.Length)] = (char)rng.Next(0, 0x3000);
                    lines[a] = new string(chars);
                    break;
                }
            case Op.HugeNumber when n > 0:
                lines[a] = System.Text.RegularExpressions.Regex.Replace(lines[a], "[0-9]+",
                    (m.B % 4) switch { 0 => "99999999999999999999999999999999", 1 => "-2147483649", 2 => "4294967296", _ => "1e400" });
                break;
            case Op.LongLine:
                lines.Insert(a, new string('x', 1 + m.B % 8) + " " + string.Concat(Enumerable.Repeat(m.Text + " ", 1000 + m.B % 20_000 / Math.Max(1, m.Text.Length))));
                break;
            case Op.DeepNest:
                {
                    int depth = 100 + m.B % 5000;
                    lines.Insert(a, string.Concat(Enumerable.Repeat("vrrp_instance X { ", depth)) + string.Concat(Enumerable.Repeat("} ", m.B % 2 == 0 ? depth : depth / 2)));
                    break;
                }
            case Op.DropBrace when n > 0: lines[a] = lines[a].Replace("}", "", StringComparison.Ordinal).Replace("{", m.B % 2 == 0 ? "" : "{ {", StringComparison.Ordinal); break;
            case Op.Truncate when n > 0: lines[a] = lines[a][..(m.B % (lines[a].Length + 1))]; break;
        }
        return lines;
    }

    private static readonly Gen<string> MutatedConfig =
        Gen.Select(Gen.Int[0, 10_000], Mutation.Array[1, 12]).Select((index, mutations) =>
        {
            string[] bases = Bases.Value;
            var lines = bases[index % bases.Length].Split('\n').ToList();
            foreach (var m in mutations)
                lines = Apply(lines, m);
            return string.Join('\n', lines);
        });

    /// <summary>Files that include each other (cycles, self-includes, globs) with random or mutated content around.</summary>
    private static readonly Gen<Input> IncludeGraph =
        Gen.Select(Gen.Int[1, 5], Gen.Int[0, 4].Array[1, 12], Gen.OneOf(TokenStream, MutatedConfig).Array[6]).Select((files, edges, bodies) =>
        {
            string Name(int i) => i == 0 ? MainFile : $"/etc/keepalived/conf.d/f{i}.conf";
            var texts = new StringBuilder[files + 1];
            for (int i = 0; i <= files; i++)
                texts[i] = new StringBuilder(bodies[i % bodies.Length]).Append('\n');
            string[] forms = ["include {0}", "include /etc/keepalived/conf.d/*.conf", "includea {0}", "includer {0}",
                "include /etc/keepalived/conf.d/f{{1,2,3}}.conf", "include ../keepalived.conf", "include {0} {0}", "include /etc/keepalived/nothing*"];
            for (int e = 0; e < edges.Length; e++)
            {
                int from = edges[e] % (files + 1), to = (edges[e] + e) % (files + 1);
                texts[from].Append(string.Format(System.Globalization.CultureInfo.InvariantCulture, forms[e % forms.Length], Name(to))).Append('\n');
                texts[from].Append("vrrp_instance I").Append(e).Append(" {\n include ").Append(Name(from)).Append("\n}\n");
            }
            return new Input(texts[0].ToString(), [.. Enumerable.Range(1, files).Select(i => (Name(i), texts[i].ToString()))]);
        });

    private static ConfigLoadResult Load(Input input)
    {
        var fs = new InMemoryConfigFileSystem().Add(MainFile, input.Main);
        foreach (var (path, text) in input.Files)
            fs.Add(path, text);
        var options = new ConfigLoadOptions { Random = new Random(1), ConfigId = "host" };
        return KeepalivedConfigLoader.Parse(input.Main, MainFile, options, fs);
    }

    /// <summary>The property: a result within the time bound, a configuration or errors, every diagnostic at a file:line of the input.</summary>
    internal static void Check(Input input)
    {
        ConfigLoadResult result = FuzzSettings.Bounded(() => Load(input), Limit, input.ToString);
        Assert.NotNull(result);
        Assert.True(result.Config is not null || result.HasErrors, "neither a configuration nor an error");
        var lineCounts = new Dictionary<string, int>(StringComparer.Ordinal) { [MainFile] = LineCount(input.Main) };
        foreach (var (path, text) in input.Files)
            lineCounts[path] = LineCount(text);
        foreach (ConfigDiagnostic d in result.Diagnostics)
        {
            Assert.False(string.IsNullOrWhiteSpace(d.Message), $"diagnostic without a message at {d.File}:{d.Line}");
            Assert.True(lineCounts.TryGetValue(d.File, out int lines),
                $"diagnostic names {d.File}, not a file of the input ({string.Join(", ", lineCounts.Keys)}): {d}");
            Assert.True(d.Line >= 0 && d.Line <= lines, $"diagnostic at line {d.Line} of {d.File}, which has {lines} lines: {d}");
        }
    }

    private static int LineCount(string text) => text.Count(c => c == '\n') + 1;

    private void Run(Gen<Input> gen, long iterations) =>
        gen.Sample(Check, output.WriteLine, seed: FuzzSettings.Seed, iter: FuzzSettings.Iterations(iterations), threads: 1,
            print: i => i.ToString());

    [Fact]
    public void Random_token_streams_load_or_report_without_throwing_or_hanging() =>
        Run(TokenStream.Select(t => new Input(t, [])), 400);

    [Fact]
    public void Mutated_samples_and_examples_load_or_report_without_throwing_or_hanging() =>
        Run(MutatedConfig.Select(t => new Input(t, [])), 120);

    [Fact]
    public void Include_cycles_and_globs_in_memory_terminate_with_diagnostics_at_their_lines() =>
        Run(IncludeGraph, 40);

    [Fact]
    public void Deep_nesting_huge_numbers_and_long_lines_stay_within_the_time_bound()
    {
        Input[] inputs =
        [
            new(string.Concat(Enumerable.Repeat("vrrp_instance X {\n", 20_000)), []),
            new(string.Concat(Enumerable.Repeat("{", 200_000)), []),
            new(string.Concat(Enumerable.Repeat("}", 200_000)), []),
            new("vrrp_instance VI_1 {\n virtual_ipaddress {\n" + string.Concat(Enumerable.Repeat("10.0.0.1\n", 20_000)) + "}\n}\n", []),
            new("vrrp_instance VI_1 {\n priority " + new string('9', 100_000) + "\n advert_int " + new string('9', 5000) + ".5\n}\n", []),
            new("global_defs {\n router_id " + new string('a', 1_000_000) + "\n}\n", []),
            new("$A=${A}${A}\n$B=${A}\nvrrp_instance ${B} {\n}\n", []),
            new("$A=$A $A $A $A\n${A}\n$A\n", []),
            new("~SEQ(i, 0, 2000000000)\n vrrp_instance I${i} {\n}\n", []),
            new("~SEQ(i, 1, 100) ~SEQ(j, 1, 100) ~SEQ(k, 1, 100) vrrp_instance I${i}${j}${k} {}\n", []),
            new("include " + MainFile + "\n", []),
            new(string.Concat(Enumerable.Repeat("\"", 100_001)) + "\n", []),
            new(string.Concat(Enumerable.Repeat("\\\n", 100_000)), []),
        ];
        foreach (Input input in inputs)
            Check(input);
    }

    public static TheoryData<string> CorpusFiles()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(FuzzSettings.CorpusDir("config")).Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    /// <summary>The kept inputs (tests/KeepSharp.Tests/Fuzz/Corpus/config): each loads as the property requires.</summary>
    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Corpus_input_loads_or_reports(string name)
    {
        string text = File.ReadAllText(Path.Combine(FuzzSettings.CorpusDir("config"), name));
        // A corpus file may carry further in-memory files after lines "--- /path".
        var parts = text.Split("\n--- ");
        var files = parts.Skip(1).Select(p => (Path: p[..p.IndexOf('\n')].Trim(), Text: p[(p.IndexOf('\n') + 1)..])).ToList();
        Check(new Input(parts[0], files));
    }
}
