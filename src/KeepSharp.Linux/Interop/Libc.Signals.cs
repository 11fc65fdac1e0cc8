using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

internal static partial class Libc
{
    /// <summary>glibc's SIGRTMIN: the first real-time signal an application may use (34 with NPTL, which keeps 32 and 33).</summary>
    [LibraryImport("libc", EntryPoint = "__libc_current_sigrtmin")]
    internal static partial int CurrentSigRtMin();

    /// <summary>glibc's SIGRTMAX (64 on Linux).</summary>
    [LibraryImport("libc", EntryPoint = "__libc_current_sigrtmax")]
    internal static partial int CurrentSigRtMax();
}
