using System.Net;
using System.Text.RegularExpressions;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Daemon;

/// <summary>
/// The master's interface is deleted and created again under the same name with a new index (a NIC
/// re-plugged, a veth recreated): the instance follows it by name, leaves FAULT, wins the election again,
/// installs its address on the new interface and advertises on it.
/// </summary>
public sealed partial class RecreatedInterfaceTests(ITestOutputHelper output)
{
    [Fact]
    public void Master_follows_its_interface_when_it_is_deleted_and_created_again()
    {
        using var lab = new DaemonLab(output);
        LabTopology topology = lab.Topology;
        LabHost master = topology.H171, backup = topology.H172;
        using var adverts = new AdvertWatcher(topology.ClientNs, topology.ClientAddress, lab.Timeline, a => a.ToString());
        adverts.Start();
        LabDaemon m = lab.StartKeepSharp(master, DaemonLab.Config("keep_171", "MASTER", 150));
        Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(master), TimeSpan.FromSeconds(6)), $"no master elected:\n{lab.Log(m)}");
        LabDaemon b = lab.StartKeepSharp(backup, DaemonLab.Config("keep_172", "BACKUP", 100));
        Thread.Sleep(1500);
        Assert.False(topology.HoldsVip(backup), "the backup took the VIP from a live master");
        int oldIndex = InterfaceIndex(master);

        // Delete the veth pair (the host's eth0 goes with its bridge-side peer).
        Sh.Run("ip", "-n", topology.LanNs, "link", "del", master.BridgePort);
        Assert.True(DaemonLab.WaitFor(() => lab.Log(m).Contains("(VI_1) Entering FAULT STATE"), TimeSpan.FromSeconds(3)),
            $"the master should enter FAULT when its interface disappears:\n{lab.Log(m)}");
        Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(backup), TimeSpan.FromSeconds(6)),
            $"the backup should take over while the master's interface is gone:\n{lab.Log(b)}");

        // Create it again: same names, same address, a new index.
        double recreated = lab.Timeline.NowMs;
        Sh.Run("ip", "-n", topology.LanNs, "link", "add", master.BridgePort, "type", "veth", "peer", "name", LabTopology.Interface, "netns", master.Netns);
        Sh.Run("ip", "-n", topology.LanNs, "link", "set", master.BridgePort, "master", "br0", "up");
        Sh.Run("ip", "-n", master.Netns, "addr", "add", $"{master.Address}/24", "dev", LabTopology.Interface);
        Sh.Run("ip", "-n", master.Netns, "link", "set", LabTopology.Interface, "up");
        int newIndex = InterfaceIndex(master);
        Assert.NotEqual(oldIndex, newIndex);
        lab.Timeline.Log("test", $"{master.Name}'s eth0 created again: index {oldIndex} -> {newIndex}");

        Assert.True(DaemonLab.WaitFor(() => topology.HoldsVip(master) && !topology.HoldsVip(backup), TimeSpan.FromSeconds(8)),
            $"the master (priority 150) should leave FAULT, win the election and hold the VIP on the new eth0:\n{lab.Log(m)}");
        string log = lab.Log(m);
        Assert.Contains($"Interface eth0 was created again (index {oldIndex} -> {newIndex}); VRRP socket reopened", log);
        int fault = log.LastIndexOf("(VI_1) Entering FAULT STATE", StringComparison.Ordinal);
        int backupAgain = log.IndexOf("(VI_1) Entering BACKUP STATE", fault, StringComparison.Ordinal);
        int masterAgain = log.IndexOf("(VI_1) Entering MASTER STATE", fault, StringComparison.Ordinal);
        Assert.True(backupAgain > fault && masterAgain > backupAgain,
            $"after FAULT the instance should rejoin as BACKUP, then win as MASTER:\n{log}");
        Assert.DoesNotContain("cannot send advertisement", log);

        // Adverts flow again from the master's new interface, steadily; the backup hears them and stays backup.
        IPAddress source = IPAddress.Parse(master.Address);
        Assert.NotNull(adverts.WaitForAdvert(source, recreated, TimeSpan.FromSeconds(5)));
        Thread.Sleep(2500);
        int after = adverts.Snapshot().Count(a => a.Source.Equals(source) && a.Priority == 150 && a.AtMs > recreated);
        Assert.True(after >= 3, $"only {after} adverts from the master since its interface came back");
        Assert.True(topology.HoldsVip(master), "the master lost the VIP again");
        Assert.False(topology.HoldsVip(backup), "the backup holds the VIP beside the master");
        Assert.Matches(@"\(VI_1\) Entering BACKUP STATE\s*$", lab.Log(b).TrimEnd().Split('\n').Last(l => l.Contains("Entering", StringComparison.Ordinal)));
    }

    private static int InterfaceIndex(LabHost host)
    {
        string line = Sh.Run("ip", "-n", host.Netns, "-o", "link", "show", "dev", LabTopology.Interface).StdOut;
        return int.Parse(IndexPattern().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^(\d+):")]
    private static partial Regex IndexPattern();
}
