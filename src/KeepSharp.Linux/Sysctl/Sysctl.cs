using System.Globalization;
using System.Text;
using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux;

/// <summary>
/// Reads and writes <c>/proc/sys</c> values (keepalived's get_sysctl/set_sysctl). Results are 0 or -errno.
/// The values are those of the calling thread's network namespace.
/// </summary>
public static unsafe class Sysctl
{
    private const int MaxValueBytes = 256;

    /// <summary><c>/proc/sys/net/ipv4/conf/IF/KEY</c>; IF may also be "all" or "default".</summary>
    public static string Ipv4ConfPath(string interfaceName, string key) => ConfPath("ipv4", interfaceName, key);

    /// <summary><c>/proc/sys/net/ipv6/conf/IF/KEY</c>.</summary>
    public static string Ipv6ConfPath(string interfaceName, string key) => ConfPath("ipv6", interfaceName, key);

    public static int GetIpv4(string interfaceName, string key, out int value) => ReadInt(Ipv4ConfPath(interfaceName, key), out value);

    public static int SetIpv4(string interfaceName, string key, int value) => Write(Ipv4ConfPath(interfaceName, key), value);

    public static int GetIpv6(string interfaceName, string key, out int value) => ReadInt(Ipv6ConfPath(interfaceName, key), out value);

    public static int SetIpv6(string interfaceName, string key, int value) => Write(Ipv6ConfPath(interfaceName, key), value);

    /// <summary>Reads a value (trailing newline removed). Returns 0 or -errno (-ENOENT: no such interface or key).</summary>
    public static int Read(string path, out string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        value = string.Empty;
        int fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            return -Libc.LastErrno;
        }

        using var handle = new FileDescriptorHandle(fd);
        byte* buffer = stackalloc byte[MaxValueBytes];
        nint n;
        do
        {
            n = Libc.Read(handle, buffer, MaxValueBytes);
        }
        while (n < 0 && Libc.LastErrno == Errno.EINTR);

        if (n < 0)
        {
            return -Libc.LastErrno;
        }

        value = Encoding.ASCII.GetString(buffer, (int)n).TrimEnd('\n');
        return 0;
    }

    /// <summary>Reads an integer value. Returns 0, -errno, or -EINVAL when the value is not an integer.</summary>
    public static int ReadInt(string path, out int value)
    {
        value = 0;
        int rc = Read(path, out string text);
        if (rc < 0)
        {
            return rc;
        }

        return int.TryParse(text.AsSpan().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) ? 0 : -Errno.EINVAL;
    }

    public static int Write(string path, int value) => Write(path, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Writes a value (no newline needed). Returns 0 or -errno (-EINVAL: the kernel refused the value).</summary>
    public static int Write(string path, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(value);
        int fd = Libc.Open(path, Libc.O_WRONLY | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            return -Libc.LastErrno;
        }

        using var handle = new FileDescriptorHandle(fd);
        Span<byte> bytes = stackalloc byte[MaxValueBytes];
        if (Encoding.ASCII.GetByteCount(value) > MaxValueBytes)
        {
            return -Errno.EINVAL;
        }

        int length = Encoding.ASCII.GetBytes(value, bytes);
        nint n;
        fixed (byte* p = bytes)
        {
            do
            {
                n = Libc.Write(handle, p, (nuint)length);
            }
            while (n < 0 && Libc.LastErrno == Errno.EINTR);
        }

        return n < 0 ? -Libc.LastErrno : n == length ? 0 : -Errno.EIO;
    }

    /// <summary>Names of the interfaces under <c>/proc/sys/net/ipv4/conf</c> ("all" and "default" excluded).</summary>
    public static IReadOnlyList<string> Ipv4ConfInterfaces()
    {
        var names = new List<string>();
        try
        {
            foreach (string directory in Directory.EnumerateDirectories("/proc/sys/net/ipv4/conf"))
            {
                string name = Path.GetFileName(directory);
                if (name is not ("all" or "default"))
                {
                    names.Add(name);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return names;
    }

    private static string ConfPath(string family, string interfaceName, string key)
    {
        CheckComponent(interfaceName, nameof(interfaceName));
        CheckComponent(key, nameof(key));
        return "/proc/sys/net/" + family + "/conf/" + interfaceName + "/" + key;
    }

    private static void CheckComponent(string value, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, name);
        if (value.Contains('/', StringComparison.Ordinal) || value is "." or "..")
        {
            throw new ArgumentException("Not a single path component: " + value, name);
        }
    }
}
