using KeepSharp.Config;

namespace KeepSharp.Tests.Config;

/// <summary>
/// keepalived 2.2.7's include, includer, includem, includew, includeb, includea (lib/parser.c check_include and
/// open_and_check_glob) and -e, on real files in a temporary folder; where cheap, keepalived -t on the same files.
/// </summary>
public class IncludeVariantTests
{
    private static string Instance(string name, int vrid) =>
        $"vrrp_instance {name} {{\n interface {KeepalivedCli.HostInterface}\n virtual_router_id {vrid}\n virtual_ipaddress {{\n  10.0.{vrid}.1\n }}\n}}\n";

    private static (ConfigLoadResult Result, int ExitCode) Load(string file, ConfigLoadOptions? options = null)
    {
        var result = KeepalivedConfigLoader.Load(file, options ?? ConfigLoadOptions.Default);
        return (result, ConfigTest.GetExitCode(result));
    }

    public static TheoryData<string, string, bool> Cases => new()
    {
        // keyword + pattern (relative to the main file), keepalived's message, whether it is an error (exit 6)
        { "include none.conf", "Config files missing 'none.conf'.", false },
        { "includer none.conf", "Config files missing 'none.conf'.", false },
        { "includem none.conf", "Config files missing 'none.conf'.", true },
        { "includew none.conf", "Config files missing 'none.conf'.", true },
        { "includea none.conf", "Config files missing 'none.conf'.", true },
        { "includeb none.conf", "Config files missing 'none.conf'.", false },
        { "includem nodir/*.conf", "Config files missing 'nodir/*.conf'.", true },
        { "includew *.nomatch", "No config files matched '*.nomatch'.", true },
        { "includea *.nomatch", "No config files matched '*.nomatch'.", true },
        { "includeb {none,other}.conf", "Config files missing '{none,other}.conf'.", true },
        { "includem {none,other}.conf", "Config files missing '{none,other}.conf'.", false },
        { "include {none,vi.conf}", "Some config files missing: \"{none,vi.conf}\".", false },
        { "includeb {none,vi.conf}", "Some config files missing: \"{none,vi.conf}\".", true },
        { "include sub", "is a directory - skipping", false },
        { "includer sub", "is a directory - skipping", true },
        { "includer run.sh", "is not a regular non-executable file - skipping", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void EachVariantReportsAsKeepalivedDoes(string include, string message, bool error)
    {
        using var dir = new TempDir();
        dir.Write("vi.conf", Instance("VI_2", 2));
        Directory.CreateDirectory(Path.Combine(dir.Path, "sub"));
        string script = dir.Write("run.sh", "");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string main = dir.Write("keepalived.conf", "! main\n" + include + "\n" + Instance("VI_1", 1));

        var (result, exitCode) = Load(main);
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal((main, 2), (diagnostic.File, diagnostic.Line));
        Assert.Equal(error ? ConfigSeverity.Error : ConfigSeverity.Warning, diagnostic.Severity);
        Assert.Equal(error ? ConfigTest.ExitNoConfig : ConfigTest.ExitOk, exitCode);
        // keepalived 2.2.7 on the same files: the same message, and exit 6 exactly when it is an error.
        var (keepalivedExit, output) = KeepalivedCli.ConfigTest(main);
        Assert.Contains(message, output, StringComparison.Ordinal);
        Assert.Equal(exitCode, keepalivedExit);
    }

    [Fact]
    public void AllConfigMakesEveryIncludeStrict()
    {
        using var dir = new TempDir();
        string main = dir.Write("keepalived.conf", "include none.conf\n" + Instance("VI_1", 1));
        Assert.Equal(ConfigTest.ExitOk, Load(main).ExitCode);
        var (result, exitCode) = Load(main, new ConfigLoadOptions { AllConfig = true });
        Assert.Equal(ConfigTest.ExitNoConfig, exitCode);
        Assert.Equal((ConfigSeverity.Error, 1, "Config files missing 'none.conf'."), result.Diagnostics.Select(d => (d.Severity, d.Line, d.Message)).Single());
    }

    [Fact]
    public void RelativePathsFollowTheIncludingFileAndGlobsAreSorted()
    {
        using var dir = new TempDir();
        string main = dir.Write("etc/keepalived.conf", "include conf.d/*.conf\n");
        dir.Write("etc/conf.d/20-b.conf", "include ../vi/b.inc\n");
        dir.Write("etc/conf.d/10-a.conf", "include ../vi/a.inc\n");
        dir.Write("etc/vi/a.inc", "$PWDSEEN=${_PWD}\n" + Instance("VI_A", 3));
        dir.Write("etc/vi/b.inc", Instance("VI_B", 4));
        var (result, exitCode) = Load(main);
        Assert.Equal(ConfigTest.ExitOk, exitCode);
        Assert.Equal(["VI_A", "VI_B"], result.Config!.VrrpInstances.Select(v => v.Name));
        Assert.Equal((Path.Combine(dir.Path, "etc/vi/b.inc"), 1), (result.Config.VrrpInstances[1].Location.File, result.Config.VrrpInstances[1].Location.Line));
    }

    [Fact]
    public void PwdIsTheDirectoryOfTheFileBeingRead()
    {
        using var dir = new TempDir();
        string main = dir.Write("keepalived.conf", "include sub/x.conf\nglobal_defs {\n router_id ${_PWD}\n}\n");
        dir.Write("sub/x.conf", "$INNER=${_PWD}\nvrrp_script chk {\n script \"/bin/true ${INNER}\"\n}\n");
        var config = Load(main).Result.Config!;
        Assert.Equal(dir.Path, config.GlobalDefs.RouterId);
        Assert.Equal($"/bin/true {Path.Combine(dir.Path, "sub")}", config.VrrpScripts.Single().Script);
    }

    [Fact]
    public void IncludesMayComeFromSubstitutionAndSequences()
    {
        using var dir = new TempDir();
        string main = dir.Write("keepalived.conf", "$D=vi\n~SEQ(n, 1, 2) include ${D}/${n}.conf\n");
        dir.Write("vi/1.conf", Instance("VI_1", 1));
        dir.Write("vi/2.conf", Instance("VI_2", 2));
        var (result, exitCode) = Load(main);
        Assert.Equal(ConfigTest.ExitOk, exitCode);
        Assert.Equal(["VI_1", "VI_2"], result.Config!.VrrpInstances.Select(v => v.Name).Order());
    }

    [Fact]
    public void GeneratedInstancesAreAcceptedByBoth()
    {
        using var dir = new TempDir();
        string main = dir.Write("keepalived.conf", $$"""
            $IF={{KeepalivedCli.HostInterface}}
            $VI=vrrp_instance VI_${ID} { \
              interface $IF \
              virtual_router_id ${ID} \
              priority ${PRIO} \
              virtual_ipaddress { \
                10.1.${ID}.1 \
              } \
            }
            ~LST({ID, PRIO}, {10, 100}, {11, 90}) $VI
            ~SEQ(ID, 20, 5, 30) ~LST(PRIO, 50) $VI
            """);
        var (result, exitCode) = Load(main);
        Assert.Equal(ConfigTest.ExitOk, exitCode);
        Assert.Equal(["VI_10:100", "VI_11:90", "VI_20:50", "VI_25:50", "VI_30:50"], result.Config!.VrrpInstances.Select(v => $"{v.Name}:{v.Priority}"));
        Assert.Equal(0, KeepalivedCli.ConfigTest(main).ExitCode);
    }

    [Fact]
    public void AnInvalidSequenceIsRejectedByBoth()
    {
        using var dir = new TempDir();
        string main = dir.Write("keepalived.conf", "~SEQ(i, 1, 0, 3) vrrp_instance VI_$i {\n" + Instance("VI_1", 1));
        var (result, exitCode) = Load(main);
        Assert.Contains(result.Errors, e => e.Line == 1 && e.Message == "Invalid ~SEQ values '~SEQ(i, 1, 0, 3) vrrp_instance VI_$i {'");
        Assert.Equal(ConfigTest.ExitConfigTestFailed, exitCode);
        var (keepalivedExit, output) = KeepalivedCli.ConfigTest(main);
        Assert.Contains("Invalid ~SEQ values", output, StringComparison.Ordinal);
        Assert.Equal(exitCode, keepalivedExit);
    }
}
