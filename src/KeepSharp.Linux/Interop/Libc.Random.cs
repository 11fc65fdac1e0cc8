using System.Runtime.InteropServices;

namespace KeepSharp.Linux.Interop;

internal static unsafe partial class Libc
{
    /// <summary>
    /// getrandom(2) from the kernel's pool. The daemon uses it rather than <c>RandomNumberGenerator</c>, which on Linux
    /// loads OpenSSL's libcrypto (about 3.5 MB of resident memory) for a few random bytes.
    /// </summary>
    [LibraryImport("libc", EntryPoint = "getrandom", SetLastError = true)]
    internal static partial nint GetRandom(void* buffer, nuint length, uint flags);

    /// <summary>Fills <paramref name="buffer"/> from getrandom(2), retrying on EINTR and short reads.</summary>
    internal static void FillRandom(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            int filled = 0;
            while (filled < buffer.Length)
            {
                nint n = GetRandom(p + filled, (nuint)(buffer.Length - filled), 0);
                if (n < 0)
                {
                    int errno = LastErrno;
                    if (errno == Errno.EINTR)
                        continue;
                    throw new LinuxNetworkException("getrandom", errno);
                }
                filled += (int)n;
            }
        }
    }
}
