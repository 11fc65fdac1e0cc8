namespace KeepSharp.Bench;

public static class Stats
{
    /// <summary>Nearest-rank percentile (p in 0..1) of the values; null when there are none.</summary>
    public static double? Percentile(IEnumerable<double> values, double p)
    {
        var s = values.Order().ToArray();
        if (s.Length == 0) return null;
        return s[Math.Clamp((int)Math.Ceiling(p * s.Length) - 1, 0, s.Length - 1)];
    }
}
