namespace KeepSharp.Linux.Processes;

/// <summary>
/// What to run: the argv (<c>Arguments[0]</c> is an absolute path, executed with execve(2) and the daemon's
/// environment, as keepalived's <c>system_call_script()</c> does), the credentials (keepalived's <c>user USER [GROUP]</c>;
/// null means the daemon's own), and whether standard output and error are captured for the log.
/// </summary>
public sealed record ScriptStartInfo(IReadOnlyList<string> Arguments)
{
    /// <summary>uid to run as; null runs with the daemon's effective uid.</summary>
    public uint? Uid { get; init; }

    /// <summary>gid to run as (also the only supplementary group, as keepalived's <c>setgroups(1, &amp;gid)</c>).</summary>
    public uint? Gid { get; init; }

    /// <summary>Capture stdout and stderr through a pipe (otherwise both go to /dev/null).</summary>
    public bool CaptureOutput { get; init; } = true;

    /// <summary>Per-line and per-run caps for the captured output.</summary>
    public ScriptOutputLimits OutputLimits { get; init; } = ScriptOutputLimits.Default;
}

/// <summary>Bounds on captured output: a flooding script costs at most these bytes of memory per run.</summary>
public sealed record ScriptOutputLimits(int MaxLineBytes, int MaxTotalBytes)
{
    /// <summary>1 KiB per line, 64 KiB per run.</summary>
    public static ScriptOutputLimits Default { get; } = new(1024, 64 * 1024);
}
