using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux;

/// <summary>The real-time signal range as the C library defines it (SIGRTMIN and SIGRTMAX are functions in glibc, not constants).</summary>
public static class RealtimeSignals
{
    private static readonly Lazy<int> MinValue = new(Libc.CurrentSigRtMin);
    private static readonly Lazy<int> MaxValue = new(Libc.CurrentSigRtMax);

    /// <summary>SIGRTMIN.</summary>
    public static int Min => MinValue.Value;

    /// <summary>SIGRTMAX.</summary>
    public static int Max => MaxValue.Value;
}
