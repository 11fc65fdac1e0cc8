using KeepSharp.Vrrp.Tracking;

namespace KeepSharp.Tests.Vrrp.Tracking;

/// <summary>keepalived's <c>vscript->result</c> rules (vrrp_scheduler.c), result by result.</summary>
public sealed class ScriptResultTrackerTests
{
    [Fact]
    public void Without_init_fail_the_first_result_decides_whatever_rise_and_fall_are()
    {
        var up = new ScriptResultTracker(rise: 3, fall: 3);
        Assert.Equal(TrackerStatus.Unknown, up.Status);
        Assert.True(up.Report(true), "one success is enough at start (result starts at rise - 1)");
        Assert.Equal(TrackerStatus.Up, up.Status);

        var down = new ScriptResultTracker(rise: 3, fall: 3);
        Assert.True(down.Report(false), "the first failure fails a script still in its init state");
        Assert.Equal(TrackerStatus.Down, down.Status);
    }

    [Fact]
    public void A_good_script_fails_after_fall_failures_in_a_row_and_one_success_refills_it()
    {
        var t = new ScriptResultTracker(rise: 2, fall: 3);
        t.Report(true);
        Assert.False(t.Report(false), "failure 1 of 3");
        Assert.False(t.Report(false), "failure 2 of 3");
        Assert.False(t.Report(true), "a success in between resets the fall count");
        Assert.Equal(TrackerStatus.Up, t.Status);
        Assert.False(t.Report(false));
        Assert.False(t.Report(false));
        Assert.True(t.Report(false), "the third failure in a row fails it");
        Assert.Equal(TrackerStatus.Down, t.Status);
        Assert.Equal(0, t.Result);
    }

    [Fact]
    public void A_failed_script_needs_rise_successes_in_a_row_and_a_failure_restarts_the_count()
    {
        var t = new ScriptResultTracker(rise: 3, fall: 1);
        t.Report(false);
        Assert.False(t.Report(true));
        Assert.False(t.Report(true));
        Assert.False(t.Report(false), "already failed: no change, count back to 0");
        Assert.Equal(0, t.Result);
        Assert.False(t.Report(true));
        Assert.False(t.Report(true));
        Assert.True(t.Report(true), "the third success in a row");
        Assert.Equal(TrackerStatus.Up, t.Status);
        Assert.Equal(3, t.Result); // rise + fall - 1
        Assert.True(t.Report(false), "fall 1: one failure fails it");
    }

    [Fact]
    public void Init_fail_starts_failed_and_needs_rise_successes()
    {
        var t = new ScriptResultTracker(rise: 2, fall: 2, initFail: true);
        Assert.Equal(TrackerStatus.Down, t.Status);
        Assert.False(t.Report(false), "already failed: a failure changes nothing");
        Assert.False(t.Report(true));
        Assert.True(t.Report(true));
        Assert.Equal(TrackerStatus.Up, t.Status);
    }

    [Fact]
    public void Rise_and_fall_below_one_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScriptResultTracker(rise: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScriptResultTracker(fall: 0));
    }
}
