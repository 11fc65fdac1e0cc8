using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

/// <summary>Owns a raw Linux file descriptor; closes it exactly once.</summary>
internal sealed class FileDescriptorHandle : SafeHandle
{
    public FileDescriptorHandle() : base(new IntPtr(-1), ownsHandle: true) { }

    internal FileDescriptorHandle(int fd) : base(new IntPtr(-1), ownsHandle: true) => SetHandle(new IntPtr(fd));

    public override bool IsInvalid => handle.ToInt64() < 0;

    internal int Fd => (int)handle.ToInt64();

    protected override bool ReleaseHandle() => Libc.Close((int)handle.ToInt64()) == 0;
}
