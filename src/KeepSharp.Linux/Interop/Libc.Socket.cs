using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

internal static unsafe partial class Libc
{
    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    internal static partial int Bind(FileDescriptorHandle fd, void* address, uint addressLength);

    [LibraryImport("libc", EntryPoint = "getsockname", SetLastError = true)]
    internal static partial int GetSockName(FileDescriptorHandle fd, void* address, uint* addressLength);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    internal static partial int SetSockOpt(FileDescriptorHandle fd, int level, int name, void* value, uint valueLength);

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    internal static partial int GetSockOpt(FileDescriptorHandle fd, int level, int name, void* value, uint* valueLength);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    internal static int SetSockOptInt(FileDescriptorHandle fd, int level, int name, int value)
        => SetSockOpt(fd, level, name, &value, sizeof(int));
}
