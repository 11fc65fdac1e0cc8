namespace KeepSharp.Config;

/// <summary>
/// One notify line as keepalived reads it (<c>lib/notify.c notify_script_init()</c>):
/// <c>KEYWORD "script [args]" [user [group]]</c>. <see cref="Command"/> is the first word of the line (quote a
/// command with arguments); it is split again into argv when loaded. A second and third word name the user and
/// group the script runs as (otherwise <c>script_user</c>, else <c>keepalived_script</c>, else root).
/// </summary>
public sealed record NotifyScriptLine(string Command, string? User, string? Group, ConfigLocation Location);
