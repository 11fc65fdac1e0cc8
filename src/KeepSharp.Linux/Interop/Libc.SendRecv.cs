using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

internal static unsafe partial class Libc
{
    [LibraryImport("libc", EntryPoint = "sendto", SetLastError = true)]
    internal static partial nint SendTo(FileDescriptorHandle fd, byte* buffer, nuint length, int flags, void* address, uint addressLength);

    /// <summary>sendto on a managed <see cref="System.Net.Sockets.Socket"/>'s descriptor: failures come back as errno, not as exceptions.</summary>
    [LibraryImport("libc", EntryPoint = "sendto", SetLastError = true)]
    internal static partial nint SendTo(System.Net.Sockets.SafeSocketHandle fd, byte* buffer, nuint length, int flags, void* address, uint addressLength);

    [LibraryImport("libc", EntryPoint = "recvfrom", SetLastError = true)]
    internal static partial nint RecvFrom(FileDescriptorHandle fd, byte* buffer, nuint length, int flags, void* address, uint* addressLength);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(FileDescriptorHandle fd, void* buffer, nuint length);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(FileDescriptorHandle fd, void* buffer, nuint length);
}
