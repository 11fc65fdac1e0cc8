using System.Runtime.CompilerServices;

namespace KeepSharp.Lab;

/// <summary>
/// The lab measures outages with async probes and reads daemon output through the thread pool. A pool that
/// has to grow (it adds about one thread a second when earlier work blocks its threads, as a long test run's
/// leftovers can) delays those callbacks by hundreds of milliseconds, which then reads as a late takeover.
/// Threads enough from the start keep the measurement about the daemons, not the harness.
/// </summary>
internal static class MeasurementThreads
{
    [ModuleInitializer]
    internal static void Reserve()
    {
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
    }
}
