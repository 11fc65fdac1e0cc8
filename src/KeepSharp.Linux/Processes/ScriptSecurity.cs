using System.Globalization;
using System.Runtime.InteropServices;
using KeepSharp.Linux.Interop;
using KeepSharp.Scripts;

namespace KeepSharp.Linux.Processes;

/// <summary>keepalived's SC_* flags (lib/notify.h).</summary>
[Flags]
public enum ScriptCheckFlags
{
    None = 0,
    Insecure = 0x01,
    IsScript = 0x02,
    Inhibit = 0x04,
    NotFound = 0x08,
    Executable = 0x10,
    System = 0x40,
}

/// <summary>The verdict on one script, with the argv to run and keepalived-worded log lines.</summary>
public sealed record ScriptCheckResult(ScriptCheckFlags Flags, IReadOnlyList<string> Arguments, bool UseShell, IReadOnlyList<string> Messages)
{
    /// <summary>keepalived's <c>check_notify_script_secure()</c>: the script is not run (inhibited, not found, or not executable).</summary>
    public bool Disabled => (Flags & (ScriptCheckFlags.Inhibit | ScriptCheckFlags.NotFound)) != 0
        || ((Flags & ScriptCheckFlags.System) == 0 && (Flags & ScriptCheckFlags.Executable) == 0);

    /// <summary>The first path component a non-root user can write (or own), when <see cref="ScriptCheckFlags.Insecure"/>.</summary>
    public string? InsecureComponent { get; init; }

    /// <summary>The argv to execute: <see cref="Arguments"/>, or <c>/bin/sh -c</c> for a file test (see <see cref="ScriptCommandLine"/>).</summary>
    public IReadOnlyList<string> ExecArguments(ScriptCommandLine command) => UseShell ? command.ExecArguments(useShell: true) : Arguments;
}

/// <summary>
/// keepalived 2.2.7 <c>lib/notify.c check_script_secure()</c> with <c>find_path()</c>, <c>is_executable()</c> and
/// <c>check_security()</c>: a bare name is searched in PATH (with a warning); the path is resolved with realpath(3),
/// keeping the original file name when it names the same file; the script must be executable by its uid:gid; and
/// when it runs as root (uid or gid 0, or is set-uid/set-gid root) every component of both the written and the
/// resolved path must pass <see cref="ScriptPathRule"/>. Without <c>enable_script_security</c> an unsafe script is
/// only reported (it still runs); with it, it is disabled. The daemon then reports once
/// <see cref="SecurityViolationMessage"/> if scripts run without <c>enable_script_security</c>.
/// <para>Differences: keepalived switches to the script's euid for the PATH search and realpath; this check runs
/// with the daemon's credentials (execution itself is checked by the kernel under the script's).</para>
/// </summary>
public static class ScriptSecurity
{
    private const uint SetUid = 0x800, SetGid = 0x400, UserExec = 0x40, GroupExec = 0x8, OtherExec = 0x1;

    /// <summary>keepalived's vrrp.c warning, logged when any script is checked and script security is off.</summary>
    public static string SecurityViolationMessage(bool anyInsecure)
        => "SECURITY VIOLATION - scripts are being executed but script_security not enabled." + (anyInsecure ? " There are insecure scripts." : "");

    public static ScriptCheckResult Check(ScriptCommandLine command, ScriptUser user, bool scriptSecurity)
    {
        ArgumentNullException.ThrowIfNull(command);
        var messages = new List<string>();
        var args = command.Arguments.ToList();
        if (command.IsFileTest)
        {
            return new ScriptCheckResult(ScriptCheckFlags.System, args, UseShell: true, messages);
        }

        if (!args[0].Contains('/', StringComparison.Ordinal))
        {
            string? found = FindInPath(args[0], user, out bool denied);
            if (found is null)
            {
                messages.Add(denied ? $"Permissions failure for script {args[0]} in path - disabling" : $"Cannot find script {args[0]} in path - disabling");
                return new ScriptCheckResult(ScriptCheckFlags.NotFound, args, false, messages);
            }

            messages.Add($"WARNING - script `{args[0]}` resolved by path search to `{found}`. Please specify full path.");
            args[0] = found;
        }

        string? resolved = RealPath(args[0], out int realPathErrno);
        if (resolved is null)
        {
            messages.Add($"Script {args[0]} cannot be accessed - {Marshal.GetPInvokeErrorMessage(realPathErrno)}");
            return new ScriptCheckResult(ScriptCheckFlags.NotFound, args, false, messages);
        }

        // Keep the written file name if it differs from the resolved one but names the same file (busybox-style
        // programs behave by their name); otherwise run the resolved path.
        string? realFilePath = null;
        if (args[0] != resolved)
        {
            string newPath = resolved;
            string originalName = args[0][(args[0].LastIndexOf('/') + 1)..];
            int resolvedSlash = resolved.LastIndexOf('/');
            if (originalName != resolved[(resolvedSlash + 1)..])
            {
                string candidate = resolved[..(resolvedSlash + 1)] + originalName;
                if (TryStat(resolved, follow: true, out var real) && (!TryStat(candidate, follow: true, out var named) || real.DeviceMajor != named.DeviceMajor || real.DeviceMinor != named.DeviceMinor || real.Inode != named.Inode))
                {
                    newPath = resolved;
                }
                else
                {
                    realFilePath = resolved;
                    newPath = candidate;
                }
            }

            args[0] = newPath;
        }

        if (!TryStat(realFilePath ?? args[0], follow: true, out var file))
        {
            messages.Add($"Unable to access script `{args[0]}` - disabling");
            return new ScriptCheckResult(ScriptCheckFlags.NotFound, args, false, messages);
        }

        var flags = ScriptCheckFlags.IsScript;
        bool needProtection = false;
        if (IsExecutable(file, user))
        {
            flags |= ScriptCheckFlags.Executable;
            needProtection = user.Uid == 0 || user.Gid == 0
                || (file.Uid == 0 && (file.Mode & UserExec) != 0 && (file.Mode & SetUid) != 0)
                || (file.Gid == 0 && (file.Mode & GroupExec) != 0 && (file.Mode & SetGid) != 0);
        }
        else
        {
            messages.Add(string.Create(CultureInfo.InvariantCulture, $"WARNING - script '{args[0]}' is not executable for uid:gid {user.Uid}:{user.Gid} - disabling."));
        }

        string? component = null;
        if (needProtection)
        {
            flags |= CheckComponents(args[0], scriptSecurity, messages, ref component);
            if (realFilePath is not null)
            {
                flags |= CheckComponents(realFilePath, scriptSecurity, messages, ref component);
            }
        }

        return new ScriptCheckResult(flags, args, false, messages) { InsecureComponent = component };
    }

