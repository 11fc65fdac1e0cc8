using KeepSharp.Config;
using KeepSharp.Daemon;
using KeepSharp.Daemon.CommandLine;
using KeepSharp.Linux;

namespace KeepSharp.Tests.Daemon;

/// <summary>keepalived's -d, -X, -m, -M, -e and --all, and what each does in KeepSharp.</summary>
public class CommandLineLanguageFlagsTests
{
    private static DaemonOptions Parse(string commandLine)
    {
        DaemonOptions? o = CommandLineParser.Parse(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries), out string? error);
        Assert.Null(error);
        return o!;
    }

    [Fact]
    public void NoneIsSetByDefault()
    {
        DaemonOptions o = Parse("");
        Assert.False(o.DumpConfig || o.ReleaseVips || o.CoreDump || o.AllConfig || o.RunAll);
        Assert.Null(o.CoreDumpPattern);
    }

    [Theory]
    [InlineData("-d -X -m -e --all")]
    [InlineData("-dXme --all")]
    [InlineData("--dump-conf --release-vips --core-dump --all-config --all")]
    public void ShortLongAndBundledFormsAgree(string commandLine)
    {
        DaemonOptions o = Parse(commandLine);
        Assert.True(o.DumpConfig && o.ReleaseVips && o.CoreDump && o.AllConfig && o.RunAll);
    }

    [Theory]
    [InlineData("-M", "core")]
    [InlineData("-M/tmp/core.%p", "/tmp/core.%p")]
    [InlineData("--core-dump-pattern", "core")]
    [InlineData("--core-dump-pattern=/tmp/c", "/tmp/c")]
    public void CoreDumpPatternImpliesCoreDump(string commandLine, string pattern)
    {
        DaemonOptions o = Parse(commandLine);
        Assert.True(o.CoreDump);
        Assert.Equal(pattern, o.CoreDumpPattern);
    }

    [Theory]
    [InlineData("--all=1", "option '--all' doesn't allow an argument")]
    [InlineData("--dump-conf=yes", "option '--dump-conf' doesn't allow an argument")]
    public void FlagsTakeNoArgument(string commandLine, string message)
    {
        Assert.Null(CommandLineParser.Parse([commandLine], out string? error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void AllConfigReachesTheLoader()
    {
        Assert.True(ConfigTestCommand.LoadOptions(Parse("-e")).AllConfig);
        Assert.False(ConfigTestCommand.LoadOptions(Parse("")).AllConfig);
    }

    [Fact]
    public void UsageListsEachFlag()
    {
        foreach (string flag in new[] { "-d, --dump-conf", "-X, --release-vips", "-m, --core-dump", "-M, --core-dump-pattern", "-e, --all-config", "--all " })
            Assert.Contains(flag, Usage.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void CoreDumpSetsTheCoreLimitToUnlimited()
    {
        // As keepalived's core_dump_init: soft and hard RLIMIT_CORE unlimited (tests run as root, so raising the hard
        // limit is allowed). This raises the test process's own limit, which only matters if it crashes.
        if (!OperatingSystem.IsLinux())
            return;
        Assert.Null(ProcessControl.EnableCoreDumps());
        Assert.Equal(ulong.MaxValue, ProcessControl.CoreDumpLimit());
    }

    [Fact]
    public void DumpShowsTheLoadedModelInKeepalivedsLayout()
    {
        var result = KeepalivedConfigLoader.Parse("""
            global_defs {
              router_id lb1
            }
            vrrp_script chk {
              script "/bin/true"
              interval 2
              weight -20
            }
            $VI=vrrp_instance VI_$N { \
              interface eth0 \
              virtual_router_id 5$N \
              priority 10$N \
              track_script { \
                chk \
              } \
              virtual_ipaddress { \
                10.0.0.${N}/24 \
              } \
            }
            ~SEQ(N, 1, 2) $VI
            """, "/etc/k/m.conf");
        Assert.Empty(result.Diagnostics);
        List<string> lines = [.. ConfigDump.Lines(result.Config!)];
        Assert.Equal("------< Global definitions >------", lines[0]);
        Assert.Contains(" Router ID = lb1", lines);
        int topology = lines.IndexOf("------< VRRP Topology >------");
        Assert.True(topology > 0);
        Assert.Equal(" VRRP Instance = VI_2", lines[lines.LastIndexOf(" VRRP Instance = VI_2")]);
        Assert.Contains("   Virtual Router ID = 52", lines);
        Assert.Contains("   Priority = 101", lines);
        Assert.Contains("   Advert interval = 1 sec", lines);
        Assert.Contains("     10.0.0.2/24 dev eth0", lines);
        Assert.Contains(" VRRP Script = chk", lines);
        Assert.Contains("   Command = /bin/true", lines);
        Assert.Contains("   Weight = -20", lines);
    }
}
