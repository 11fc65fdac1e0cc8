using KeepSharp.Daemon.CommandLine;

namespace KeepSharp.Tests.Daemon;

public class CommandLineParserTests
{
    [Fact]
    public void Defaults_are_keepalived_defaults()
    {
        DaemonOptions o = CommandLineParser.Parse([], out string? error)!;
        Assert.Null(error);
        Assert.Equal("/etc/keepalived/keepalived.conf", o.ConfigFile);
        Assert.Equal("/run/keepalived.pid", o.PidFile);
        Assert.False(o.DontFork);
        Assert.False(o.LogConsole);
        Assert.False(o.ConfigTest);
    }

    [Theory]
    [InlineData("-n -l -D -f /x.conf -p /p.pid")]
    [InlineData("-nlD -f/x.conf -p/p.pid")]
    [InlineData("--dont-fork --log-console --log-detail --use-file=/x.conf --pid /p.pid")]
    [InlineData("-nlDf /x.conf --pid=/p.pid")]
    public void Short_long_and_bundled_forms_agree(string commandLine)
    {
        string[] args = commandLine.Split(' ');
        DaemonOptions o = CommandLineParser.Parse(args, out string? error)!;
        Assert.Null(error);
        Assert.True(o.DontFork);
        Assert.True(o.LogConsole);
        Assert.True(o.LogDetail);
        Assert.Equal("/x.conf", o.ConfigFile);
        Assert.Equal("/p.pid", o.PidFile);
    }

    [Fact]
    public void Config_test_takes_an_optional_attached_log_file()
    {
        Assert.Null(CommandLineParser.Parse(["-t"], out _)!.ConfigTestLogFile);
        Assert.True(CommandLineParser.Parse(["-t"], out _)!.ConfigTest);
        Assert.Equal("/tmp/t.log", CommandLineParser.Parse(["-t/tmp/t.log"], out _)!.ConfigTestLogFile);
        Assert.Equal("/tmp/t.log", CommandLineParser.Parse(["--config-test=/tmp/t.log"], out _)!.ConfigTestLogFile);
    }

    [Fact]
    public void Keepalived_only_options_are_accepted()
    {
        DaemonOptions o = CommandLineParser.Parse(["-P", "-r", "/run/vrrp.pid", "-c", "/run/checkers.pid", "-R", "-S", "3", "-G", "-V"], out string? error)!;
        Assert.Null(error);
        Assert.Equal("/run/vrrp.pid", o.VrrpPidFile);
        Assert.Equal(3, o.LogFacility);
        Assert.True(o.NoSyslog);
        Assert.True(o.DontReleaseVrrp);
    }

    [Theory]
    [InlineData("-x", "invalid option -- 'x'")]
    [InlineData("--frobnicate", "unrecognized option '--frobnicate'")]
    [InlineData("-f", "option requires an argument -- 'f'")]
    [InlineData("--use-file", "option '--use-file' requires an argument")]
    [InlineData("--dont-fork=yes", "option '--dont-fork' doesn't allow an argument")]
    [InlineData("-S 9", "invalid log facility '9' (expected 0-7)")]
    [InlineData("stray", "unexpected argument 'stray'")]
    public void Usage_errors_say_what_is_wrong(string commandLine, string expected)
    {
        string[] args = commandLine.Split(' ');
        Assert.Null(CommandLineParser.Parse(args, out string? error));
        Assert.Equal(expected, error);
    }
}
