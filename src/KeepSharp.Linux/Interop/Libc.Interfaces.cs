using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

/// <summary>if_nametoindex(3).</summary>
internal static partial class Libc
{
    [LibraryImport("libc", EntryPoint = "if_nametoindex", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint IfNameToIndex(string name);
}
