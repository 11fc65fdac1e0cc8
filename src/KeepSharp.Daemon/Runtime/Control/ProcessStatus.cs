using System.Globalization;

namespace KeepSharp.Daemon.Runtime.Control;

/// <summary>
/// The daemon's own footprint, as <c>keepsharp status</c> and <c>/metrics</c> show it: resident memory, threads and
/// open descriptors from <c>/proc/self</c>, and the managed heap (live bytes after the last collection, what the GC has
/// committed, collections per generation) from the runtime. A flat line here over days is the no-leak promise.
/// </summary>
internal sealed record ProcessStatus(
    long ResidentBytes,
    int Threads,
    int OpenFileDescriptors,
    long ManagedHeapBytes,
    long ManagedCommittedBytes,
    long AllocatedBytes,
    IReadOnlyList<int> Collections)
{
    /// <summary>Reads the figures now; a figure /proc does not give is -1.</summary>
    public static ProcessStatus Capture()
    {
        GCMemoryInfo gc = GC.GetGCMemoryInfo();
        return new ProcessStatus(ReadResidentBytes(), Count("/proc/self/task"), Count("/proc/self/fd"), gc.HeapSizeBytes, gc.TotalCommittedBytes,
            GC.GetTotalAllocatedBytes(), [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)]);
    }

    /// <summary>/proc/self/statm's second field (resident pages) times the page size.</summary>
    private static long ReadResidentBytes()
    {
        try
        {
            string[] fields = File.ReadAllText("/proc/self/statm").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length > 1 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long pages)
                ? pages * Environment.SystemPageSize
                : -1;
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private static int Count(string directory)
    {
        try
        {
            int n = 0;
            foreach (string _ in Directory.EnumerateFileSystemEntries(directory))
                n++;
            return n;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }
}
