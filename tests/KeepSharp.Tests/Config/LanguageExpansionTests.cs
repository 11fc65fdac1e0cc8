using KeepSharp.Config;
using KeepSharp.Config.Parsing;

namespace KeepSharp.Tests.Config;

/// <summary>
/// keepalived 2.2.7's line language (lib/parser.c read_line): ~SEQ, ~SEQx, ~LST, the standard definitions, multi-line
/// definitions. Each test reads text through the real reader and asserts the token lines it produced.
/// </summary>
public class LanguageExpansionTests
{
    private static (List<string> Lines, IReadOnlyList<ConfigDiagnostic> Diagnostics) Read(string text, ConfigLoadOptions? options = null, string file = "/etc/k/m.conf")
    {
        var context = new ParseContext(options ?? ConfigLoadOptions.Default);
        var reader = new ConfigReader(context, new InMemoryConfigFileSystem());
        reader.ReadText(text, file);
        return ([.. reader.Lines.Select(l => string.Join(' ', l.Tokens.Select(t => t.Text)))], context.Diagnostics);
    }

    private static List<string> Lines(string text, ConfigLoadOptions? options = null)
    {
        var (lines, diagnostics) = Read(text, options);
        Assert.Empty(diagnostics);
        return lines;
    }

    [Theory]
    [InlineData("~SEQ(i, 3) v $i", new[] { "v 1", "v 2", "v 3" })]
    [InlineData("~SEQ(i, 0) v $i", new[] { "v 1", "v 0" })]                       // one argument: from 1 (or -1) towards it
    [InlineData("~SEQ(i, -2) v $i", new[] { "v -1", "v -2" })]
    [InlineData("~SEQ(i, 5, 7) v $i", new[] { "v 5", "v 6", "v 7" })]
    [InlineData("~SEQ(i, 3, 1) v $i", new[] { "v 3", "v 2", "v 1" })]             // two: step +1 or -1
    [InlineData("~SEQ(i, 1, 5, 10) v ${i}x", new[] { "v 1x", "v 6x" })]          // three: start, step, end
    [InlineData("~SEQ(i, 10, -4, 1) v $i", new[] { "v 10", "v 6", "v 2" })]
    [InlineData("~SEQ(i, 0x10, 0x12) v $i", new[] { "v 16", "v 17", "v 18" })]    // strtol base 0: hex and octal
    [InlineData("~SEQ(i, 010, 011) v $i", new[] { "v 8", "v 9" })]
    [InlineData("~SEQx(i, 9, 3, 18) fe80::$i", new[] { "fe80::9", "fe80::c", "fe80::f", "fe80::12" })]
    [InlineData("~SEQ(i,1,2) ~SEQ(j,1,2) p ${i}.$j", new[] { "p 1.1", "p 1.2", "p 2.1", "p 2.2" })] // nested
    [InlineData("~SEQ(i,1,2) p $i.x", new[] { "p $i.x", "p $i.x" })]                 // a plain $NAME must end at a blank, ',', ')' or the end
    [InlineData("~LST(n, a, b, c) name $n", new[] { "name a", "name b", "name c" })]
    [InlineData("~LST({n, v}, {a, 1}, {b, 2}, {c}) $n=$v", new string[0])]       // a definition per value set, no lines
    [InlineData("~LST({n, v}, {a, 1}, {b}) k $n $v", new[] { "k a 1", "k b" })]    // a missing value is empty
    public void SequencesAndListsRepeatTheirLine(string line, string[] expected) => Assert.Equal(expected, Lines(line));

    [Fact]
    public void SequenceParametersMayBeDefinitionsAndTheVariableStaysDefined()
    {
        Assert.Equal(["v 2", "v 3", "after 3"], Lines("$FROM=2\n$TO=3\n~SEQ(i, $FROM, $TO) v $i\nafter $i"));
    }

