using KeepSharp.Daemon.Runtime.Loop;

namespace KeepSharp.Tests.Daemon.Loop;

public sealed class LoopTimersTests
{
    [Fact]
    public void Due_timers_run_in_due_order_then_scheduling_order_and_later_ones_wait()
    {
        var timers = new LoopTimers();
        var ran = new List<string>();
        timers.Schedule(30, () => ran.Add("c"));
        timers.Schedule(10, () => ran.Add("a"));
        timers.Schedule(20, () => ran.Add("b1"));
        timers.Schedule(20, () => ran.Add("b2"));
        timers.Schedule(40, () => ran.Add("d"));

        Assert.Equal(10, timers.NextDue);
        timers.RunDue(30);

        Assert.Equal(["a", "b1", "b2", "c"], ran);
        Assert.Equal(40, timers.NextDue);
        Assert.Equal(1, timers.Count);
    }

    [Fact]
    public void A_cancelled_timer_never_runs_and_does_not_hold_the_next_due_time()
    {
        var timers = new LoopTimers();
        bool ran = false;
        LoopTimer early = timers.Schedule(5, () => ran = true);
        timers.Schedule(50, () => { });

        early.Dispose();

        Assert.Equal(50, timers.NextDue);
        timers.RunDue(100);
        Assert.False(ran, "a cancelled timer must not run");
        Assert.Equal(0, timers.Count);
    }

    [Fact]
    public void Cancelling_many_timers_compacts_the_heap()
    {
        var timers = new LoopTimers();
        var all = new List<LoopTimer>();
        for (int i = 0; i < 1000; i++)
            all.Add(timers.Schedule(1_000_000 + i, () => { }));
        foreach (LoopTimer t in all.Take(999))
            t.Dispose();

        Assert.Equal(1, timers.Count);
        Assert.Equal(1_000_999, timers.NextDue);
    }

    [Fact]
    public void A_timer_scheduled_for_now_by_a_callback_waits_for_the_next_pass()
    {
        var timers = new LoopTimers();
        int runs = 0;
        void Again()
        {
            runs++;
            timers.Schedule(0, Again);
        }
        timers.Schedule(0, Again);

        timers.RunDue(10);
        Assert.Equal(1, runs);
        timers.RunDue(10);
        Assert.Equal(2, runs);
    }

    [Fact]
    public void Disposing_after_the_run_is_harmless()
    {
        var timers = new LoopTimers();
        LoopTimer t = timers.Schedule(1, () => { });
        timers.Schedule(2, () => { });
        timers.RunDue(1);
        t.Dispose();
        Assert.Equal(1, timers.Count);
        Assert.Equal(2, timers.NextDue);
    }
}
