using System.Text;
using KeepSharp.Config;

namespace KeepSharp.Vrrp.Tracking;

/// <summary>
/// Whether a running process counts for a <c>vrrp_track_process</c> (keepalived's track_process.c
/// <c>read_procs</c>, <c>check_process</c>, <c>check_params</c>):
/// <list type="bullet">
/// <item>Without <c>full_command</c> the name is compared, exactly, with the process's comm (the kernel keeps 15
/// characters, so a longer name never matches).</item>
/// <item>With <c>full_command</c> (implied by arguments or <c>param_match</c>) it is compared with argv[0] of
/// /proc/PID/cmdline.</item>
/// <item>Arguments, as the NUL-separated bytes after argv[0]: <c>exact</c> the same bytes (no configured arguments:
/// none at all); <c>partial</c> the configured ones first, more may follow; <c>initial</c> as partial, but the last
/// configured argument may be a prefix of the process's.</item>
/// <item>A zombie never counts.</item>
/// </list>
/// </summary>
public sealed class ProcessMatch
{
    private readonly byte[] _path;
    private readonly byte[] _params;

    public ProcessMatch(VrrpTrackProcess process)
    {
        Process = process;
        _path = Encoding.UTF8.GetBytes(process.Process);
        _params = [.. process.Parameters.SelectMany(p => Encoding.UTF8.GetBytes(p).Append((byte)0))];
    }

    public VrrpTrackProcess Process { get; }

    /// <summary>True when the process needs /proc/PID/cmdline (else its comm is enough).</summary>
    public bool NeedsCommandLine => Process.FullCommand;

    /// <param name="comm">/proc/PID/comm without the newline.</param>
    /// <param name="commandLine">/proc/PID/cmdline as read (NUL-separated arguments).</param>
    /// <param name="zombie">The process is a zombie (state Z).</param>
    public bool Matches(string comm, ReadOnlySpan<byte> commandLine, bool zombie = false)
    {
        if (zombie)
            return false;
        if (!Process.FullCommand)
            return comm == Process.Process;
        int end = commandLine.IndexOf((byte)0);
        ReadOnlySpan<byte> argv0 = end < 0 ? commandLine : commandLine[..end];
        if (!argv0.SequenceEqual(_path))
            return false;
        if (Process.ParamMatch == ProcessParamMatch.None)
            return true;
        ReadOnlySpan<byte> parameters = end < 0 ? [] : commandLine[(end + 1)..];
        return CheckParams(parameters);
    }

    private bool CheckParams(ReadOnlySpan<byte> actual)
    {
        bool configured = _params.Length > 0;
        if (Process.ParamMatch == ProcessParamMatch.Exact && !configured && actual.Length == 0)
            return true;
        if (actual.Length < _params.Length)
            return false;
        if (Process.ParamMatch == ProcessParamMatch.Exact)
            return actual.Length == _params.Length && actual.SequenceEqual(_params);
        if (!configured)
            return true;
        if (Process.ParamMatch == ProcessParamMatch.Partial)
            return actual.StartsWith(_params);
        return _params.Length == 1 || actual.StartsWith(_params.AsSpan(0, _params.Length - 1));
    }
}