    [Fact]
    public void SequenceExpandsBlocksThroughAMultiLineDefinition()
    {
        const string text = """
            $VI=vrrp_instance VI_${N} { \
              virtual_router_id ${N} \
            }
            ~SEQ(N, 1, 2) $VI
            """;
        Assert.Equal(["vrrp_instance VI_1 {", "virtual_router_id 1", "}", "vrrp_instance VI_2 {", "virtual_router_id 2", "}"], Lines(text));
    }

    [Fact]
    public void SequenceLinesCarryTheSequenceLineNumber()
    {
        var context = new ParseContext(ConfigLoadOptions.Default);
        var reader = new ConfigReader(context, new InMemoryConfigFileSystem());
        reader.ReadText("! x\n~SEQ(i, 2) k $i\n", "/etc/k/m.conf");
        Assert.All(reader.Lines, l => Assert.Equal(new ConfigLocation("/etc/k/m.conf", 2), l.Location));
    }

    [Theory]
    [InlineData("~SEQ(i) x", "Invalid ~SEQ definition '~SEQ(i) x'")]
    [InlineData("~SEQ(i, 1; 2) x", "Invalid ~SEQ definition '~SEQ(i, 1; 2) x'")]
    [InlineData("~SEQ(i, 1, 0, 5) x", "Invalid ~SEQ values '~SEQ(i, 1, 0, 5) x'")]
    [InlineData("~SEQ(i, 1, -1, 5) x", "Invalid ~SEQ values '~SEQ(i, 1, -1, 5) x'")]
    [InlineData("~SEQx(i, -1, 5) x", "~SEQx is only valid for positive numbers '~SEQx(i, -1, 5) x'")]
    [InlineData("~LST({a}, {1, 2}) x", "~LST specification has too many values '~LST({a}, {1, 2}) x'")]
    public void InvalidSequencesAreErrorsAtTheirLine(string line, string first)
    {
        var (lines, diagnostics) = Read("global_defs {\n}\n" + line);
        Assert.Equal(["global_defs {", "}"], lines);
        Assert.All(diagnostics, d => Assert.Equal((ConfigSeverity.Error, "/etc/k/m.conf", 3), (d.Severity, d.File, d.Line)));
        Assert.Equal(first, diagnostics[0].Message);
        string kind = line.StartsWith("~LST", StringComparison.Ordinal) ? "~LST" : "~SEQ";
        Assert.Equal($"Invalid {kind} specification '{line}'", diagnostics[^1].Message);
    }

    [Theory]
    [InlineData("~SEQ x")]
    [InlineData("~LST n, a")]
    [InlineData("~LST(n a)")]
    public void MalformedGeneratorsAreOneError(string line)
    {
        var error = Assert.Single(Read(line).Diagnostics);
        Assert.StartsWith("Invalid ~", error.Message);
    }

    [Fact]
    public void StandardDefinitions()
    {
        var options = new ConfigLoadOptions { ConfigId = "lb1" };
        Assert.Equal(["a /etc/k lb1 x"], Lines("a ${_PWD} ${_INSTANCE} x", options));
        Assert.Equal(["a /etc/k lb1"], Lines("a $_PWD $_INSTANCE", options));
        // ${_HASH} and ${_BANG} give the comment characters: the line is decommented again after substitution, so they
        // survive only inside double quotes (keepalived's decomment()).
        Assert.Equal(["s #1 !2"], Lines("s \"${_HASH}1 ${_BANG}2\""));
        Assert.Equal(["s a"], Lines("s a${_HASH}b"));
        // \# and \! escape a comment character outside quotes.
        Assert.Equal(["s a#b!c"], Lines("s a\\#b\\!c"));
    }

    [Fact]
    public void InstanceIsEmptyWithoutAConfigId() => Assert.Equal(["a", "b"], Lines("a ${_INSTANCE}\nb $_INSTANCE"));