    private static ScriptCheckFlags CheckComponents(string path, bool scriptSecurity, List<string> messages, ref string? insecureComponent)
    {
        var components = ScriptPathRule.Components(path).ToList();
        for (int i = 0; i < components.Count; i++)
        {
            string component = components[i];
            if (!TryStat(component, follow: false, out var status))
            {
                messages.Add($"check_script_secure could not find script '{path}' - disabling");
                return ScriptCheckFlags.NotFound;
            }

            var entry = new ScriptPathEntry(component, status.Uid, status.Gid, status.Mode, IsLast: i == components.Count - 1);
            switch (ScriptPathRule.Evaluate(entry))
            {
                case ScriptPathVerdict.WrongType:
                    messages.Add($"Wrong file type found in script path '{path}'.");
                    return ScriptCheckFlags.Inhibit;
                case ScriptPathVerdict.Insecure:
                    insecureComponent ??= component;
                    messages.Add(string.Create(CultureInfo.InvariantCulture,
                        $"Unsafe permissions found for script '{path}'{(scriptSecurity ? " - disabling" : "")}: '{component}' is changeable by a non-root user (owner {status.Uid}:{status.Gid}, mode {Convert.ToString(status.Mode & 0xfff, 8)})."));
                    return ScriptCheckFlags.Insecure | (scriptSecurity ? ScriptCheckFlags.Inhibit : ScriptCheckFlags.None);
            }
        }

        return ScriptCheckFlags.None;
    }

    // keepalived's is_executable(): root needs any x bit; the owner the user x bit; others the group or other bit.
    private static bool IsExecutable(Libc.StatxBuffer file, ScriptUser user)
        => (user.Uid == 0 && (file.Mode & (UserExec | GroupExec | OtherExec)) != 0)
        || (user.Uid == file.Uid && (file.Mode & UserExec) != 0)
        || (user.Uid != file.Uid && ((user.Gid == file.Gid && (file.Mode & GroupExec) != 0) || (user.Gid != file.Gid && (file.Mode & OtherExec) != 0)));

    private static string? FindInPath(string name, ScriptUser user, out bool denied)
    {
        denied = false;
        string path = Environment.GetEnvironmentVariable("PATH") ?? "/bin:/usr/bin";
        foreach (string directory in path.Split(':'))
        {
            string candidate = directory.Length == 0 ? name : directory + "/" + name;
            if (!TryStat(candidate, follow: true, out var status))
            {
                continue;
            }

            if ((status.Mode & 0xF000) == 0x8000 && IsExecutable(status, user))
            {
                return candidate;
            }

            denied = true;
        }

        return null;
    }

    private static unsafe string? RealPath(string path, out int errno)
    {
        byte* resolved = Libc.RealPath(path, null);
        errno = resolved is null ? Libc.LastErrno : 0;
        if (resolved is null)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8((nint)resolved);
        }
        finally
        {
            Libc.Free(resolved);
        }
    }

    private static unsafe bool TryStat(string path, bool follow, out Libc.StatxBuffer status)
    {
        Libc.StatxBuffer buffer = default;
        bool ok = Libc.Statx(Libc.AT_FDCWD, path, follow ? 0 : Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, &buffer) == 0;
        status = buffer;
        return ok;
    }
}
