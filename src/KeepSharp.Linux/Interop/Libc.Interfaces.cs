using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

internal static partial class Libc
{
    /// <summary>Returns 0 (errno set) when no such interface exists in the caller's network namespace.</summary>
    [LibraryImport("libc", EntryPoint = "if_nametoindex", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial uint IfNameToIndex(string name);
}
