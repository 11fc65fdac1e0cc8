using System.Text;
using KeepSharp.Config;
using KeepSharp.Vrrp.Tracking;

namespace KeepSharp.Tests.Vrrp.Tracking;

/// <summary>keepalived's track_process matching (track_process.c check_process, check_params).</summary>
public class ProcessMatchTests
{
    private static ProcessMatch Match(string process, ProcessParamMatch match = ProcessParamMatch.None, bool full = false, params string[] args) =>
        new(new VrrpTrackProcess("tp", new ConfigLocation("t", 1)) { Process = process, Parameters = args, ParamMatch = match, FullCommand = full || match != ProcessParamMatch.None });

    private static byte[] Cmd(params string[] argv) => Encoding.UTF8.GetBytes(string.Concat(argv.Select(a => a + "\0")));

    [Fact]
    public void Without_full_command_the_comm_is_compared_exactly()
    {
        var m = Match("nginx");
        Assert.True(m.Matches("nginx", Cmd("/usr/sbin/nginx")));
        Assert.False(m.Matches("nginx-worker", Cmd("nginx")));
        Assert.False(m.Matches("ngin", Cmd("nginx")));
        Assert.False(m.Matches("nginx", Cmd("nginx"), zombie: true));
        Assert.False(Match("a-very-long-process-name").Matches("a-very-long-pro", []));
    }

    [Fact]
    public void With_full_command_argv0_is_compared_and_arguments_ignored()
    {
        var m = Match("/usr/sbin/nginx", full: true);
        Assert.True(m.Matches("nginx", Cmd("/usr/sbin/nginx", "-g", "x")));
        Assert.False(m.Matches("nginx", Cmd("nginx")));
        Assert.False(m.Matches("nginx", []));
    }

    [Fact]
    public void Exact_parameters_must_be_the_same()
    {
        var m = Match("d", ProcessParamMatch.Exact, args: ["-a", "b"]);
        Assert.True(m.Matches("d", Cmd("d", "-a", "b")));
        Assert.False(m.Matches("d", Cmd("d", "-a", "b", "c")));
        Assert.False(m.Matches("d", Cmd("d", "-a", "bc")));
        Assert.False(m.Matches("d", Cmd("d", "-a")));
        var none = Match("d", ProcessParamMatch.Exact);
        Assert.True(none.Matches("d", Cmd("d")));
        Assert.False(none.Matches("d", Cmd("d", "x")));
    }

    [Fact]
    public void Partial_parameters_are_whole_leading_arguments()
    {
        var m = Match("d", ProcessParamMatch.Partial, args: ["-a", "b"]);
        Assert.True(m.Matches("d", Cmd("d", "-a", "b")));
        Assert.True(m.Matches("d", Cmd("d", "-a", "b", "c")));
        Assert.False(m.Matches("d", Cmd("d", "-a", "bc")));
        Assert.True(Match("d", ProcessParamMatch.Partial).Matches("d", Cmd("d", "anything")));
    }

    [Fact]
    public void Initial_parameters_let_the_last_be_a_prefix()
    {
        var m = Match("d", ProcessParamMatch.Initial, args: ["-a", "b"]);
        Assert.True(m.Matches("d", Cmd("d", "-a", "b")));
        Assert.True(m.Matches("d", Cmd("d", "-a", "bc", "x")));
        Assert.False(m.Matches("d", Cmd("d", "-ab", "b")));
    }
}
