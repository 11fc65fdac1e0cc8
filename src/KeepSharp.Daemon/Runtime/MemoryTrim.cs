namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// Gives memory back after a burst of allocation (startup, a reload): loading and checking a configuration and building
/// its instances allocate a few megabytes that are garbage once the instances run. The garbage collector would keep
/// those pages committed (resident) for as long as the daemon runs, since the loop's steady state allocates almost
/// nothing and so never triggers the collection that would release them. One blocking, compacting collection that
/// decommits what it frees (<see cref="GCCollectionMode.Aggressive"/>) costs a few milliseconds once, on a heap of a
/// few hundred kilobytes to a few megabytes. The runtime's own settings (the project file) keep the steady state small:
/// a small gen0 budget and no background collector thread.
/// </summary>
internal static class MemoryTrim
{
    /// <summary>Collects everything and decommits the freed memory, and says so in the detailed log; thread-safe.</summary>
    public static void AfterBurst(Logging.Log log, string after)
    {
        TimeSpan paused = GC.GetTotalPauseDuration();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GCMemoryInfo info = GC.GetGCMemoryInfo();
        log.Detail($"Memory after {after}: managed heap {info.HeapSizeBytes / 1024} kB, {info.TotalCommittedBytes / 1024} kB committed (collected in {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:0.0} ms)");
    }
}
