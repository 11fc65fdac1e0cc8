namespace KeepSharp.Daemon.Runtime.Loop;

/// <summary>
/// When the loop wakes for the routers' deadlines: not at the earliest one alone but at the last deadline within a
/// small window after it, so that routers due close together run in one pass (one wake-up, one <c>sendmmsg</c>).
/// A deadline is never brought forward: nothing runs before it is due (a Master_Down_Timer never expires early);
/// the price is that a deadline may run up to the window late.
/// </summary>
internal static class DeadlineCoalescing
{
    /// <summary>
    /// The wake-up time for <paramref name="deadlines"/> (timestamps, <paramref name="never"/> for none): at least the
    /// earliest, at most <paramref name="window"/> after it; <paramref name="never"/> when every deadline is.
    /// </summary>
    public static long WakeTime(ReadOnlySpan<long> deadlines, long window, long never)
    {
        long earliest = never;
        foreach (long deadline in deadlines)
            earliest = Math.Min(earliest, deadline);
        if (earliest == never)
            return never;
        long limit = window >= never - earliest ? never - 1 : earliest + window;
        long wake = earliest;
        foreach (long deadline in deadlines)
        {
            if (deadline > wake && deadline <= limit)
                wake = deadline;
        }
        return wake;
    }
}
