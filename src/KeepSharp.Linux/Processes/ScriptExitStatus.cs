using System.Globalization;

namespace KeepSharp.Linux.Processes;

/// <summary>How a reaped script ended.</summary>
public enum ScriptExitKind
{
    /// <summary>exit(2) with <see cref="ScriptExitStatus.Code"/>.</summary>
    Exited,

    /// <summary>Killed by signal <see cref="ScriptExitStatus.Code"/>.</summary>
    Signaled,
}

/// <summary>
/// The outcome of one run. Success is exit 0 without a timeout; a non-zero exit, a signal, or a run the daemon had
/// to terminate (<see cref="TimedOut"/>) is failure. keepalived's log vocabulary (<c>vrrp_scheduler.c
/// vrrp_script_child_thread()</c>): "succeeded", "failed" ("exited with status N" / "due to signal N"), "timed_out".
/// </summary>
public readonly record struct ScriptExitStatus(ScriptExitKind Kind, int Code, bool TimedOut)
{
    public bool Succeeded => Kind == ScriptExitKind.Exited && Code == 0 && !TimedOut;

    /// <summary>"succeeded", "failed" or "timed_out".</summary>
    public string ExitType => Succeeded ? "succeeded" : TimedOut ? "timed_out" : "failed";

    /// <summary>e.g. "failed (exited with status 3)", "failed (due to signal 9)", "timed_out", "succeeded".</summary>
    public override string ToString() => Succeeded || TimedOut
        ? ExitType
        : string.Create(CultureInfo.InvariantCulture, $"failed ({(Kind == ScriptExitKind.Exited ? "exited with status" : "due to signal")} {Code})");
}
