using KeepSharp.Daemon.Runtime.Loop;

namespace KeepSharp.Tests.Daemon.Loop;

public sealed class DeadlineCoalescingTests
{
    private const long Never = long.MaxValue;

    [Fact]
    public void Wakes_at_the_last_deadline_within_the_window_after_the_earliest()
    {
        long[] deadlines = [1_000, 1_300, 1_100, 1_401, 5_000];
        Assert.Equal(1_300, DeadlineCoalescing.WakeTime(deadlines, window: 400, Never));
    }

    [Fact]
    public void A_deadline_alone_in_its_window_is_met_as_it_is()
    {
        long[] deadlines = [2_000, 9_000, Never];
        Assert.Equal(2_000, DeadlineCoalescing.WakeTime(deadlines, window: 400, Never));
    }

    [Fact]
    public void No_deadline_means_no_wake_up()
    {
        Assert.Equal(Never, DeadlineCoalescing.WakeTime([Never, Never], window: 400, Never));
        Assert.Equal(Never, DeadlineCoalescing.WakeTime([], window: 400, Never));
    }

    [Fact]
    public void A_deadline_near_never_does_not_overflow()
    {
        Assert.Equal(Never - 2, DeadlineCoalescing.WakeTime([Never - 10, Never - 2], window: 400, Never));
    }

    /// <summary>
    /// The wake-up is never before any deadline it makes due: whatever runs at the wake-up time was due by then, so a
    /// Master_Down_Timer (or anything else) never runs early, and nothing is delayed by more than the window.
    /// </summary>
    [Fact]
    public void Never_wakes_before_the_earliest_deadline_nor_later_than_the_window_after_it()
    {
        var random = new Random(11);
        for (int round = 0; round < 2_000; round++)
        {
            long[] deadlines = new long[random.Next(1, 40)];
            for (int i = 0; i < deadlines.Length; i++)
                deadlines[i] = random.Next(10) == 0 ? Never : random.NextInt64(0, 20_000);
            long window = random.NextInt64(0, 2_000);

            long wake = DeadlineCoalescing.WakeTime(deadlines, window, Never);

            long earliest = deadlines.Min();
            if (earliest == Never)
            {
                Assert.Equal(Never, wake);
                continue;
            }
            Assert.InRange(wake, earliest, earliest + window);
            Assert.Contains(wake, deadlines);
            // Every deadline inside the window is due at the wake-up; none beyond it is made due.
            Assert.All(deadlines.Where(d => d <= earliest + window), d => Assert.True(d <= wake));
        }
    }
}
