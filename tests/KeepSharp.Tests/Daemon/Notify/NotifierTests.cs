using KeepSharp.Config;
using KeepSharp.Daemon.Logging;
using KeepSharp.Daemon.Runtime.Notify;
using KeepSharp.Vrrp.Notification;
using KeepSharp.Vrrp.StateMachine;

namespace KeepSharp.Tests.Daemon.Notify;

/// <summary>keepalived's vrrp_notify.c behaviour through the <see cref="Notifier"/> on a fake loop.</summary>
public sealed class NotifierTests
{
    private static KeepalivedConfig Config(string instanceLines, string extra = "", string globals = "", string name = "VI_1")
    {
        string text = $$"""
            global_defs {
                router_id t
            {{globals}}
            }
            vrrp_instance {{name}} {
                state BACKUP
                interface lo
                virtual_router_id 51
                priority 100
                virtual_ipaddress {
                    192.168.200.1/24
                }
            {{instanceLines}}
            }
            {{extra}}
            """;
        var result = KeepalivedConfigLoader.Parse(text, "t.conf");
        Assert.True(result.Config is not null, string.Join("\n", result.Diagnostics));
        return result.Config!;
    }

    private static VrrpNotification Instance(string name, VrrpNotificationEvent e, byte prio) => new(VrrpNotificationTarget.Instance, name, e, prio);

    private static (Notifier, FakeLoop) Start(KeepalivedConfig config)
    {
        var loop = new FakeLoop();
        var log = new Log([], detail: false);
        return (Notifier.Create(config, loop, log), loop);
    }

    [Fact]
    public void Generic_notify_gets_keepalived_s_four_arguments_and_state_scripts_none()
    {
        var (notifier, loop) = Start(Config("""
                notify "/bin/echo arg1"
                notify_master /bin/true
            """));
        notifier.InstanceStateChanged(Instance("VI_1", VrrpNotificationEvent.Master, 100), null);

        FakeRun own = Assert.Single(loop.Runs);
        Assert.EndsWith("/true", own.Argv[0], StringComparison.Ordinal);
        Assert.Single(own.Argv); // notify_master: no extra argument
        Assert.Equal("notify_master", own.Request.Name);
        own.Exit();

        FakeRun generic = loop.Runs[1];
        Assert.EndsWith("/echo", generic.Argv[0], StringComparison.Ordinal);
        Assert.Equal(["arg1", "INSTANCE", "VI_1", "MASTER", "100"], generic.Argv.Skip(1));
        Assert.Equal(Notifier.DefaultTimeout, generic.Request.Timeout);
    }

    [Fact]
    public void Runs_of_one_instance_wait_for_each_other_in_transition_order_while_instances_run_concurrently()
    {
        var config = Config("    notify /bin/echo", extra: """
            vrrp_instance VI_2 {
                state BACKUP
                interface lo
                virtual_router_id 52
                priority 50
                virtual_ipaddress {
                    192.168.201.1/24
                }
                notify /bin/echo
            }
            """);
        var (notifier, loop) = Start(config);
        notifier.InstanceStateChanged(Instance("VI_1", VrrpNotificationEvent.Backup, 100), null);
        notifier.InstanceStateChanged(Instance("VI_1", VrrpNotificationEvent.Master, 100), null);
        notifier.InstanceStateChanged(Instance("VI_1", VrrpNotificationEvent.Fault, 100), null);
        notifier.InstanceStateChanged(Instance("VI_2", VrrpNotificationEvent.Backup, 50), null);

        Assert.Equal(2, loop.Running.Count); // VI_1's first and VI_2's, side by side
        Assert.Equal(["VI_1:BACKUP", "VI_2:BACKUP"], loop.Running.Select(r => r.Argv[^3] + ":" + r.Argv[^2]));

        loop.Runs[0].Exit();
        Assert.Equal("MASTER", Assert.Single(loop.Running, r => r.Argv[^3] == "VI_1").Argv[^2]);
        loop.Runs.Last().Exit(timedOut: true); // a timed-out run lets the next one go too
        Assert.Equal("FAULT", Assert.Single(loop.Running, r => r.Argv[^3] == "VI_1").Argv[^2]);
    }

    [Fact]
    public void A_flapping_instance_keeps_a_bounded_queue_and_the_newest_state_is_delivered()
    {
        var loop = new FakeLoop();
        var notifier = Notifier.Create(Config("    notify /bin/echo"), loop, new Log([], false), capacity: 4);
        for (int i = 0; i < 100; i++)
        {
            notifier.InstanceStateChanged(Instance("VI_1", i % 2 == 0 ? VrrpNotificationEvent.Master : VrrpNotificationEvent.Backup, 100), null);
        }

        int guard = 0;
        while (loop.Running.Count > 0 && guard++ < 100)
        {
            loop.Running[0].Exit();
        }

        Assert.Equal(5, loop.Runs.Count); // the first, then the 4 newest
        Assert.Equal("BACKUP", loop.Runs[^1].Argv[^2]);
        Assert.True(notifier.IsIdle);
    }

    [Fact]
    public void Stop_scripts_of_an_instance_get_keepalived_s_one_second()
    {
        var (notifier, loop) = Start(Config("    notify_stop /bin/true\n    notify /bin/echo"));
        notifier.InstanceStateChanged(Instance("VI_1", VrrpNotificationEvent.Stop, 100), null);
        Assert.Equal(Notifier.StopTimeout, loop.Runs[0].Request.Timeout);
        loop.Runs[0].Exit();
        Assert.Equal(Notifier.StopTimeout, loop.Runs[1].Request.Timeout);
        Assert.Equal("STOP", loop.Runs[1].Argv[^2]);
    }

