namespace KeepSharp.Config;

/// <summary>The little file access the configuration reader needs (so tests can work from memory).</summary>
public interface IConfigFileSystem
{
    bool FileExists(string path);

    bool DirectoryExists(string path);

    /// <summary>Reads a whole UTF-8 text file.</summary>
    string ReadAllText(string path);

    /// <summary>Names (not paths) of the files and directories directly inside <paramref name="directory"/>.</summary>
    IEnumerable<string> EnumerateEntries(string directory);

    /// <summary>Whether a file has an execute bit (keepalived skips such a file as "not a regular non-executable file").</summary>
    bool IsExecutable(string path) => false;
}

/// <summary>The real file system.</summary>
public sealed class PhysicalConfigFileSystem : IConfigFileSystem
{
    public static PhysicalConfigFileSystem Instance { get; } = new();

    public bool FileExists(string path) => File.Exists(path);

    public bool DirectoryExists(string path) => Directory.Exists(path);

    public string ReadAllText(string path) => File.ReadAllText(path);

    public bool IsExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            return (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public IEnumerable<string> EnumerateEntries(string directory)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(directory).Select(p => Path.GetFileName(p)).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}

/// <summary>An in-memory file system keyed by absolute path; directories are implied by the files.</summary>
public sealed class InMemoryConfigFileSystem : IConfigFileSystem
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _executables = new(StringComparer.Ordinal);

    public InMemoryConfigFileSystem Add(string path, string text, bool executable = false)
    {
        _files[Normalize(path)] = text;
        if (executable)
        {
            _executables.Add(Normalize(path));
        }

        return this;
    }

    public bool IsExecutable(string path) => _executables.Contains(Normalize(path));

    public bool FileExists(string path) => _files.ContainsKey(Normalize(path));

    public bool DirectoryExists(string path)
    {
        var prefix = Normalize(path).TrimEnd('/') + "/";
        return _files.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal));
    }

    public string ReadAllText(string path) =>
        _files.TryGetValue(Normalize(path), out var text) ? text : throw new FileNotFoundException("not found", path);

    public IEnumerable<string> EnumerateEntries(string directory)
    {
        var prefix = Normalize(directory).TrimEnd('/') + "/";
        return _files.Keys
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Select(k => k[prefix.Length..].Split('/')[0])
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private static string Normalize(string path) => Path.GetFullPath(path);
}
