using KeepSharp.Linux.Processes;
using KeepSharp.Scripts;

namespace KeepSharp.Daemon.Runtime.Notify;

/// <summary>
/// A notify script checked at load and ready to run: its argv (resolved by <see cref="ScriptSecurity.Check"/>), the
/// user it runs as, and whether it goes through <c>/bin/sh -c</c> (only keepalived's <c>&lt;/file</c> test form).
/// </summary>
internal sealed record NotifyScript(string Keyword, ScriptCommandLine Command, IReadOnlyList<string> Arguments, bool UseShell, ScriptUser User)
{
    /// <summary>
    /// The start info with <paramref name="extra"/> appended (keepalived's <c>notify_script_exec</c> adds four words to
    /// the generic <c>notify</c>; a FIFO script gets the FIFO path). Appended words never pass through a shell unless
    /// the script itself is the shell form, where they are single-quoted as keepalived's <c>cmd_str_r()</c> does.
    /// </summary>
    public ScriptStartInfo StartInfo(IReadOnlyList<string> extra)
    {
        IReadOnlyList<string> argv = UseShell
            ? ["/bin/sh", "-c", Command.ShellCommand + string.Concat(extra.Select(word => " '" + word + "'"))]
            : [.. Arguments, .. extra];
        return new ScriptStartInfo(argv) { Uid = User.Uid, Gid = User.Gid };
    }
}
