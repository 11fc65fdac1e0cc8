using System.Runtime.InteropServices;
using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux.Processes;

/// <summary>
/// Starts a script with posix_spawn(3), never fork(2) of the managed runtime: glibc's posix_spawn runs the child
/// on a CLONE_VM|CLONE_VFORK clone that executes only libc code until execve, so it is safe in a multithreaded
/// .NET process, and it reports exec failures synchronously (and reaps that child itself).
/// The child gets, as keepalived's <c>lib/notify.c system_call_script()</c> and <c>set_script_env()</c> give it:
/// its own process group (setpgid(0, 0), so a timeout kills its descendants too), every signal at its default
/// disposition and an empty signal mask (<c>signal_handler_script()</c>), stdin on /dev/null, stdout and stderr on
/// the capture pipe (or /dev/null), and no other descriptor (closefrom(3) in the child, on top of O_CLOEXEC).
/// <para>
/// A different <c>user USER [GROUP]</c>: posix_spawn cannot setuid, and fork of the runtime is unsafe, so the spawn
/// runs on a short-lived dedicated thread that first switches only its own credentials with the raw
/// setgroups/setresgid/setresuid system calls (Linux credentials are per thread; glibc's wrappers would change every
/// thread). The vfork child inherits that thread's credentials, real, effective and saved alike, and the thread then
/// exits: no daemon thread ever runs with the script's credentials afterwards.
/// </para>
/// </summary>
internal static unsafe class ScriptSpawner
{
    private static readonly nint s_environ = FindEnviron();

    /// <summary>Spawns the script; returns its pid. Throws <see cref="ScriptSpawnException"/> when nothing started.</summary>
    internal static int Spawn(ScriptStartInfo info, int outputFd)
    {
        if (info.Arguments.Count == 0)
        {
            throw new ArgumentException("a script needs at least its program path", nameof(info));
        }

        uint ourUid = Libc.GetEUid();
        uint ourGid = Libc.GetEGid();
        uint uid = info.Uid ?? ourUid;
        uint gid = info.Gid ?? ourGid;

        (int Pid, string Operation, int Error) result;
        if (uid == ourUid && gid == ourGid)
        {
            result = SpawnHere(info.Arguments, outputFd);
        }
        else
        {
            result = default;
            var thread = new Thread(() => result = SpawnAs(uid, gid, info.Arguments, outputFd), 256 * 1024)
            {
                IsBackground = true,
                Name = "script spawn",
            };
            thread.Start();
            thread.Join();
        }

        if (result.Error != 0)
        {
            throw new ScriptSpawnException(info.Arguments[0], result.Operation ?? "spawn", result.Error);
        }

        return result.Pid;
    }

    // Runs on a throw-away thread: after this the thread's credentials are the script's, so it must only exit.
    private static (int, string, int) SpawnAs(uint uid, uint gid, IReadOnlyList<string> arguments, int outputFd)
    {
        var (setGroups, setResGid, setResUid) = Libc.CredentialSyscalls;
        uint group = gid;
        if (Libc.Syscall(setGroups, 1, (long)&group, 0) < 0)
        {
            return (0, "setgroups", Libc.LastErrno);
        }

        if (Libc.Syscall(setResGid, gid, gid, gid) < 0)
        {
            return (0, "setresgid", Libc.LastErrno);
        }

        if (Libc.Syscall(setResUid, uid, uid, uid) < 0)
        {
            return (0, "setresuid", Libc.LastErrno);
        }

        return SpawnHere(arguments, outputFd);
    }

    private static (int, string, int) SpawnHere(IReadOnlyList<string> arguments, int outputFd)
    {
        int count = arguments.Count;
        byte** argv = (byte**)NativeMemory.AllocZeroed((nuint)(count + 1), (nuint)sizeof(byte*));
        byte* devNull = (byte*)Marshal.StringToCoTaskMemUTF8("/dev/null");
        byte* attributes = (byte*)NativeMemory.AllocZeroed(Libc.SpawnAttrSize);
        byte* actions = (byte*)NativeMemory.AllocZeroed(Libc.SpawnFileActionsSize);
        byte* signals = stackalloc byte[Libc.SigSetSize];
        bool attributesReady = false, actionsReady = false;
        try
        {
            for (int i = 0; i < count; i++)
            {
                argv[i] = (byte*)Marshal.StringToCoTaskMemUTF8(arguments[i]);
            }

            int error = Libc.PosixSpawnAttrInit(attributes);
            if (error != 0)
            {
                return (0, "posix_spawnattr_init", error);
            }

            attributesReady = true;
            Libc.PosixSpawnAttrSetFlags(attributes, Libc.POSIX_SPAWN_SETPGROUP | Libc.POSIX_SPAWN_SETSIGDEF | Libc.POSIX_SPAWN_SETSIGMASK);
            Libc.PosixSpawnAttrSetPGroup(attributes, 0);
            Libc.SigFillSet(signals);
            Libc.PosixSpawnAttrSetSigDefault(attributes, signals);
            Libc.SigEmptySet(signals);
            Libc.PosixSpawnAttrSetSigMask(attributes, signals);

            error = Libc.PosixSpawnFileActionsInit(actions);
            if (error != 0)
            {
                return (0, "posix_spawn_file_actions_init", error);
            }

            actionsReady = true;
            Libc.PosixSpawnFileActionsAddOpen(actions, 0, devNull, Libc.O_RDONLY, 0);
            if (outputFd >= 0)
            {
                Libc.PosixSpawnFileActionsAddDup2(actions, outputFd, 1);
                Libc.PosixSpawnFileActionsAddDup2(actions, outputFd, 2);
            }
            else
            {
                Libc.PosixSpawnFileActionsAddOpen(actions, 1, devNull, Libc.O_RDWR, 0);
                Libc.PosixSpawnFileActionsAddDup2(actions, 1, 2);
            }

            error = Libc.PosixSpawnFileActionsAddCloseFrom(actions, 3);
            if (error != 0)
            {
                return (0, "posix_spawn_file_actions_addclosefrom_np", error);
            }

            int pid;
            error = Libc.PosixSpawn(&pid, argv[0], actions, attributes, argv, *(byte***)s_environ);
            return error != 0 ? (0, "posix_spawn", error) : (pid, "", 0);
        }
        finally
        {
            if (actionsReady)
            {
                Libc.PosixSpawnFileActionsDestroy(actions);
            }

            if (attributesReady)
            {
                Libc.PosixSpawnAttrDestroy(attributes);
            }

            for (int i = 0; i < count; i++)
            {
                Marshal.FreeCoTaskMem((nint)argv[i]);
            }

            NativeMemory.Free(argv);
            NativeMemory.Free(attributes);
            NativeMemory.Free(actions);
            Marshal.FreeCoTaskMem((nint)devNull);
        }
    }

    // The C library's environ: the daemon's environment as execve sees it (keepalived passes environ too).
    private static nint FindEnviron()
    {
        nint libc = NativeLibrary.Load("libc.so.6");
        return NativeLibrary.GetExport(libc, "environ");
    }
}
