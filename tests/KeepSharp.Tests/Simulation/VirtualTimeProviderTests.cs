namespace KeepSharp.Tests.Simulation;

public class VirtualTimeProviderTests
{
    [Fact]
    public void Time_moves_only_forward_and_only_when_told()
    {
        var time = new VirtualTimeProvider(5);
        Assert.Equal(TimeSpan.TicksPerSecond, time.TimestampFrequency);
        Assert.Equal(5, time.GetTimestamp());
        Assert.Equal(5, time.GetTimestamp());
        time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(5 + TimeSpan.FromSeconds(1.5).Ticks, time.GetTimestamp());
        Assert.Equal(TimeSpan.FromSeconds(1.5), time.GetElapsedTime(5));
        DateTimeOffset before = time.GetUtcNow();
        time.AdvanceTo(time.Now);
        Assert.Equal(before, time.GetUtcNow());
        Assert.Throws<InvalidOperationException>(() => time.AdvanceTo(4));
        Assert.Throws<NotSupportedException>(() => time.CreateTimer(_ => { }, null, TimeSpan.Zero, TimeSpan.Zero));
    }
}
