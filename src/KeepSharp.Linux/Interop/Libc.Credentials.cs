using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

// Users, groups and per-thread credentials.
internal static unsafe partial class Libc
{
    [LibraryImport("libc", EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int GetPwNamR(string name, Passwd* entry, byte* buffer, nuint length, Passwd** result);

    [LibraryImport("libc", EntryPoint = "getgrnam_r", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int GetGrNamR(string name, Group* entry, byte* buffer, nuint length, Group** result);

    /// <summary>
    /// Raw setgroups/setresgid/setresuid system call numbers. The raw calls change only the calling thread's
    /// credentials (glibc's wrappers broadcast the change to every thread of the process).
    /// </summary>
    internal static (long SetGroups, long SetResGid, long SetResUid) CredentialSyscalls
        => RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => (116, 119, 117),
            Architecture.Arm64 => (159, 149, 147),
            var other => throw new PlatformNotSupportedException("credential system calls unknown for " + other),
        };

    /// <summary>struct passwd (64-bit layout).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Passwd
    {
        internal byte* Name;
        internal byte* Password;
        internal uint Uid;
        internal uint Gid;
        internal byte* Gecos;
        internal byte* Directory;
        internal byte* Shell;
    }

    /// <summary>struct group (64-bit layout).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Group
    {
        internal byte* Name;
        internal byte* Password;
        internal uint Gid;
        internal byte** Members;
    }
}
