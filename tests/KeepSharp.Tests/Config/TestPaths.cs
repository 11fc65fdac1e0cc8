namespace KeepSharp.Tests.Config;

internal static class TestPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KeepSharp.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("KeepSharp.sln not found above " + AppContext.BaseDirectory);
    });

    public static string RepoRoot => Root.Value;

    public static string Seed(string name) => Path.Combine(RepoRoot, "examples", "seed", name);

    /// <summary>keepalived's sample configs as Debian's keepalived package installs them (scripts/setup.sh installs it).</summary>
    public const string SamplesDir = "/usr/share/doc/keepalived/samples";

    public static bool SamplesInstalled => Directory.Exists(SamplesDir);

    /// <summary>One sample's path; a clear failure, naming the package and the folder, when the corpus is not installed.</summary>
    public static string Sample(string name)
    {
        if (!SamplesInstalled)
        {
            throw new InvalidOperationException(
                $"keepalived's sample configs are not in {SamplesDir}: install Debian's 'keepalived' package " +
                "(scripts/setup.sh does), on a system that keeps /usr/share/doc");
        }

        return Path.Combine(SamplesDir, name);
    }

    /// <summary>The course notes the project started from: beside a checkout only in the project's own CI, never in a user's clone.</summary>
    public static string CourseNotes => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "seed", "000_6d0215e996c6435c.txt"));
}

/// <summary>A fact that needs the course notes (../shared/seed); skipped, with the reason, where they are absent.</summary>
internal sealed class CourseNotesFactAttribute : FactAttribute
{
    public CourseNotesFactAttribute()
    {
        if (!File.Exists(TestPaths.CourseNotes))
        {
            Skip = $"the course notes ({TestPaths.CourseNotes}) are not beside this clone; they are not part of the project";
        }
    }
}

/// <summary>A temporary directory deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "keepsharp-config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string relative, string text)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
