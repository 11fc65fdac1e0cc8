using KeepSharp.Scripts;

namespace KeepSharp.Tests.Scripts;

/// <summary>Splitting as keepalived 2.2.7's lib/parser.c alloc_strvec_quoted_escaped() does it.</summary>
public sealed class ScriptCommandLineTests
{
    [Theory]
    // keepalived's samples (doc/samples/keepalived.conf.vrrp.localcheck and friends).
    [InlineData("/usr/local/bin/vrrp.sh  MASTER  VI_1", new[] { "/usr/local/bin/vrrp.sh", "MASTER", "VI_1" })]
    [InlineData("killall -0 haproxy", new[] { "killall", "-0", "haproxy" })]
    [InlineData("/usr/local/bin/notify.sh 'a b' \"c d\"", new[] { "/usr/local/bin/notify.sh", "a b", "c d" })]
    // Quotes open and close mid-word; the other quote is literal inside a quote.
    [InlineData("/bin/x a'b c'd \"it's\" 'say \"hi\"'", new[] { "/bin/x", "ab cd", "it's", "say \"hi\"" })]
    // Empty quoted words are words.
    [InlineData("/bin/x '' b", new[] { "/bin/x", "", "b" })]
    // Every white-space character separates, runs of it count once.
    [InlineData(" \t/bin/x\t\ta\fb\vc \r\n", new[] { "/bin/x", "a", "b", "c" })]
    // Escapes, in and out of quotes.
    [InlineData(@"/bin/x a\ b 'c\'d' ""e\""f""", new[] { "/bin/x", "a b", "c'd", "e\"f" })]
    [InlineData(@"/bin/x \n\t\a\b\E\f\r\v", new[] { "/bin/x", "\n\t\a\b\x1b\f\r\v" })]
    [InlineData(@"/bin/x \x41\x4a2 \101\1018 \cA\c", new[] { "/bin/x", "A\u00a2", "AA8", "\u0001c" })]
    [InlineData(@"/bin/x \q\\", new[] { "/bin/x", "q\\" })]
    public void Splits_like_keepalived(string script, string[] expected)
    {
        Assert.True(ScriptCommandLine.TryParse(script, out var command, out string? error), error);
        Assert.Equal(expected, command!.Arguments);
    }

    [Theory]
    [InlineData("/bin/x 'unterminated", "missing terminating '")]
    [InlineData("/bin/x \"unterminated", "missing terminating \"")]
    [InlineData("/bin/x trailing\\", "Missing escape char at end")]
    [InlineData("   ", "empty script command")]
    public void Rejects_what_keepalived_rejects(string script, string reason)
    {
        Assert.False(ScriptCommandLine.TryParse(script, out var command, out string? error));
        Assert.Null(command);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_configuration_line_is_split_first_then_the_script_string_again()
    {
        // notify "/usr/local/bin/notify.sh 'VI 1' \"x\"" nobody nogroup: keepalived's first pass yields the script string.
        Assert.True(ScriptCommandLine.TrySplit("notify \"/usr/local/bin/notify.sh 'VI 1' \\\"x\\\"\" nobody nogroup", out var line, out _));
        Assert.Equal(["notify", "/usr/local/bin/notify.sh 'VI 1' \"x\"", "nobody", "nogroup"], line);
        Assert.Equal(["/usr/local/bin/notify.sh", "VI 1", "x"], ScriptCommandLine.Parse(line[1]).Arguments);
    }

    [Theory]
    [InlineData("</dev/tcp/127.0.0.1/80", true)]
    [InlineData("'< \t/etc/keepalived/flag'", true)]
    [InlineData("< /etc/keepalived/flag", false)] // two words: args[0] is "<" alone, so keepalived execs it
    [InlineData("<relative", false)]
    [InlineData("/bin/true", false)]
    public void A_file_openable_test_runs_through_the_shell(string script, bool fileTest)
    {
        var command = ScriptCommandLine.Parse(script);
        Assert.Equal(fileTest, command.IsFileTest);
    }

    [Fact]
    public void The_shell_command_quotes_every_word_but_a_leading_redirection_as_cmd_str_does()
    {
        Assert.Equal("</etc/flag", ScriptCommandLine.Parse("</etc/flag").ShellCommand);
        Assert.Equal("'/bin/x' 'a b' ''", ScriptCommandLine.Parse("/bin/x 'a b' ''").ShellCommand);
        Assert.Equal(["/bin/sh", "-c", "</etc/flag"], ScriptCommandLine.Parse("</etc/flag").ExecArguments(useShell: true));
        Assert.Equal(["/bin/x", "a b"], ScriptCommandLine.Parse("/bin/x 'a b'").ExecArguments(useShell: false));
    }
}
