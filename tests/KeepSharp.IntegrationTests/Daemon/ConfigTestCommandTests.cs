using KeepSharp.Lab;

namespace KeepSharp.IntegrationTests.Daemon;

/// <summary><c>keepsharp -t</c> on the native binary: keepalived's exit codes, positioned errors.</summary>
public sealed class ConfigTestCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kstest-").FullName;

    [Theory]
    [InlineData("keep_171.conf")]
    [InlineData("keep_172.conf")]
    [InlineData("keep_171_check_nginx.conf")]
    public void Accepts_the_seed_configs_verbatim(string file)
    {
        string path = Path.Combine(RepoRoot.Find(), "examples", "seed", file);
        var (code, _, stderr) = KeepSharpProcess.Run("-t", "-f", path);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.Contains("configuration OK", stderr);
    }

    [Fact]
    public void Rejects_a_broken_config_naming_file_and_line()
    {
        string path = Path.Combine(_dir, "broken.conf");
        File.WriteAllText(path, """
            vrrp_instance VI_1 {
                state MASTER
                interface eth0
                virtual_router_id 300
                priority 100
            }
            """);
        var (code, _, stderr) = KeepSharpProcess.Run("-t", "-f", path);
        Assert.Equal(5, code);
        Assert.Contains($"{path}:4:", stderr);
        Assert.Contains("virtual_router_id", stderr);
        Assert.DoesNotContain("configuration OK", stderr);
    }

    [Fact]
    public void Names_the_included_file_where_the_error_is()
    {
        File.WriteAllText(Path.Combine(_dir, "main.conf"), "include conf.d/*.conf\n");
        Directory.CreateDirectory(Path.Combine(_dir, "conf.d"));
        File.WriteAllText(Path.Combine(_dir, "conf.d", "vi1.conf"), "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n  priority 100\n  advert_int 1\n  virtual_ipaddress {\n    10.0.0.300\n  }\n}\n");
        var (code, _, stderr) = KeepSharpProcess.Run("-t", "-f", Path.Combine(_dir, "main.conf"));
        Assert.Equal(5, code);
        Assert.Contains("vi1.conf:7:", stderr);
    }

    [Fact]
    public void Writes_the_report_to_the_file_given_to_t()
    {
        string log = Path.Combine(_dir, "t.log");
        string path = Path.Combine(RepoRoot.Find(), "examples", "seed", "keep_172.conf");
        var (code, _, _) = KeepSharpProcess.Run($"-t{log}", "-f", path);
        Assert.Equal(0, code);
        Assert.Contains("configuration OK", File.ReadAllText(log));
    }

    [Fact]
    public void Usage_errors_exit_non_zero_and_version_and_help_exit_zero()
    {
        var (bad, _, badErr) = KeepSharpProcess.Run("--no-such-option");
        Assert.NotEqual(0, bad);
        Assert.Contains("unrecognized option '--no-such-option'", badErr);

        var (version, _, versionErr) = KeepSharpProcess.Run("-v");
        Assert.Equal(0, version);
        Assert.StartsWith("KeepSharp v", versionErr);

        var (help, helpOut, _) = KeepSharpProcess.Run("--help");
        Assert.Equal(0, help);
        Assert.Contains("--use-file=FILE", helpOut);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
