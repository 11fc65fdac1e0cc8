using KeepSharp.Tests.Simulation;
using KeepSharp.Vrrp.Tracking;

namespace KeepSharp.Tests.Vrrp.Tracking;

/// <summary>keepalived's track_process quorum with fork/terminate delays, in virtual time.</summary>
public sealed class ProcessQuorumTrackerTests
{
    private static readonly long T0 = TimeSpan.FromSeconds(100).Ticks;

    [Fact]
    public void Without_delay_quorum_follows_the_count_within_quorum_and_quorum_max()
    {
        var time = new VirtualTimeProvider(T0);
        var t = new ProcessQuorumTracker(2, 3, TimeSpan.Zero, TimeSpan.Zero, initialCount: 1, time);
        Assert.False(t.HasQuorum);
        Assert.True(t.UpdateCount(2));
        Assert.False(t.UpdateCount(3), "still within 2..3");
        Assert.True(t.UpdateCount(4), "above quorum_max");
        Assert.Equal(TrackerStatus.Down, t.Status);
    }

    [Fact]
    public void Losing_quorum_waits_the_delay_and_a_quick_recovery_cancels_it()
    {
        var time = new VirtualTimeProvider(T0);
        var t = new ProcessQuorumTracker(1, 1, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), initialCount: 1, time);
        Assert.True(t.HasQuorum);
        Assert.False(t.UpdateCount(0));
        Assert.Equal(T0 + TimeSpan.FromSeconds(2).Ticks, t.NextDeadline);
        time.AdvanceTo(T0 + TimeSpan.FromSeconds(1).Ticks);
        Assert.False(t.UpdateCount(1), "back within quorum before the delay: the pending loss is cancelled");
        Assert.Equal(ProcessQuorumTracker.Never, t.NextDeadline);
        Assert.True(t.HasQuorum);

        Assert.False(t.UpdateCount(0));
        time.AdvanceTo(T0 + TimeSpan.FromSeconds(2.5).Ticks);
        Assert.False(t.OnTimer(), "not due yet");
        time.AdvanceTo(T0 + TimeSpan.FromSeconds(3).Ticks);
        Assert.True(t.OnTimer());
        Assert.False(t.HasQuorum);
    }
}