    [Fact]
    public void Group_notifies_say_GROUP_with_priority_zero()
    {
        var (notifier, loop) = Start(Config("", extra: """
            vrrp_sync_group G1 {
                group {
                    VI_1
                }
                notify "/bin/echo g"
                notify_backup /bin/true
            }
            """));
        notifier.GroupStateChanged(new VrrpNotification(VrrpNotificationTarget.Group, "G1", VrrpNotificationEvent.Backup, 0));
        Assert.Equal("notify_backup", loop.Runs[0].Request.Name);
        loop.Runs[0].Exit();
        Assert.Equal(["g", "GROUP", "G1", "BACKUP", "0"], loop.Runs[1].Argv.Skip(1));
    }

    [Fact]
    public void An_instance_already_in_its_groups_state_does_not_notify_again()
    {
        var (notifier, loop) = Start(Config("    notify /bin/echo"));
        notifier.InstanceStateChanged(Instance("VI_1", VrrpNotificationEvent.Backup, 100), VrrpState.Backup);
        Assert.Single(loop.Runs); // the first notifies are always sent
        notifier.InstanceStateChanged(Instance("VI_1", VrrpNotificationEvent.Backup, 100), VrrpState.Backup);
        Assert.Single(loop.Runs);
        notifier.InstanceStateChanged(Instance("VI_1", VrrpNotificationEvent.Master, 100), VrrpState.Backup);
        loop.Runs[0].Exit();
        Assert.Equal("MASTER", loop.Runs[1].Argv[^2]);
    }

    [Fact]
    public void Rx_lower_pri_runs_its_script_without_arguments()
    {
        var (notifier, loop) = Start(Config("    notify_master_rx_lower_pri \"/bin/echo lower\""));
        notifier.MasterReceivedLowerPriority(Instance("VI_1", VrrpNotificationEvent.MasterReceivedLowerPriority, 100));
        FakeRun run = Assert.Single(loop.Runs);
        Assert.Equal(["lower"], run.Argv.Skip(1));
        Assert.Equal("notify_master_rx_lower_pri", run.Request.Name);
    }

    [Fact]
    public void A_missing_script_is_disabled_at_load_and_never_run()
    {
        var (notifier, loop) = Start(Config("    notify /nonexistent/keepsharp-notify"));
        notifier.InstanceStateChanged(Instance("VI_1", VrrpNotificationEvent.Master, 100), null);
        Assert.Empty(loop.Runs);
        Assert.True(notifier.IsIdle);
    }

    [Fact]
    public void Shutdown_waits_for_running_notifies_then_completes()
    {
        var (notifier, loop) = Start(Config("    notify /bin/echo"));
        notifier.InstanceStateChanged(Instance("VI_1", VrrpNotificationEvent.Stop, 100), null);
        bool done = false;
        notifier.Shutdown(TimeSpan.FromSeconds(5), () => done = true);
        Assert.False(done, "a STOP notify is still running");
        loop.Runs[0].Exit();
        Assert.True(done);
    }

    [Fact]
    public void Shutdown_past_its_deadline_ends_the_running_script_and_drops_the_rest()
    {
        var (notifier, loop) = Start(Config("    notify /bin/echo"));
        notifier.InstanceStateChanged(Instance("VI_1", VrrpNotificationEvent.Master, 100), null);
        notifier.InstanceStateChanged(Instance("VI_1", VrrpNotificationEvent.Stop, 100), null);
        bool done = false;
        notifier.Shutdown(TimeSpan.FromSeconds(5), () => done = true);
        Assert.False(done);
        loop.Timers.Single().Callback(); // the deadline
        Assert.True(loop.Runs[0].Terminated);
        Assert.True(done);
        Assert.Single(loop.Runs);
    }

    [Fact]
    public void Rx_lower_pri_is_notified_at_most_once_per_interval_under_a_flood()
    {
        var (notifier, _) = Start(Config("    notify_master_rx_lower_pri /bin/true"));
        long second = TimeProvider.System.TimestampFrequency;
        long t0 = 1_000 * second;

        Assert.True(notifier.LowerPriorityNotifyDue("VI_1", t0));
        int due = 0;
        for (int i = 1; i <= 10_000; i++)
        {
            if (notifier.LowerPriorityNotifyDue("VI_1", t0 + i * second / 20_000)) // 10 000 adverts in half a second
                due++;
        }

        Assert.Equal(0, due);
        Assert.True(notifier.LowerPriorityNotifyDue("VI_1", t0 + second));
        Assert.False(notifier.LowerPriorityNotifyDue("VI_2", t0 + second)); // not an instance
    }

    [Fact]
    public void Rx_lower_pri_with_nothing_to_hear_it_allocates_nothing()
    {
        var (notifier, loop) = Start(Config("    notify_master /bin/true", name: "r"));
        var harness = new KeepSharp.Tests.Vrrp.RouterHarness(); // its router is named "r"
        notifier.OnMasterReceivedLowerPriority(harness.Router); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
            notifier.OnMasterReceivedLowerPriority(harness.Router);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Empty(loop.Runs);
    }

    [Fact]
    public void Rx_lower_pri_flood_through_the_router_path_starts_one_script()
    {
        var (notifier, loop) = Start(Config("    notify_master_rx_lower_pri /bin/true", name: "r"));
        var harness = new KeepSharp.Tests.Vrrp.RouterHarness(); // its router is named "r"
        for (int i = 0; i < 1_000; i++)
            notifier.OnMasterReceivedLowerPriority(harness.Router);
        FakeRun run = Assert.Single(loop.Runs);
        Assert.Equal("notify_master_rx_lower_pri", run.Request.Name);
    }
}
