using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

internal static partial class Libc
{
    /// <summary>errno of the last libc call made with SetLastError = true on this thread.</summary>
    internal static int LastErrno => Marshal.GetLastPInvokeError();
}
