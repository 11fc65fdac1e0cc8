using System.Globalization;

namespace KeepSharp.Tests.Fuzz;

/// <summary>
/// Iteration counts of the fuzz tests. The defaults keep the whole Fuzz folder well under 30 s on two cores (CI);
/// <c>KEEPSHARP_FUZZ_ITER=N</c> multiplies every generator's iterations by N for a longer hunt, e.g.
/// <c>KEEPSHARP_FUZZ_ITER=50 dotnet test tests/KeepSharp.Tests --filter FullyQualifiedName~Fuzz</c>.
/// <c>KEEPSHARP_FUZZ_SEED</c> replays one CsCheck seed (printed on a failure).
/// </summary>
internal static class FuzzSettings
{
    public static long Iterations(long ciDefault)
    {
        string? factor = Environment.GetEnvironmentVariable("KEEPSHARP_FUZZ_ITER");
        return factor is not null && long.TryParse(factor, NumberStyles.Integer, CultureInfo.InvariantCulture, out long f) && f > 0
            ? ciDefault * f
            : ciDefault;
    }

    public static string? Seed => Environment.GetEnvironmentVariable("KEEPSHARP_FUZZ_SEED");

    /// <summary>The corpus folder in the source tree (seed files are read there, not copied to the output).</summary>
    public static string CorpusDir(string kind) =>
        Path.Combine(KeepSharp.Tests.Config.TestPaths.RepoRoot, "tests", "KeepSharp.Tests", "Fuzz", "Corpus", kind);

    /// <summary>Runs <paramref name="work"/> on a task; a run longer than <paramref name="limit"/> is a hang and throws.</summary>
    public static T Bounded<T>(Func<T> work, TimeSpan limit, Func<string> describe)
    {
        Task<T> task = Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (!task.Wait(limit))
            throw new TimeoutException($"no result within {limit.TotalSeconds:0.#} s (hang) for input: {describe()}");
        return task.Result;
    }
}
