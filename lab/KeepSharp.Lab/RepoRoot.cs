namespace KeepSharp.Lab;

public static class RepoRoot
{
    /// <summary>Walks up from start to the folder holding KeepSharp.sln.</summary>
    public static string Find(string? start = null)
    {
        var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory);
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KeepSharp.sln"))) return dir.FullName;
            dir = dir.Parent;
        }
        throw new LabException($"KeepSharp.sln not found above {start ?? AppContext.BaseDirectory}");
    }

    public static string KeepSharpBinary(string root) => Path.Combine(root, "artifacts", "bin", "keepsharp");
}
