using System.Runtime.InteropServices;

namespace KeepSharp.Linux;

/// <summary>Linux errno values used by the edge API (results are returned as <c>-errno</c>).</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int ENXIO = 6;
    public const int ENOEXEC = 8;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int ENODEV = 19;
    public const int ENOTDIR = 20;
    public const int EINVAL = 22;
    public const int ERANGE = 34;
    public const int ELOOP = 40;
    public const int EMSGSIZE = 90;
    public const int EPROTONOSUPPORT = 93;
    public const int EOPNOTSUPP = 95;
    public const int EAFNOSUPPORT = 97;
    public const int EADDRINUSE = 98;
    public const int EADDRNOTAVAIL = 99;
    public const int ENETDOWN = 100;
    public const int ENETUNREACH = 101;
    public const int ENOBUFS = 105;
    public const int ETIMEDOUT = 110;
    public const int EHOSTUNREACH = 113;

    /// <summary>Symbolic name of an errno value (sign ignored), e.g. "EEXIST".</summary>
    public static string Name(int errno) => Math.Abs(errno) switch
    {
        EPERM => "EPERM",
        ENOENT => "ENOENT",
        ESRCH => "ESRCH",
        EINTR => "EINTR",
        EIO => "EIO",
        ENXIO => "ENXIO",
        ENOEXEC => "ENOEXEC",
        EBADF => "EBADF",
        EAGAIN => "EAGAIN",
        ENOMEM => "ENOMEM",
        EACCES => "EACCES",
        EBUSY => "EBUSY",
        EEXIST => "EEXIST",
        ENODEV => "ENODEV",
        ENOTDIR => "ENOTDIR",
        EINVAL => "EINVAL",
        ERANGE => "ERANGE",
        ELOOP => "ELOOP",
        EMSGSIZE => "EMSGSIZE",
        EPROTONOSUPPORT => "EPROTONOSUPPORT",
        EOPNOTSUPP => "EOPNOTSUPP",
        EAFNOSUPPORT => "EAFNOSUPPORT",
        EADDRINUSE => "EADDRINUSE",
        EADDRNOTAVAIL => "EADDRNOTAVAIL",
        ENETDOWN => "ENETDOWN",
        ENETUNREACH => "ENETUNREACH",
        ENOBUFS => "ENOBUFS",
        ETIMEDOUT => "ETIMEDOUT",
        EHOSTUNREACH => "EHOSTUNREACH",
        var other => "errno " + other.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>"EEXIST (File exists)".</summary>
    public static string Describe(int errno)
        => Name(errno) + " (" + Marshal.GetPInvokeErrorMessage(Math.Abs(errno)) + ")";
}

/// <summary>A Linux system call failed while setting up an edge resource.</summary>
public sealed class LinuxNetworkException : IOException
{
    public LinuxNetworkException(string operation, int errno)
        : base(operation + " failed: " + KeepSharp.Linux.Errno.Describe(errno))
    {
        Operation = operation;
        Errno = Math.Abs(errno);
        HResult = Errno;
    }

    /// <summary>The failing call, e.g. "setsockopt(IP_ADD_MEMBERSHIP)".</summary>
    public string Operation { get; }

    /// <summary>The positive errno value.</summary>
    public int Errno { get; }

    internal static void ThrowIfFailed(int result, string operation)
    {
        if (result < 0)
        {
            throw new LinuxNetworkException(operation, Interop.Libc.LastErrno);
        }
    }
}
