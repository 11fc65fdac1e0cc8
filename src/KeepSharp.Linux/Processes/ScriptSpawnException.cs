namespace KeepSharp.Linux.Processes;

/// <summary>A script could not be started (posix_spawn, exec or credential change failed); nothing is left to reap.</summary>
public sealed class ScriptSpawnException : IOException
{
    public ScriptSpawnException(string program, string operation, int errno)
        : base($"Error exec-ing command '{program}': {operation} failed: {KeepSharp.Linux.Errno.Describe(errno)}")
    {
        Program = program;
        Operation = operation;
        Errno = Math.Abs(errno);
        HResult = Errno;
    }

    /// <summary>The script's program path.</summary>
    public string Program { get; }

    /// <summary>The failing step, e.g. "posix_spawn" or "setresuid".</summary>
    public string Operation { get; }

    /// <summary>The positive errno (e.g. ENOENT, EACCES, ENOEXEC for a file without <c>#!</c>).</summary>
    public int Errno { get; }
}
