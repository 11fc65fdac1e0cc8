using KeepSharp.Config;
using KeepSharp.Linux.Processes;
using KeepSharp.Scripts;

namespace KeepSharp.Daemon.Runtime.Scripts;

/// <summary>
/// Startup check of one tracked <c>vrrp_script</c>, as keepalived's <c>check_script_secure()</c> with the
/// script's credentials (its <c>user USER [GROUP]</c>, else the global <c>script_user</c>, else
/// <c>keepalived_script</c> or the daemon's own): what to run, or why it cannot be run.
/// </summary>
/// <param name="StartInfo">What to execute; null when the script is unusable.</param>
/// <param name="Problem">Why the script cannot run (missing, not executable, insecure, unknown user, unparsable); null when usable.</param>
/// <param name="Messages">keepalived-worded notes from the security check (warnings even for a usable script).</param>
/// <param name="Insecure">The script is insecure (reported; it still runs without <c>enable_script_security</c>).</param>
internal sealed record TrackedScriptCheck(ScriptStartInfo? StartInfo, string? Problem, IReadOnlyList<string> Messages, bool Insecure)
{
    public static TrackedScriptCheck Run(VrrpScript script, GlobalDefs global)
    {
        if (!ScriptCommandLine.TryParse(script.Script, out ScriptCommandLine? command, out string? parseError) || command is null)
            return Unusable($"its command line cannot be parsed: {parseError}");
        if (!TryUser(script, global, out ScriptUser user, out string? userError))
            return Unusable(userError!);
        ScriptCheckResult check = ScriptSecurity.Check(command, user, global.EnableScriptSecurity);
        bool insecure = (check.Flags & ScriptCheckFlags.Insecure) != 0;
        if (check.Disabled)
        {
            string why = (check.Flags & ScriptCheckFlags.NotFound) != 0 ? "it was not found or cannot be accessed"
                : (check.Flags & ScriptCheckFlags.Inhibit) != 0 ? $"it is insecure under enable_script_security{(check.InsecureComponent is { } c ? $" ({c} is writable by a non-root user)" : "")}"
                : $"it is not executable by uid {user.Uid} gid {user.Gid}";
            return new TrackedScriptCheck(null, why, check.Messages, insecure);
        }
        ScriptUser daemon = ScriptUser.Daemon;
        var info = new ScriptStartInfo(check.ExecArguments(command));
        if (user != daemon)
            info = info with { Uid = user.Uid, Gid = user.Gid };
        return new TrackedScriptCheck(info, null, check.Messages, insecure);
    }

    private static TrackedScriptCheck Unusable(string problem) => new(null, problem, [], false);

    private static bool TryUser(VrrpScript script, GlobalDefs global, out ScriptUser user, out string? error)
    {
        if (script.User is { } name)
            return ScriptUser.TryResolve(name, script.Group, out user, out error);
        if (global.ScriptUser is { } globalName)
            return ScriptUser.TryResolve(globalName, global.ScriptGroup, out user, out error);
        return ScriptUser.TryGetDefault(global.EnableScriptSecurity, out user, out error);
    }
}
