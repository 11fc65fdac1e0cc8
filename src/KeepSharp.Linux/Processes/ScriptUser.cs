using System.Runtime.InteropServices;
using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux.Processes;

/// <summary>
/// The uid and gid a script runs as: keepalived's <c>user USER [GROUP]</c> on a script or notify line, the global
/// <c>script_user USER [GROUP]</c>, or the default (<c>lib/notify.c set_uid_gid()</c> and
/// <c>get_default_script_user()</c>). The gid is the user's primary group unless a group is named.
/// </summary>
public readonly record struct ScriptUser(uint Uid, uint Gid)
{
    /// <summary>keepalived's default script user, used when it exists.</summary>
    public const string DefaultUserName = "keepalived_script";

    /// <summary>Resolves <paramref name="user"/> (and <paramref name="group"/> when given); false with keepalived's message otherwise.</summary>
    public static bool TryResolve(string user, string? group, out ScriptUser result, out string? error)
    {
        ArgumentNullException.ThrowIfNull(user);
        result = default;
        if (!TryLookUpUser(user, out uint uid, out uint gid))
        {
            error = $"Script user '{user}' does not exist";
            return false;
        }

        if (group is not null)
        {
            if (!TryLookUpGroup(group, out gid))
            {
                error = $"Script group '{group}' does not exist";
                return false;
            }
        }

        result = new ScriptUser(uid, gid);
        error = null;
        return true;
    }

    /// <summary>Resolves or throws <see cref="ArgumentException"/>.</summary>
    public static ScriptUser Resolve(string user, string? group = null)
        => TryResolve(user, group, out ScriptUser result, out string? error) ? result : throw new ArgumentException(error, nameof(user));

    /// <summary>
    /// The user for scripts without <c>user</c>, when no <c>script_user</c> is configured: <c>keepalived_script</c>
    /// if that user exists, otherwise the daemon's own uid and gid (root). keepalived treats a missing
    /// <c>keepalived_script</c> as a configuration error only with <c>enable_script_security</c>
    /// ("Unable to set default user keepalived_script for script"; the scripts are then ignored); without it,
    /// scripts run as root and the "SECURITY VIOLATION - scripts are being executed but script_security not
    /// enabled." warning follows from the security check (ScriptSecurity).
    /// </summary>
    public static bool TryGetDefault(bool scriptSecurity, out ScriptUser result, out string? error)
    {
        if (TryResolve(DefaultUserName, null, out result, out _))
        {
            error = null;
            return true;
        }

        result = Daemon;
        if (scriptSecurity)
        {
            error = $"Unable to set default user {DefaultUserName} for script";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>The daemon's own effective uid and gid.</summary>
    public static ScriptUser Daemon => new(Libc.GetEUid(), Libc.GetEGid());

    private static unsafe bool TryLookUpUser(string name, out uint uid, out uint gid)
    {
        uid = gid = 0;
        for (nuint size = 1024; size <= 1 << 20; size *= 4)
        {
            byte* buffer = (byte*)NativeMemory.Alloc(size);
            try
            {
                Libc.Passwd entry;
                Libc.Passwd* found;
                int error = Libc.GetPwNamR(name, &entry, buffer, size, &found);
                if (error == Errno.ERANGE)
                {
                    continue;
                }

                if (error != 0 || found is null)
                {
                    return false;
                }

                uid = entry.Uid;
                gid = entry.Gid;
                return true;
            }
            finally
            {
                NativeMemory.Free(buffer);
            }
        }

        return false;
    }

    private static unsafe bool TryLookUpGroup(string name, out uint gid)
    {
        gid = 0;
        for (nuint size = 1024; size <= 1 << 20; size *= 4)
        {
            byte* buffer = (byte*)NativeMemory.Alloc(size);
            try
            {
                Libc.Group entry;
                Libc.Group* found;
                int error = Libc.GetGrNamR(name, &entry, buffer, size, &found);
                if (error == Errno.ERANGE)
                {
                    continue;
                }

                if (error != 0 || found is null)
                {
                    return false;
                }

                gid = entry.Gid;
                return true;
            }
            finally
            {
                NativeMemory.Free(buffer);
            }
        }

        return false;
    }
}
