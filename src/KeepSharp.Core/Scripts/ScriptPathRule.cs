namespace KeepSharp.Scripts;

/// <summary>What one path component of a root-run script looks like (from lstat).</summary>
public readonly record struct ScriptPathEntry(string Path, uint OwnerUid, uint OwnerGid, uint Mode, bool IsLast)
{
    private const uint TypeMask = 0xF000, Directory = 0x4000, Regular = 0x8000, Symlink = 0xA000;

    public bool IsDirectory => (Mode & TypeMask) == Directory;

    public bool IsRegularFile => (Mode & TypeMask) == Regular;

    public bool IsSymbolicLink => (Mode & TypeMask) == Symlink;
}

/// <summary>The verdict on one component.</summary>
public enum ScriptPathVerdict
{
    Secure,

    /// <summary>Not a directory where one is needed, or the script is neither a file nor a symlink.</summary>
    WrongType,

    /// <summary>A non-root user can change what runs: owned by non-root, or writable by a non-root group or by all.</summary>
    Insecure,
}

/// <summary>
/// keepalived 2.2.7 <c>lib/notify.c check_security()</c>, the rule applied to "/" and every component below it, not
/// following symlinks: a component that is not last must be a directory, the last a regular file or a symlink;
/// the component is unsafe when its owner is not root, or when (it is a directory without the sticky bit, or a
/// regular file) and (its group is not root and group-writable, or it is world-writable). A sticky directory such
/// as /tmp owned by root is therefore accepted; a symlink's own mode is not considered, only its owner.
/// </summary>
public static class ScriptPathRule
{
    private const uint StickyBit = 0x200, GroupWrite = 0x10, OtherWrite = 0x2;

    public static ScriptPathVerdict Evaluate(ScriptPathEntry entry)
    {
        if ((!entry.IsLast && !entry.IsDirectory) || (entry.IsLast && !entry.IsRegularFile && !entry.IsSymbolicLink))
        {
            return ScriptPathVerdict.WrongType;
        }

        bool writableKind = (entry.IsDirectory && (entry.Mode & StickyBit) == 0) || entry.IsRegularFile;
        bool writable = (entry.OwnerGid != 0 && (entry.Mode & GroupWrite) != 0) || (entry.Mode & OtherWrite) != 0;
        return entry.OwnerUid != 0 || (writableKind && writable) ? ScriptPathVerdict.Insecure : ScriptPathVerdict.Secure;
    }

    /// <summary>The prefixes keepalived checks for <paramref name="path"/>: "/", "/a", "/a/b", ... and the path itself.</summary>
    public static IEnumerable<string> Components(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        for (int slash = path.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = path.IndexOf('/', slash + 1))
        {
            yield return slash == 0 ? "/" : path[..slash];
        }

        yield return path;
    }
}
