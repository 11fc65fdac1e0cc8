namespace KeepSharp.Daemon.Runtime.Metrics;

/// <summary>
/// How long a vrrp_script's runs took: a fixed-bucket histogram (Prometheus' cumulative buckets), the last run, runs
/// killed by the timeout. Recorded on the loop's thread when a run exits; read there into a <see cref="ScriptDurationSnapshot"/>.
/// </summary>
internal sealed class ScriptDurations
{
    /// <summary>Upper bounds of the buckets, in seconds (a check script's useful range: a few ms to a minute).</summary>
    public static readonly double[] Bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly long[] _buckets = new long[Bounds.Length];
    private long _count;
    private double _sum;
    private double _last = double.NaN;
    private long _timeouts;

    public void Record(TimeSpan elapsed, bool killedByTimeout)
    {
        double seconds = Math.Max(0, elapsed.TotalSeconds);
        _count++;
        _sum += seconds;
        _last = seconds;
        if (killedByTimeout)
            _timeouts++;
        for (int i = 0; i < Bounds.Length; i++)
        {
            if (seconds <= Bounds[i])
                _buckets[i]++;
        }
    }

    /// <summary>On the loop's thread.</summary>
    public ScriptDurationSnapshot Snapshot() => new(_count, _sum, _last, _timeouts, [.. _buckets]);
}

/// <summary>A copy of <see cref="ScriptDurations"/>: <see cref="Buckets"/>[i] counts runs of at most <see cref="ScriptDurations.Bounds"/>[i] seconds.</summary>
internal sealed record ScriptDurationSnapshot(long Count, double SumSeconds, double LastSeconds, long Timeouts, IReadOnlyList<long> Buckets)
{
    public static readonly ScriptDurationSnapshot Empty = new(0, 0, double.NaN, 0, new long[ScriptDurations.Bounds.Length]);
}
