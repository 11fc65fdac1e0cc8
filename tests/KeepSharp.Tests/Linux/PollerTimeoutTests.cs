using System.Diagnostics;
using KeepSharp.Linux;

namespace KeepSharp.Tests.Linux;

public sealed class PollerTimeoutTests
{
    [Fact]
    public void ToTimeSpec_KeepsSubMillisecondPart()
    {
        var spec = Poller.ToTimeSpec(TimeSpan.FromTicks(12_345_678)); // 1.2345678 s
        Assert.Equal(1, spec.Seconds);
        Assert.Equal(234_567_800, spec.Nanoseconds);

        spec = Poller.ToTimeSpec(TimeSpan.FromMicroseconds(250));
        Assert.Equal(0, spec.Seconds);
        Assert.Equal(250_000, spec.Nanoseconds);
    }

    [Fact]
    public void ToTimeSpec_NegativeIsZero()
    {
        var spec = Poller.ToTimeSpec(TimeSpan.FromMilliseconds(-3));
        Assert.Equal(0, spec.Seconds);
        Assert.Equal(0, spec.Nanoseconds);
    }

    [Fact]
    public void Wait_SubMillisecondTimeout_IsNotRoundedUpToAMillisecond()
    {
        using var poller = new Poller();
        // poll(2) rounded 200 µs up to 1 ms; ppoll sleeps 200 µs plus the timer slack (50 µs). The best of a few
        // waits keeps a busy machine from failing the test.
        long best = long.MaxValue;
        for (int i = 0; i < 20; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Assert.Equal(0, poller.Wait(TimeSpan.FromMicroseconds(200)));
            best = Math.Min(best, Stopwatch.GetTimestamp() - start);
        }
        TimeSpan elapsed = Stopwatch.GetElapsedTime(0, best);
        Assert.InRange(elapsed, TimeSpan.FromMicroseconds(200), TimeSpan.FromMicroseconds(900));
    }

    [Fact]
    public void Sleep_EndsEarlyOnWake_AndLeavesTheWakeUpForTheNextWait()
    {
        using var poller = new Poller();
        long start = Stopwatch.GetTimestamp();
        Assert.False(poller.Sleep(TimeSpan.FromMicroseconds(300)));
        Assert.True(Stopwatch.GetElapsedTime(start) >= TimeSpan.FromMicroseconds(300));

        poller.Wake();
        start = Stopwatch.GetTimestamp();
        Assert.True(poller.Sleep(TimeSpan.FromSeconds(10)));
        Assert.True(Stopwatch.GetElapsedTime(start) < TimeSpan.FromSeconds(5));

        Assert.Equal(0, poller.Wait(TimeSpan.FromSeconds(10)));
        Assert.True(poller.WasWoken);
    }
}
