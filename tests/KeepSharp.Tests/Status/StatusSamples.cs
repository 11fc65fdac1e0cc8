using KeepSharp.Daemon.Runtime.Control;
using KeepSharp.Daemon.Runtime.Dumps;
using KeepSharp.Daemon.Runtime.Metrics;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Tracking;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Tests.Status;

/// <summary>A constructed snapshot: a backup VI_1 hearing its master and a stranger with the wrong password, a master VI_6, one script.</summary>
internal static class StatusSamples
{
    public static readonly DateTimeOffset At = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    public static StatusSnapshot Snapshot()
    {
        long[] drops = new long[Enum.GetValues<VrrpDropReason>().Length];
        drops[(int)VrrpDropReason.AuthenticationFailure] = 7;
        var stats = new StatisticsSnapshot(120, 3, 1, 1, 0, 0, 0, 0, 0, 0, drops);
        var backup = new InstanceSnapshot
        {
            Name = "VI_1",
            Version = 2,
            State = VrrpState.Backup,
            MasterRouter = "10.51.0.171",
            Interface = "eth0",
            SourceAddress = "10.51.0.172",
            VirtualRouterId = 51,
            BasePriority = 80,
            EffectivePriority = 70,
            AdvertInterval = TimeSpan.FromSeconds(1),
            Addresses = [new AddressSnapshot("10.51.0.161 dev eth0 scope global", false), new AddressSnapshot("10.51.0.99 dev eth0 scope global", true)],
            Trackers = [new TrackerSnapshot(TrackerKind.Script, "chk \"web\"", -10, false, TrackerStatus.Down), new TrackerSnapshot(TrackerKind.Interface, "eth1", 0, false, TrackerStatus.Up)],
            Statistics = stats,
        };
        var master = new InstanceSnapshot
        {
            Name = "VI_6",
            Version = 3,
            IPv6 = true,
            State = VrrpState.Master,
            Interface = "eth0",
            SourceAddress = "fe80::172",
            VirtualRouterId = 52,
            BasePriority = 100,
            EffectivePriority = 100,
            AdvertInterval = TimeSpan.FromMilliseconds(500),
            AddressesInstalled = true,
            Addresses = [new AddressSnapshot("fd00:51::161 dev eth0 scope global set", false)],
            Statistics = new StatisticsSnapshot(5, 900, 1, 0, 0, 0, 0, 0, 0, 0, new long[drops.Length]),
        };
        var dump = new DumpSnapshot(At, new GlobalsSnapshot("keep_172", "eth0", false, false, "224.0.0.18", "ff02::12", default, 5, default, 1, default, 5, 3, false, false, default, default, 2, false, false, false, false, 1),
            [backup, master],
            [new ScriptSnapshot("chk \"web\"", "/bin/true", TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), -10, false, 1, 1, 1, TrackerStatus.Down, [])],
            [new InterfaceSnapshot("eth0", 1000, drops)],
            new ProcessSnapshot(0, 0, 0, 0));
        var durations = new ScriptDurations();
        durations.Record(TimeSpan.FromMilliseconds(20), false);
        durations.Record(TimeSpan.FromSeconds(2), true);
        var extras = new Dictionary<string, InstanceExtras>
        {
            ["VI_1"] = new InstanceExtras(
                [new HeardRouterSnapshot(VrrpAddress.Parse("10.51.0.171"), 2, 100, 100, 118, VrrpDropReason.None, TimeSpan.FromSeconds(0.4)),
                 new HeardRouterSnapshot(VrrpAddress.Parse("10.51.0.9"), 2, 254, 100, 7, VrrpDropReason.AuthenticationFailure, TimeSpan.FromSeconds(12))],
                new TransitionRecord(VrrpState.Initialize, VrrpState.Backup, VrrpTransitionReason.Startup, At.AddMinutes(-5)), [0, 1, 0, 0]),
            ["VI_6"] = new InstanceExtras([], new TransitionRecord(VrrpState.Backup, VrrpState.Master, VrrpTransitionReason.MasterDownTimer, At.AddSeconds(-30)), [0, 1, 1, 0]),
        };
        return new StatusSnapshot("1.2.3", 4242, dump, extras, new Dictionary<string, ScriptDurationSnapshot> { ["chk \"web\""] = durations.Snapshot() },
            new ProcessStatus(9_437_184, 6, 18, 734_003, 1_048_576, 42_000_000, [16, 3, 1]));
    }
}
