using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

// Resource limits: getrlimit(2) / setrlimit(2).
internal static unsafe partial class Libc
{
    internal const int RLIMIT_CORE = 4;
    internal const ulong RLIM_INFINITY = ulong.MaxValue;

    [StructLayout(LayoutKind.Sequential)]
    internal struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    internal static partial int GetRLimit(int resource, RLimit* limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    internal static partial int SetRLimit(int resource, RLimit* limit);
}
