using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

// The file mode creation mask: umask(2).
internal static partial class Libc
{
    /// <summary>umask(mask): sets the process's mask and returns the previous one (never fails).</summary>
    [LibraryImport("libc", EntryPoint = "umask")]
    internal static partial uint Umask(uint mask);
}
