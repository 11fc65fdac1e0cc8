using KeepSharp.Config;
using KeepSharp.Daemon.Logging;
using KeepSharp.Linux.Processes;
using KeepSharp.Scripts;

namespace KeepSharp.Daemon.Runtime.Notify;

/// <summary>
/// Turns configured notify lines into runnable <see cref="NotifyScript"/>s as keepalived does at load
/// (<c>notify_script_init()</c>, <c>check_notify_script_secure()</c>): the command split into argv, the user from the
/// line, else <c>script_user</c>, else <c>keepalived_script</c>, else root; then the security check, whose messages
/// are logged and which disables a script that is missing, not executable, or (with <c>enable_script_security</c>)
/// unsafe. Remembers whether any script was checked, for keepalived's SECURITY VIOLATION warning.
/// </summary>
internal sealed class NotifyScriptLoader(GlobalDefs globals, Log log)
{
    private readonly bool _scriptSecurity = globals.EnableScriptSecurity;
    private ScriptUser? _defaultUser;
    private bool _defaultResolved;

    /// <summary>At least one script passed the check (and so runs).</summary>
    public bool AnyChecked { get; private set; }

    /// <summary>At least one checked script was unsafe.</summary>
    public bool AnyInsecure { get; private set; }

    public NotifyScript? Load(string keyword, NotifyScriptLine? line)
    {
        if (line is null)
        {
            return null;
        }

        if (!ScriptCommandLine.TryParse(line.Command, out ScriptCommandLine? command, out _))
        {
            log.Warning($"Unable to parse script '{line.Command}' - ignoring");
            return null;
        }

        ScriptUser user;
        if (line.User is not null)
        {
            if (!ScriptUser.TryResolve(line.User, line.Group, out user, out string? error))
            {
                log.Warning($"Invalid user/group for {keyword} script {command!.Program} - ignoring ({error})");
                return null;
            }
        }
        else if (DefaultUser() is { } fallback)
        {
            user = fallback;
        }
        else
        {
            log.Warning($"Failed to set default user for {keyword} script {command!.Program} - ignoring");
            return null;
        }

        ScriptCheckResult check = ScriptSecurity.Check(command!, user, _scriptSecurity);
        foreach (string message in check.Messages)
        {
            log.Warning(message);
        }

        if (check.Disabled)
        {
            return null;
        }

        AnyChecked = true;
        AnyInsecure |= (check.Flags & ScriptCheckFlags.Insecure) != 0;
        return new NotifyScript(keyword, command!, check.ExecArguments(command!), check.UseShell, user);
    }

    private ScriptUser? DefaultUser()
    {
        if (!_defaultResolved)
        {
            _defaultResolved = true;
            if (globals.ScriptUser is { } name)
            {
                if (ScriptUser.TryResolve(name, globals.ScriptGroup, out ScriptUser configured, out string? error))
                {
                    _defaultUser = configured;
                    return _defaultUser;
                }

                log.Warning($"Unable to set default user {name} for scripts ({error})");
            }

            _defaultUser = ScriptUser.TryGetDefault(_scriptSecurity, out ScriptUser fallback, out string? message) ? fallback : null;
            if (message is not null)
            {
                log.Warning(message);
            }
        }

        return _defaultUser;
    }
}
