using KeepSharp.Config;
using KeepSharp.Config.Parsing;

namespace KeepSharp.Tests.Config;

public class ReaderTests
{
    private const string Instance = """
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 7
            virtual_ipaddress {
                10.0.0.1
            }
        }
        """;

    private static List<string> Tokens(string line)
    {
        var context = new ParseContext(ConfigLoadOptions.Default);
        var tokens = Tokenizer.Tokenize(Tokenizer.StripComment(line), new ConfigLocation("t", 1), context);
        Assert.Empty(context.Diagnostics);
        return tokens.Select(t => t.Kind == TokenKind.Word ? t.Text : $"<{t.Text}>").ToList();
    }

    [Theory]
    [InlineData("router_id r1 # comment", new[] { "router_id", "r1" })]
    [InlineData("router_id r1 ! comment", new[] { "router_id", "r1" })]
    [InlineData("router_id r1!comment", new[] { "router_id", "r1" })]
    [InlineData("script \"/bin/x # not ! a comment\" # but this is", new[] { "script", "/bin/x # not ! a comment" })]
    [InlineData("vrrp_instance VI_1{", new[] { "vrrp_instance", "VI_1", "<{>" })]
    [InlineData("track_script {chk}", new[] { "track_script", "<{>", "chk", "<}>" })]
    [InlineData("10.0.0.1}}", new[] { "10.0.0.1", "<}>", "<}>" })]
    [InlineData("script \"a{b}\"", new[] { "script", "a{b}" })]
    [InlineData("x abcd\" efg h \"mnop", new[] { "x", "abcd efg h mnop" })]
    [InlineData("x 'single # quoted'", new[] { "x", "single # quoted" })]
    [InlineData("x \"esc \\\" quote\"", new[] { "x", "esc \" quote" })]
    [InlineData("   \t  ", new string[0])]
    public void Tokenize(string line, string[] expected) => Assert.Equal(expected, Tokens(line));

    [Fact]
    public void UnterminatedQuoteIsAnErrorAtItsLine()
    {
        var result = KeepalivedConfigLoader.Parse("vrrp_script chk {\n  script \"/bin/true\n}\n", "a.conf");
        var error = Assert.Single(result.Errors);
        Assert.Equal(("a.conf", 2), (error.File, error.Line));
        Assert.Contains("unterminated quote", error.Message);
        Assert.Null(result.Config);
    }

