using KeepSharp.Config;

namespace KeepSharp.Tests.Fuzz;

/// <summary>What the fuzzers found, kept as plain regression tests.</summary>
public sealed class FuzzRegressionTests
{
    private static ConfigLoadResult Parse(string text) =>
        FuzzSettings.Bounded(() => KeepalivedConfigLoader.Parse(text, "f.conf", new ConfigLoadOptions(), new InMemoryConfigFileSystem()),
            TimeSpan.FromSeconds(2), () => text);

    /// <summary>Found by the token-stream fuzzer: ~SEQ(i, 0, 100000000) spun for minutes (keepalived does too).</summary>
    [Theory]
    [InlineData("~SEQ(i, 0, 100000000)\n")]
    [InlineData("~SEQ(i, 0, 2000000000)\n vrrp_instance I${i} {\n}\n")]
    [InlineData("~SEQ(i, 1, 1000) ~SEQ(j, 1, 1000) vrrp_instance I${i}_${j} {\n}\n")]
    public void A_sequence_beyond_the_generated_line_budget_is_an_error_at_its_line_not_a_hang(string text)
    {
        ConfigLoadResult result = Parse(text);
        var errors = result.Errors.Where(e => e.Message.Contains("more than the 50000", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Equal(("f.conf", 1), (e.File, e.Line)));
    }

    /// <summary>A sequence whose end is long.MaxValue used to overflow its counter and loop for ever.</summary>
    [Fact]
    public void A_sequence_ending_at_long_MaxValue_stops()
    {
        ConfigLoadResult result = Parse("~SEQ(i, 9223372036854775805, 9223372036854775807) $X_${i}=1\n~SEQ(i, -9223372036854775806, -1, -9223372036854775808) $Y_${i}=1\n");
        Assert.DoesNotContain(result.Errors, e => e.Message.Contains("~SEQ", StringComparison.Ordinal));
    }

    /// <summary>
    /// Found by the include fuzzer: five files that each include the others several times over (no cycle: those are
    /// reported) read each other's lines exponentially often, for minutes. Now the load stops at the line budget.
    /// </summary>
    [Fact]
    public void Files_that_include_each_other_many_times_over_stop_at_the_line_budget_with_an_error()
    {
        var fs = new InMemoryConfigFileSystem();
        string body = string.Concat(Enumerable.Range(0, 50).Select(i => $"$D{i}=x\n"));
        for (int f = 1; f <= 6; f++)
            fs.Add($"/etc/keepalived/d/f{f}.conf", body + "include /etc/keepalived/d/*.conf\ninclude /etc/keepalived/d/*.conf\n");
        string main = "include /etc/keepalived/d/*.conf\n";
        fs.Add("/etc/keepalived/keepalived.conf", main);
        ConfigLoadResult result = FuzzSettings.Bounded(
            () => KeepalivedConfigLoader.Parse(main, "/etc/keepalived/keepalived.conf", new ConfigLoadOptions(), fs), TimeSpan.FromSeconds(2), () => main);
        ConfigDiagnostic error = Assert.Single(result.Errors, e => e.Message.Contains("more than 50000 lines", StringComparison.Ordinal));
        Assert.StartsWith("/etc/keepalived/d/f", error.File, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sequence_within_the_budget_still_generates_every_line()
    {
        ConfigLoadResult result = Parse("~SEQ(i, 1, 300) vrrp_instance I${i} {\n}\n");
        Assert.DoesNotContain(result.Errors, e => e.Message.Contains("~SEQ", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Errors, e => e.Message.Contains("more than", StringComparison.Ordinal));
    }
}
