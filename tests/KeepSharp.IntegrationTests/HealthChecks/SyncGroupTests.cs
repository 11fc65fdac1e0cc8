using KeepSharp.IntegrationTests.Daemon;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.HealthChecks;

/// <summary>vrrp_sync_group with the real daemon: a fault of one member (or of the group's own tracked interface) moves the whole group.</summary>
public sealed class SyncGroupTests(ITestOutputHelper output)
{
    private static string Config(string routerId, string state, int priority, string extra2, string groupExtra = "") => $$"""
        global_defs {
           router_id {{routerId}}
        }
        vrrp_sync_group G1 {
            group {
                VI_1
                VI_2
            }
            {{groupExtra}}
        }
        vrrp_instance VI_1 {
            state {{state}}
            interface eth0
            virtual_router_id 51
            priority {{priority}}
            advert_int 1
            virtual_ipaddress {
                10.51.0.161
            }
        }
        vrrp_instance VI_2 {
            state {{state}}
            interface eth0
            virtual_router_id 52
            priority {{priority}}
            advert_int 1
            {{extra2}}
            virtual_ipaddress {
                10.51.0.162
            }
        }
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_fault_in_one_member_moves_both_instances_to_the_backup(bool trackedByGroup)
    {
        using var lab = new DaemonLab(output);
        LabTopology topology = lab.Topology;
        LabHost master = topology.H171, backup = topology.H172;
        // A veth pair inside the host (no dummy module here): trk0 is up and running while both ends are up.
        Sh.Run("ip", "-n", master.Netns, "link", "add", "trk0", "type", "veth", "peer", "name", "trk1");
        Sh.Run("ip", "-n", master.Netns, "link", "set", "trk1", "up");
        Sh.Run("ip", "-n", master.Netns, "link", "set", "trk0", "up");
        // On VI_2, or on the group (keepalived's vrrp_sync_group track_interface: every member tracks it).
        string track = "track_interface {\n        trk0\n    }";
        LabDaemon m = lab.StartKeepSharp(master, trackedByGroup
            ? Config("keep_171", "MASTER", 150, "", track)
            : Config("keep_171", "MASTER", 150, track));
        Assert.True(DaemonLab.WaitFor(() => Holds(lab, master, ".161") && Holds(lab, master, ".162"), TimeSpan.FromSeconds(6)), $"no master:\n{lab.Log(m)}");
        LabDaemon b = lab.StartKeepSharp(backup, Config("keep_172", "BACKUP", 100, ""));
        Thread.Sleep(2000);

        Sh.Run("ip", "-n", master.Netns, "link", "set", "trk0", "down");
        Assert.True(DaemonLab.WaitFor(() => Holds(lab, backup, ".161") && Holds(lab, backup, ".162")
            && !Holds(lab, master, ".161") && !Holds(lab, master, ".162"), TimeSpan.FromSeconds(6)),
            $"both instances should move to the backup host:\n{lab.Log(m)}\n---\n{lab.Log(b)}");
        string log = lab.Log(m);
        Assert.Contains("(VI_1) Entering FAULT STATE", log);
        Assert.Contains("(VI_2) Entering FAULT STATE", log);
        Assert.Contains("(G1) Sync group now in FAULT state", log);

        Sh.Run("ip", "-n", master.Netns, "link", "set", "trk0", "up");
        Assert.True(DaemonLab.WaitFor(() => Holds(lab, master, ".161") && Holds(lab, master, ".162"), TimeSpan.FromSeconds(8)),
            $"both instances should come back together:\n{lab.Log(m)}");
        Assert.Contains("(G1) Sync group now in MASTER state", lab.Log(m));
    }

    private static bool Holds(DaemonLab lab, LabHost host, string suffix) => lab.Addresses(host).Contains($"{LabTopology.Subnet}{suffix}/", StringComparison.Ordinal);
}
