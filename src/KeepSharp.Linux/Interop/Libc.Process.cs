using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

// Processes: posix_spawn with its attributes and file actions, pidfds, waitid, signals, sessions.
internal static unsafe partial class Libc
{
    // posix_spawnattr_setflags(3)
    internal const short POSIX_SPAWN_SETPGROUP = 0x02;
    internal const short POSIX_SPAWN_SETSIGDEF = 0x04;
    internal const short POSIX_SPAWN_SETSIGMASK = 0x08;

    // Opaque glibc types, over-allocated (glibc x86_64/arm64: posix_spawnattr_t 336, file actions 80, sigset_t 128).
    internal const int SpawnAttrSize = 512;
    internal const int SpawnFileActionsSize = 256;
    internal const int SigSetSize = 128;

    // waitid(2)
    internal const int P_PIDFD = 3;
    internal const int WEXITED = 4;
    internal const int WNOHANG = 1;
    internal const int CLD_EXITED = 1;
    internal const int CLD_KILLED = 2;
    internal const int CLD_DUMPED = 3;

    // Signals
    internal const int SIGKILL = 9;
    internal const int SIGTERM = 15;

    // pipe2(2) and open(2)
    internal const int O_RDWR = 2;

    // syscall(2) numbers common to x86_64 and arm64 (allocated after the tables were unified).
    internal const long SYS_pidfd_open = 434;

    [LibraryImport("libc", EntryPoint = "posix_spawn")]
    internal static partial int PosixSpawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    internal static partial int PosixSpawnAttrInit(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    internal static partial int PosixSpawnAttrDestroy(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    internal static partial int PosixSpawnAttrSetFlags(void* attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setpgroup")]
    internal static partial int PosixSpawnAttrSetPGroup(void* attributes, int processGroup);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    internal static partial int PosixSpawnAttrSetSigMask(void* attributes, void* mask);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    internal static partial int PosixSpawnAttrSetSigDefault(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    internal static partial int PosixSpawnFileActionsInit(void* fileActions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    internal static partial int PosixSpawnFileActionsDestroy(void* fileActions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen")]
    internal static partial int PosixSpawnFileActionsAddOpen(void* fileActions, int fd, byte* path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    internal static partial int PosixSpawnFileActionsAddDup2(void* fileActions, int fd, int newFd);

    /// <summary>glibc 2.34+: closes every descriptor from <paramref name="lowFd"/> up in the child.</summary>
    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addclosefrom_np")]
    internal static partial int PosixSpawnFileActionsAddCloseFrom(void* fileActions, int lowFd);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    internal static partial int SigEmptySet(void* set);

    [LibraryImport("libc", EntryPoint = "sigfillset")]
    internal static partial int SigFillSet(void* set);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    internal static partial int Pipe2(int* fds, int flags);

    internal const int F_GETFL = 3;
    internal const int F_SETFL = 4;

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "waitid", SetLastError = true)]
    internal static partial int WaitId(int idType, int id, SigInfo* info, int options);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
    internal static partial int SetSid();

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    internal static partial int Dup2(int fd, int target);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    internal static partial uint GetEUid();

    [LibraryImport("libc", EntryPoint = "getegid")]
    internal static partial uint GetEGid();

    /// <summary>syscall(2) with up to three integer arguments (the raw call: no glibc set*id broadcast to all threads).</summary>
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    internal static partial long Syscall(long number, long arg1, long arg2, long arg3);

    /// <summary>The start of the siginfo_t fields waitid(2) fills for a child (64-bit layout; the struct is 128 bytes).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 128)]
    internal struct SigInfo
    {
        internal int Signo;
        internal int Errno;
        internal int Code;
        internal int Pad;
        internal int Pid;
        internal uint Uid;
        internal int Status;
    }
}
