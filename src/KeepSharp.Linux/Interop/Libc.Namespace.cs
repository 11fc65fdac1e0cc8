using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

internal static partial class Libc
{
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    internal static partial int SetNs(FileDescriptorHandle fd, int nsType);
}