    [Fact]
    public void CommentsAndGluedBracesParse()
    {
        var result = KeepalivedConfigLoader.Parse("""
            ! header
            global_defs{router_id r1 # id
            }
            vrrp_instance VI_1{ # glued
              interface eth0   ! nic
              virtual_router_id 7
              virtual_ipaddress {10.0.0.1/24 dev eth0 label eth0:1}
            }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Equal("r1", result.Config!.GlobalDefs.RouterId);
        var vip = Assert.Single(result.Config.VrrpInstances[0].VirtualIpAddresses);
        Assert.Equal((24, "eth0", "eth0:1"), (vip.PrefixLength, vip.Device, vip.Label));
    }

    [Fact]
    public void BraceOnNextLineOpensThePreviousStatementsBlock()
    {
        var result = KeepalivedConfigLoader.Parse("vrrp_instance VI_1\n{\n interface eth0\n virtual_router_id 7\n virtual_ipaddress\n {\n 10.0.0.1\n }\n}\n");
        Assert.Empty(result.Diagnostics);
        Assert.Single(result.Config!.VrrpInstances[0].VirtualIpAddresses);
    }

    [Fact]
    public void IncludeGlobsRelativeToTheIncludingFile_SortedAndNested()
    {
        using var dir = new TempDir();
        var main = dir.Write("keepalived.conf", "global_defs {\n router_id main\n}\ninclude conf.d/*.conf\n");
        dir.Write("conf.d/20-b.conf", "vrrp_instance VI_B {\n interface eth0\n virtual_router_id 2\n virtual_ipaddress {\n  10.0.0.2\n }\n}\n");
        dir.Write("conf.d/10-a.conf", "include ../scripts/s?.inc\nvrrp_instance VI_A {\n interface eth0\n virtual_router_id 1\n track_script {\n  chk\n }\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n");
        dir.Write("conf.d/.hidden.conf", "garbage {\n");
        dir.Write("conf.d/30-c.txt", "garbage {\n");
        dir.Write("scripts/s1.inc", "vrrp_script chk {\n script /bin/true\n}\n");

        var result = KeepalivedConfigLoader.Load(main);
        Assert.Empty(result.Diagnostics);
        var config = result.Config!;
        Assert.Equal(["VI_A", "VI_B"], config.VrrpInstances.Select(v => v.Name));
        Assert.Equal("chk", Assert.Single(config.VrrpScripts).Name);
        Assert.Equal(Path.Combine(dir.Path, "scripts", "s1.inc"), config.VrrpScripts[0].Location.File);
        Assert.Equal(new ConfigLocation(Path.Combine(dir.Path, "conf.d", "20-b.conf"), 1), config.VrrpInstances[1].Location);
        Assert.Equal(4, config.Files.Count); // main, 10-a, s1.inc, 20-b
    }

    [Fact]
    public void IncludeBraceExpansionAndCharacterClass()
    {
        var fs = new InMemoryConfigFileSystem()
            .Add("/etc/k/a.conf", "global_defs {\n router_id a\n}\n")
            .Add("/etc/k/b.conf", "global_defs {\n router_id b\n}\n")
            .Add("/etc/k/c.conf", "global_defs {\n router_id c\n}\n");
        Assert.Equal("c", KeepalivedConfigLoader.Parse("include {b,c}.conf", "/etc/k/main.conf", fs).Config!.GlobalDefs.RouterId);
        Assert.Equal("b", KeepalivedConfigLoader.Parse("include [ab].conf", "/etc/k/main.conf", fs).Config!.GlobalDefs.RouterId);
        Assert.Equal("a", KeepalivedConfigLoader.Parse("include [^bc].conf", "/etc/k/main.conf", fs).Config!.GlobalDefs.RouterId);
    }

    [Fact]
    public void IncludeLoopIsAnError()
    {
        var fs = new InMemoryConfigFileSystem()
            .Add("/etc/k/main.conf", "include a.conf\n")
            .Add("/etc/k/a.conf", "global_defs {\n}\ninclude b.conf\n")
            .Add("/etc/k/b.conf", "\ninclude a.conf\n");
        var result = KeepalivedConfigLoader.Load("/etc/k/main.conf", fs);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("/etc/k/b.conf", 2), (error.File, error.Line));
        Assert.Contains("include loop", error.Message);
        Assert.Contains("/etc/k/a.conf -> /etc/k/b.conf -> /etc/k/a.conf", error.Message);
    }

    [Fact]
    public void MissingIncludeIsAWarningThatDoesNotFailTheConfigTest_LikeKeepalived()
    {
        var result = KeepalivedConfigLoader.Parse("include /nonexistent/x.conf\ninclude /nonexistent/*.conf\n" + Instance, "m.conf");
        Assert.Equal(
            [(ConfigSeverity.Warning, 1, "Config files missing '/nonexistent/x.conf'."), (ConfigSeverity.Warning, 2, "Config files missing '/nonexistent/*.conf'.")],
            result.Diagnostics.Select(d => (d.Severity, d.Line, d.Message)));
        Assert.Equal(ConfigTest.ExitOk, ConfigTest.GetExitCode(result));
    }

    [Fact]
    public void MissingMainFileIsAnError()
    {
        var result = KeepalivedConfigLoader.Load("/nonexistent/keepalived.conf");
        Assert.Equal(("/nonexistent/keepalived.conf", 0), (result.Errors.Single().File, result.Errors.Single().Line));
    }

    [Fact]
    public void ConditionalLinesAndParameters()
    {
        const string text = """
            $IF=eth0
            $BASE=10.2.${SUB}
            @main $PRIO=240
            @^main $PRIO=50
            vrrp_instance VI_1 {
                interface $IF
                virtual_router_id 9
                priority $PRIO
                @main mcast_src_ip 1.2.3.4
                @backup mcast_src_ip 1.2.3.5
                virtual_ipaddress {
            $SUB=0
                    ${BASE}.100/32 dev ${IF}
            $SUB=10
                    ${BASE}.100/32
                    $UNDEFINED_STAYS
                }
            }
            """;
        var undefined = KeepalivedConfigLoader.Parse(text, "c.conf", new ConfigLoadOptions { ConfigId = "main" });
        var error = Assert.Single(undefined.Diagnostics);
        Assert.Equal((ConfigSeverity.Error, 16), (error.Severity, error.Line)); // "$UNDEFINED_STAYS" is left alone: not an IP
        Assert.Contains("$UNDEFINED_STAYS", error.Message);

        var main = KeepalivedConfigLoader.Parse(text.Replace("$UNDEFINED_STAYS", ""), "c.conf", new ConfigLoadOptions { ConfigId = "main" });
        Assert.Empty(main.Diagnostics);
        var vi = main.Config?.VrrpInstances[0] ?? throw new Xunit.Sdk.XunitException(string.Join("\n", main.Diagnostics));
        Assert.Equal("eth0", vi.Interface);
        Assert.Equal(240, vi.Priority);
        Assert.Equal("1.2.3.4", vi.McastSourceAddress!.ToString());
        Assert.Equal(["10.2.0.100", "10.2.10.100"], vi.VirtualIpAddresses.Select(v => v.Address.ToString()));
        Assert.Equal("eth0", vi.VirtualIpAddresses[0].Device);

        var other = KeepalivedConfigLoader.Parse(text.Replace("$UNDEFINED_STAYS", ""), "c.conf");
        Assert.Equal(50, other.Config!.VrrpInstances[0].Priority);
        Assert.Null(other.Config.VrrpInstances[0].McastSourceAddress);
    }

    [Fact]
    public void MultiLineParameterDefinition()
    {
        const string text = """
            $INSTANCE= \
            vrrp_instance VI_${NUM} { \
                interface eth0 \
                virtual_router_id ${NUM} \
                @high priority 130 \
                @low priority 120 \
                virtual_ipaddress { \
                    10.0.${NUM}.254/24 \
                } \
            }
            $NUM=1
            $INSTANCE
            $NUM=2
            $INSTANCE
            """;
        var result = KeepalivedConfigLoader.Parse(text, "m.conf", new ConfigLoadOptions { ConfigId = "low" });
        Assert.Empty(result.Diagnostics);
        Assert.Equal(["VI_1", "VI_2"], result.Config!.VrrpInstances.Select(v => v.Name));
        Assert.All(result.Config.VrrpInstances, v => Assert.Equal(120, v.Priority));
        Assert.Equal("10.0.2.254", result.Config.VrrpInstances[1].VirtualIpAddresses[0].Address.ToString());
        Assert.Equal(14, result.Config.VrrpInstances[1].Location.Line);
    }
}
