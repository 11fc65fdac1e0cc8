using System.Text.RegularExpressions;
using KeepSharp.IntegrationTests.HealthChecks;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Daemon;

/// <summary>
/// <c>vrrp_mcast_group4 224.0.0.88</c> in the netns lab: a keepsharp master and a keepsharp or keepalived backup
/// elect over that group (the backup stays backup while the master lives, takes over when it stops), and tcpdump
/// in the client namespace sees every VRRP packet go to 224.0.0.88, none to 224.0.0.18.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class McastGroupTests(ITestOutputHelper output)
{
    private const string Group = "224.0.0.88";

    [Theory]
    [InlineData(DaemonKind.KeepSharp)]
    [InlineData(DaemonKind.Keepalived)]
    public void Election_runs_on_the_configured_group_and_adverts_go_there(DaemonKind backupKind)
    {
        Assert.True(File.Exists("/usr/bin/tcpdump"), "tcpdump is needed to see where adverts go");
        using var lab = new DaemonLab(output);
        LabTopology topology = lab.Topology;
        LabHost master = topology.H171, backup = topology.H172;
        string globals = $"vrrp_mcast_group4 {Group}";
        LabDaemon m = lab.StartKeepSharp(master, TrackingLab.FullConfig("keep_171", "MASTER", 150, globals: globals));
        Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(master), TimeSpan.FromSeconds(6)), $"no master:\n{lab.Log(m)}");
        LabDaemon b = TrackingLab.Start(lab, backup, backupKind, TrackingLab.FullConfig("keep_172", "BACKUP", 100, globals: globals));

        // Both daemons advertise for a while (the backup only if it does not hear the master on 224.0.0.88).
        ShResult capture = Sh.Run(["ip", "netns", "exec", topology.ClientNs, "timeout", "5", "tcpdump", "-i", LabTopology.Interface, "-n", "-l", "-p", "ip proto 112"],
            check: false, timeoutMs: 15000);
        string[] packets = [.. capture.StdOut.Split('\n').Where(l => l.Contains(" > ", StringComparison.Ordinal))];
        lab.Timeline.Log("test", $"tcpdump: {packets.Length} VRRP packets\n{string.Join("\n", packets.Take(6))}");
        Assert.True(packets.Length >= 3, $"too few VRRP packets seen:\n{capture.StdOut}\n{capture.StdErr}");
        Assert.All(packets, p => Assert.Matches(Destination(), p));
        Assert.DoesNotContain(packets, p => p.Contains("224.0.0.18", StringComparison.Ordinal));
        Assert.All(packets, p => Assert.Contains($"{master.Address} > {Group}", p));
        Assert.False(topology.HoldsVip(backup), $"the backup did not hear the master on {Group}:\n{lab.Log(b)}");

        Assert.True(m.StopGracefully(TimeSpan.FromSeconds(5)), "the master did not stop");
        Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(backup), TimeSpan.FromSeconds(6)),
            $"the backup should take over when the master leaves:\n{lab.Log(b)}");
    }

    [GeneratedRegex(@"> 224\.0\.0\.88: VRRPv2")]
    private static partial Regex Destination();
}
