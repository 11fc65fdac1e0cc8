using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

/// <summary>send(2), sendto(2), recv(2), read(2), write(2).</summary>
internal static unsafe partial class Libc
{
    public const int MSG_DONTWAIT = 0x40;

    [LibraryImport("libc", EntryPoint = "sendto", SetLastError = true)]
    public static partial nint SendTo(int fd, void* buffer, nuint length, int flags, void* address, uint addressLength);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    public static partial nint Recv(int fd, void* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, void* buffer, nuint length);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, void* buffer, nuint length);
}
