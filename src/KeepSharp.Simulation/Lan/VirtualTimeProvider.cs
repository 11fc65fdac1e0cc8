namespace KeepSharp.Simulation;

/// <summary>
/// A clock that moves only when told to. The timestamp unit is the .NET tick (100 ns), so virtual
/// times compare exactly with <see cref="TimeSpan.Ticks"/>.
/// </summary>
public sealed class VirtualTimeProvider : TimeProvider
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private long _now;

    public VirtualTimeProvider(long start = 0) => _now = start;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _now;

    public override DateTimeOffset GetUtcNow() => Epoch.AddTicks(_now);

    public long Now => _now;

    public TimeSpan Elapsed => TimeSpan.FromTicks(_now);

    /// <summary>Moves the clock forward to <paramref name="timestamp"/>; it never goes back.</summary>
    public void AdvanceTo(long timestamp)
    {
        if (timestamp < _now)
            throw new InvalidOperationException($"virtual time cannot go back from {_now} to {timestamp}");
        _now = timestamp;
    }

    public void Advance(TimeSpan delta) => AdvanceTo(_now + delta.Ticks);

    /// <summary>Timers are not simulated: whoever drives the routers polls their deadlines.</summary>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        throw new NotSupportedException("the simulation owns the clock; routers must not create timers");
}
