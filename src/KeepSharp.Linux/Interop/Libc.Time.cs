using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

internal static unsafe partial class Libc
{
    /// <summary>struct timespec (64-bit time_t).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    internal static partial int ClockGetTime(int clockId, TimeSpec* time);
}
