using KeepSharp.IntegrationTests.Daemon;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.HealthChecks;

/// <summary>
/// Notify scripts and the notify FIFO with the real daemon in the netns lab, side by side with keepalived 2.2.7
/// going through the same transitions on the other host (its own VRID and VIP): the state scripts, the generic
/// <c>notify</c> arguments and the FIFO lines must be the same, in the same order; notify script output reaches
/// the log; notifications keep their order when scripts are slower than the transitions; sync group notifies.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class NotifyTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    [Fact]
    public void Instance_notifies_and_fifo_lines_match_keepalived_through_master_fault_master_stop()
    {
        using var lab = new DaemonLab(output);
        LabTopology topology = lab.Topology;
        Rig ks = Rig.ForInstance(lab, topology.H171, DaemonKind.KeepSharp, 51, topology.Vip);
        Rig ka = Rig.ForInstance(lab, topology.H172, DaemonKind.Keepalived, 52, OtherVip(topology));
        Rig[] rigs = [ks, ka];

        foreach (Rig r in rigs)
            Assert.True(DaemonLab.WaitFor(() => r.HoldsVip(lab), Step), $"{r.Daemon.KindName} never became master:\n{lab.Log(r.Daemon)}");
        foreach (Rig r in rigs)
            File.WriteAllText(r.Flag, "");
        foreach (Rig r in rigs)
            Assert.True(DaemonLab.WaitFor(() => r.Generic.Any(l => l.Contains("FAULT", StringComparison.Ordinal)), Step), $"{r.Daemon.KindName}: no FAULT notify:\n{lab.Log(r.Daemon)}");
        foreach (Rig r in rigs)
            File.Delete(r.Flag);
        foreach (Rig r in rigs)
            Assert.True(DaemonLab.WaitFor(() => r.Generic.LastOrDefault()?.Contains("MASTER", StringComparison.Ordinal) == true && r.HoldsVip(lab), Step),
                $"{r.Daemon.KindName}: not master again:\n{string.Join("\n", r.Generic)}\n{lab.Log(r.Daemon)}");
        foreach (Rig r in rigs)
            Assert.True(r.Daemon.StopGracefully(Step), $"{r.Daemon.KindName} did not stop");
        foreach (Rig r in rigs)
            Assert.True(DaemonLab.WaitFor(() => r.Fifo.Ended && r.Generic.Any(l => l.Contains("STOP", StringComparison.Ordinal)), Step),
                $"{r.Daemon.KindName}: no STOP notify or the FIFO was not closed:\n{string.Join("\n", r.Generic)}\n{lab.Log(r.Daemon)}");

        foreach (Rig r in rigs)
        {
            lab.Timeline.Log("test", $"{r.Daemon.KindName} notify: {string.Join(" | ", r.Generic)}");
            lab.Timeline.Log("test", $"{r.Daemon.KindName} states: {string.Join(" | ", r.States)}");
            lab.Timeline.Log("test", $"{r.Daemon.KindName} fifo: {string.Join(" | ", r.Fifo.Lines)}");
        }
        Assert.Contains("INSTANCE VI_1 MASTER 150", ks.Generic);
        Assert.Contains("INSTANCE VI_1 FAULT 150", ks.Generic);
        Assert.Contains("INSTANCE \"VI_1\" MASTER 150", ks.Fifo.Lines);
        Assert.Equal(ka.Generic, ks.Generic);
        Assert.Equal(ka.States, ks.States);
        Assert.Equal(ka.Fifo.Lines, ks.Fifo.Lines);
    }

    [Fact]
    public void Notify_output_is_logged_with_the_script_name_and_order_holds_when_scripts_are_slower_than_transitions()
    {
        using var lab = new DaemonLab(output);
        LabHost host = lab.Topology.H171;
        string generic = Path.Combine(host.RunDir, "notify.out");
        string slow = TrackingLab.Script(host, "slow.sh", $"echo \"begin $3\"\necho \"second line $3\" >&2\nsleep 1.5\necho \"$*\" >> {generic}");
        string check = TrackingLab.FlagScript(host);
        LabDaemon d = lab.StartKeepSharp(host, TrackingLab.FullConfig("keep_171", "MASTER", 150,
            prefix: TrackingLab.VrrpScript("chk", check, "interval 1\n    weight 0\n    fall 1\n    rise 1"),
            extra: $"track_script {{\n        chk\n    }}\n    notify \"{slow}\""));
        Assert.True(DaemonLab.WaitFor(() => lab.Topology.HoldsVip(host), Step), lab.Log(d));

        // Flap faster than the notify script runs: each transition's notify waits for the previous one.
        for (int i = 0; i < 3; i++)
        {
            File.WriteAllText(TrackingLab.FailFlag(host), "");
            Assert.True(DaemonLab.WaitFor(() => Entered(lab.Log(d)).LastOrDefault() == "FAULT", Step), lab.Log(d));
            File.Delete(TrackingLab.FailFlag(host));
            Assert.True(DaemonLab.WaitFor(() => Entered(lab.Log(d)).LastOrDefault() != "FAULT", Step), lab.Log(d));
        }
        Assert.True(DaemonLab.WaitFor(() => lab.Topology.HoldsVip(host), Step), lab.Log(d));
        // The FAULT at startup while the weight-0 script has not reported yet is not notified (keepalived's
        // vrrp_init_state: no notify for FAULT without num_script_if_fault); every later transition is.
        string[] entered = [.. Entered(lab.Log(d))];
        Assert.Equal("FAULT", entered[0]);
        entered = entered[1..];
        Assert.True(DaemonLab.WaitFor(() => TrackingLab.Lines(generic).Length >= entered.Length, TimeSpan.FromSeconds(entered.Length * 2 + 5)),
            $"notifies: {string.Join(" | ", TrackingLab.Lines(generic))}; transitions: {string.Join(" ", entered)}");

        string[] notified = [.. TrackingLab.Lines(generic).Select(l => l.Split(' ')[2])];
        lab.Timeline.Log("test", $"transitions {string.Join(" ", entered)}; notifies {string.Join(" ", notified)}");
        Assert.Equal(entered, notified);
        string log = lab.Log(d);
        Assert.Contains("notify: begin FAULT", log);
        Assert.Contains("notify: second line FAULT", log);
        Assert.Contains("notify: begin MASTER", log);
    }

    [Fact]
    public void Sync_group_notifies_say_GROUP_and_match_keepalived()
    {
        using var lab = new DaemonLab(output);
        LabTopology topology = lab.Topology;
        Rig ks = Rig.ForGroup(lab, topology.H171, DaemonKind.KeepSharp, 51, topology.Vip);
        Rig ka = Rig.ForGroup(lab, topology.H172, DaemonKind.Keepalived, 53, OtherVip(topology));
        Rig[] rigs = [ks, ka];

        foreach (Rig r in rigs)
            Assert.True(DaemonLab.WaitFor(() => r.HoldsVip(lab) && r.Generic.Any(l => l == "GROUP G MASTER 0"), Step),
                $"{r.Daemon.KindName}: the group never notified MASTER:\n{string.Join("\n", r.Generic)}\n{lab.Log(r.Daemon)}");
        foreach (Rig r in rigs)
            Assert.True(r.Daemon.StopGracefully(Step), $"{r.Daemon.KindName} did not stop");
        foreach (Rig r in rigs)
            Assert.True(DaemonLab.WaitFor(() => r.Fifo.Ended && r.Generic.Contains("GROUP G STOP 0"), Step),
                $"{r.Daemon.KindName}: no group STOP:\n{string.Join("\n", r.Generic)}\n{lab.Log(r.Daemon)}");

        foreach (Rig r in rigs)
        {
            lab.Timeline.Log("test", $"{r.Daemon.KindName} group notify: {string.Join(" | ", r.Generic)}");
            lab.Timeline.Log("test", $"{r.Daemon.KindName} group states: {string.Join(" | ", r.States)}");
            lab.Timeline.Log("test", $"{r.Daemon.KindName} fifo: {string.Join(" | ", r.Fifo.Lines)}");
        }
        Assert.Contains("GROUP \"G\" MASTER 0", ks.Fifo.Lines);
        Assert.Equal(ka.Generic, ks.Generic);
        Assert.Equal(ka.States, ks.States);
        // Same lines; at startup keepalived writes the group's BACKUP line before its members' (vrrp_init_state
        // notifies groups first), keepsharp after the first member's: the interleaving differs, not the lines.
        Assert.Equal(Sorted(ka.Fifo.Lines), Sorted(ks.Fifo.Lines));
    }

    /// <summary>The states the log says VI_1 entered, in order.</summary>
    private static IEnumerable<string> Entered(string log) =>
        log.Split('\n').Where(l => l.Contains("(VI_1) Entering ", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("(VI_1) Entering ", StringComparison.Ordinal) + 16)..].Split(' ')[0]);

    private static string OtherVip(LabTopology topology) => topology.Vip[..topology.Vip.LastIndexOf('.')] + ".162";

    private static string[] Sorted(string[] lines) => [.. lines.Order(StringComparer.Ordinal)];

    /// <summary>One daemon with recording notify scripts and a FIFO read back.</summary>
    private sealed record Rig(LabDaemon Daemon, string GenericPath, string StatesPath, FifoReader Fifo, string Flag, string Vip)
    {
        public string[] Generic => TrackingLab.Lines(GenericPath);

        public string[] States => TrackingLab.Lines(StatesPath);

        public bool HoldsVip(DaemonLab lab) => lab.Addresses(Daemon.Host).Contains($" {Vip}/", StringComparison.Ordinal);

        public static Rig ForInstance(DaemonLab lab, LabHost host, DaemonKind kind, int vrid, string vip)
        {
            (string generic, string states, string gen, string rec) = Recorders(host);
            var fifo = new FifoReader(Path.Combine(host.RunDir, "notify.fifo"));
            string check = TrackingLab.FlagScript(host);
            string config = TrackingLab.FullConfig(host.Name, "MASTER", 150, globals: $"notify_fifo {fifo.Path}",
                prefix: TrackingLab.VrrpScript("chk", check, "interval 1\n    weight 0\n    fall 1\n    rise 1"),
                extra: $"track_script {{\n        chk\n    }}\n    notify \"{gen}\"\n    notify_master \"{rec} master\"\n" +
                       $"    notify_backup \"{rec} backup\"\n    notify_fault \"{rec} fault\"\n    notify_stop \"{rec} stop\"",
                vrid: vrid, vip: vip);
            LabDaemon daemon = TrackingLab.Start(lab, host, kind, config);
            return new Rig(daemon, generic, states, fifo, TrackingLab.FailFlag(host), vip);
        }

        public static Rig ForGroup(DaemonLab lab, LabHost host, DaemonKind kind, int vrid, string vip)
        {
            (string generic, string states, string gen, string rec) = Recorders(host);
            var fifo = new FifoReader(Path.Combine(host.RunDir, "notify.fifo"));
            string second = $$"""
                vrrp_instance VI_2 {
                    state MASTER
                    interface eth0
                    virtual_router_id {{vrid + 1}}
                    priority 150
                    advert_int 1
                    virtual_ipaddress {
                        {{vip[..vip.LastIndexOf('.')]}}.{{vrid + 150}}
                    }
                }
                vrrp_sync_group G {
                    group {
                        VI_1
                        VI_2
                    }
                    notify "{{gen}}"
                    notify_master "{{rec}} master"
                    notify_backup "{{rec}} backup"
                    notify_fault "{{rec}} fault"
                    notify_stop "{{rec}} stop"
                }
                """;
            string config = TrackingLab.FullConfig(host.Name, "MASTER", 150, globals: $"notify_fifo {fifo.Path}", vrid: vrid, vip: vip) + "\n" + second;
            LabDaemon daemon = TrackingLab.Start(lab, host, kind, config);
            return new Rig(daemon, generic, states, fifo, TrackingLab.FailFlag(host), vip);
        }

        private static (string Generic, string States, string Gen, string Rec) Recorders(LabHost host)
        {
            string generic = Path.Combine(host.RunDir, "notify.out");
            string states = Path.Combine(host.RunDir, "states.out");
            string gen = TrackingLab.Script(host, "gen.sh", $"echo \"$*\" >> {generic}");
            string rec = TrackingLab.Script(host, "rec.sh", $"echo \"$*\" >> {states}");
            return (generic, states, gen, rec);
        }
    }
}
