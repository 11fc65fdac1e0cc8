using System.Runtime.InteropServices;

namespace KeepSharp.Linux;

/// <summary>The errno values the edge reports (as negative results) and a readable form of any of them.</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EEXIST = 17;
    public const int ENODEV = 19;
    public const int EINVAL = 22;
    public const int ENOBUFS = 105;
    public const int EADDRNOTAVAIL = 99;
    public const int ENETDOWN = 100;
    public const int ENETUNREACH = 101;

    /// <summary>The calling thread's errno after a LibraryImport with SetLastError.</summary>
    public static int Last => Marshal.GetLastPInvokeError();

    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";

    /// <summary>An exception for a failed setup call, naming the call and the errno.</summary>
    public static IOException Exception(string what, int errno) => new($"{what} failed: {Describe(errno)}");
}