    [Fact]
    public void RandomIsDrawnFromTheInjectedGenerator()
    {
        string Draw(string line, int seed) => Assert.Single(Lines(line, new ConfigLoadOptions { Random = new Random(seed) }));
        Assert.Equal(Draw("r ${_RANDOM}", 7), Draw("r ${_RANDOM}", 7));
        for (int seed = 0; seed < 50; seed++)
        {
            int value = int.Parse(Draw("r ${_RANDOM 5 8}", seed).Split(' ')[1]);
            Assert.InRange(value, 5, 8);
            Assert.InRange(int.Parse(Draw("r ${_RANDOM}", seed).Split(' ')[1]), 0, 32767);
            Assert.InRange(int.Parse(Draw("r ${_RANDOM 32000}", seed).Split(' ')[1]), 32000, 32767); // one parameter: the minimum
        }

        var expected = new Random(3);
        Assert.Equal($"r {expected.Next() % 4 + 5}", Draw("r ${_RANDOM 5 8}", 3));
    }

    [Fact]
    public void ParametersOnlyWhereTheDefinitionTakesThem()
    {
        Assert.Equal(["a ${_HASH 1} ${X 2} x"], Lines("$X=x\na \"${_HASH 1} ${X 2}\" ${X}"));
        var (lines, diagnostics) = Read("r ${_RANDOM 1 1 9}", new ConfigLoadOptions { Random = new Random(1) });
        Assert.Equal(["r 1"], lines);
        var warning = Assert.Single(diagnostics);
        Assert.Equal((ConfigSeverity.Warning, false), (warning.Severity, warning.FailsConfigTest));
        Assert.Equal("Too many parameters or extra text for ${_RANDOM 1 1 9}", warning.Message);
    }

    [Fact]
    public void DefinitionsOverrideStandardOnes() => Assert.Equal(["x mine"], Lines("$_PWD=mine\nx $_PWD"));

    [Fact]
    public void PlainNamesEndAtBlanksCommasAndParentheses()
    {
        Assert.Equal(["a 1,1) 1 $Nx"], Lines("$N=1\na $N,$N) $N $Nx"));
    }

    [Fact]
    public void MultiLineDefinitionsEndAtALineWithoutBackslashOrAnEmptyLine()
    {
        const string text = """
            $A=one \
              ! a comment line inside is skipped
              two \
              \
              three
            $B=\
              b1 \

            $A
            x $B
            y $A z
            """;
        // $A's lines follow the line using it; a multi-line definition is only found at the end of a line.
        Assert.Equal(["one", "two", "three", "x b1", "y $A z"], Lines(text));
    }

    [Fact]
    public void ADefinitionWhoseValueIsOnlyABackslashIsEmpty() => Assert.Equal(["k", "v"], Lines("$E=\\\n\nk $E\nv"));

    [Fact]
    public void SubstitutedLinesAreReadAgain()
    {
        // A value may hold a conditional, a definition, or another generator.
        var options = new ConfigLoadOptions { ConfigId = "lb1" };
        Assert.Equal(["on lb1"], Lines("$C=@lb1 on $_INSTANCE\n$C\n$D=@lb2 off\n$D", options));
        Assert.Equal(["v 1", "v 2"], Lines("$G=~SEQ(i, 2) v $i\n$G", options));
        Assert.Equal(["x 5"], Lines("$MAKE=$Y=5\n$MAKE\nx $Y"));
    }

    [Fact]
    public void SelfReferenceIsAnErrorNotAHang()
    {
        var (_, diagnostics) = Read("$A=$A\nk $A");
        Assert.Contains(diagnostics, d => d.Severity == ConfigSeverity.Error && d.Line == 2 && d.Message.Contains("nested too deeply"));
    }

    [Fact]
    public void ConditionalLinesNeedTextAfterTheId()
    {
        var options = new ConfigLoadOptions { ConfigId = "lb1" };
        Assert.Equal(["a", "c"], Lines("@lb1 a\n@lb1\n@lb2 b\n@^lb2 c\n@^lb1 d", options));
    }
}
