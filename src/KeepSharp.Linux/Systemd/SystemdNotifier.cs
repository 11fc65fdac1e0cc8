using System.Globalization;
using System.Text;
using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux.Systemd;

/// <summary>
/// sd_notify(3) without libsystemd: datagrams to the AF_UNIX socket systemd names in <c>$NOTIFY_SOCKET</c>
/// (a path, or an abstract name written with a leading '@'). With no socket named every call is a no-op, so a
/// daemon not started by systemd (or by a <c>Type=</c> other than notify) behaves as before. The socket is opened
/// once; sends never block (MSG_DONTWAIT: a message systemd cannot queue is dropped and counted, never waited
/// for) and the fixed messages are preallocated, so <see cref="Watchdog"/> allocates nothing. Thread-safe: every
/// send is one sendto(2) of one datagram.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    public const string SocketVariable = "NOTIFY_SOCKET";
    public const string WatchdogUsecVariable = "WATCHDOG_USEC";
    public const string WatchdogPidVariable = "WATCHDOG_PID";

    /// <summary>sizeof(struct sockaddr_un.sun_path).</summary>
    private const int SunPathLength = 108;
    private const int SunPathOffset = 2;

    private static readonly byte[] ReadyMessage = "READY=1"u8.ToArray();
    private static readonly byte[] StoppingMessage = "STOPPING=1"u8.ToArray();
    private static readonly byte[] WatchdogMessage = "WATCHDOG=1"u8.ToArray();

    private readonly FileDescriptorHandle? _socket;
    private readonly byte[] _address = new byte[SunPathOffset + SunPathLength];
    private readonly uint _addressLength;
    private long _failedSends;
    private int _lastErrno;

    /// <summary>
    /// A notifier for the socket <paramref name="notifySocket"/> (as <c>$NOTIFY_SOCKET</c> gives it; null or empty:
    /// disabled). <paramref name="watchdogUsec"/> and <paramref name="watchdogPid"/> are <c>$WATCHDOG_USEC</c> and
    /// <c>$WATCHDOG_PID</c>; the watchdog applies when the first is a positive number of microseconds and the second
    /// is unset or equal to <paramref name="processId"/> (default: this process), as sd_watchdog_enabled(3) decides.
    /// </summary>
    public SystemdNotifier(string? notifySocket, string? watchdogUsec = null, string? watchdogPid = null, int? processId = null)
    {
        SocketName = string.IsNullOrEmpty(notifySocket) ? null : notifySocket;
        if (SocketName is null)
            return;
        if (!TryEncodeAddress(SocketName, _address, out _addressLength, out string? problem))
        {
            Problem = problem;
            return;
        }
        int fd = Libc.Socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            Problem = $"cannot open a socket for {SocketVariable}={SocketName}: {Errno.Describe(Libc.LastErrno)}";
            return;
        }
        _socket = new FileDescriptorHandle(fd);
        WatchdogTimeout = ParseWatchdog(watchdogUsec, watchdogPid, processId ?? Environment.ProcessId);
    }

    /// <summary>The notifier the process environment asks for (<c>$NOTIFY_SOCKET</c>, <c>$WATCHDOG_USEC</c>, <c>$WATCHDOG_PID</c>).</summary>
    public static SystemdNotifier FromEnvironment() => new(
        Environment.GetEnvironmentVariable(SocketVariable),
        Environment.GetEnvironmentVariable(WatchdogUsecVariable),
        Environment.GetEnvironmentVariable(WatchdogPidVariable));

    /// <summary><c>$NOTIFY_SOCKET</c> as given, or null.</summary>
    public string? SocketName { get; }

    /// <summary>True when messages are sent; false when no socket was named, or it could not be used (<see cref="Problem"/>).</summary>
    public bool IsEnabled => _socket is not null;

    /// <summary>Why a named socket is not used (an address systemd would not give, or socket(2) failed); null otherwise.</summary>
    public string? Problem { get; }

    /// <summary>systemd's WatchdogSec= for this process (<c>$WATCHDOG_USEC</c>); null when there is no watchdog, or it is another process's.</summary>
    public TimeSpan? WatchdogTimeout { get; }

    /// <summary>How often to send <c>WATCHDOG=1</c>: half the timeout, as sd_watchdog_enabled(3) recommends; null without a watchdog.</summary>
    public TimeSpan? WatchdogInterval => WatchdogTimeout / 2;

    /// <summary>Messages not delivered (systemd's queue full, the socket gone).</summary>
    public long FailedSends => Interlocked.Read(ref _failedSends);

    /// <summary>errno of the last failed send (0 when none failed).</summary>
    public int LastErrno => _lastErrno;

    /// <summary><c>READY=1</c>: startup finished (or a reload did, after <see cref="Reloading"/>).</summary>
    public bool Ready() => Send(ReadyMessage);

    /// <summary><c>STOPPING=1</c>: a stop has begun.</summary>
    public bool Stopping() => Send(StoppingMessage);

    /// <summary><c>WATCHDOG=1</c>: the service is alive. Allocates nothing.</summary>
    public bool Watchdog() => Send(WatchdogMessage);

    /// <summary>
    /// <c>RELOADING=1</c> with <c>MONOTONIC_USEC</c> (CLOCK_MONOTONIC now, in µs), as <c>Type=notify-reload</c>
    /// requires: a reload has begun; send <see cref="Ready"/> when it is done (whether or not it was applied).
    /// </summary>
    public bool Reloading() => !IsEnabled || Send(Encoding.ASCII.GetBytes(ReloadingMessage(MonotonicMicroseconds())));

    /// <summary>The text of the <see cref="Reloading"/> message for a CLOCK_MONOTONIC reading in µs.</summary>
    public static string ReloadingMessage(long monotonicMicroseconds) =>
        string.Create(CultureInfo.InvariantCulture, $"RELOADING=1\nMONOTONIC_USEC={monotonicMicroseconds}");

    /// <summary>CLOCK_MONOTONIC now, in microseconds (the clock systemd compares MONOTONIC_USEC with).</summary>
    public static unsafe long MonotonicMicroseconds()
    {
        Libc.TimeSpec now;
        if (Libc.ClockGetTime(Libc.CLOCK_MONOTONIC, &now) != 0)
            throw new InvalidOperationException($"clock_gettime(CLOCK_MONOTONIC): {Errno.Describe(Libc.LastErrno)}");
        return now.Seconds * 1_000_000 + now.Nanoseconds / 1_000;
    }

    /// <summary>Sends one message (newline-separated assignments) as one datagram; true when delivered or disabled.</summary>
    public unsafe bool Send(ReadOnlySpan<byte> message)
    {
        if (_socket is null)
            return true;
        nint sent;
        fixed (byte* text = message)
        fixed (byte* address = _address)
        {
            sent = Libc.SendTo(_socket, text, (nuint)message.Length, Libc.MSG_DONTWAIT, address, _addressLength);
        }
        if (sent == message.Length)
            return true;
        _lastErrno = sent < 0 ? Libc.LastErrno : Errno.EMSGSIZE;
        Interlocked.Increment(ref _failedSends);
        return false;
    }

    /// <summary>
    /// The watchdog timeout <c>$WATCHDOG_USEC</c> gives this process: a positive integer of microseconds, and
    /// <c>$WATCHDOG_PID</c> unset or equal to <paramref name="processId"/>. Anything else: null (no watchdog).
    /// </summary>
    public static TimeSpan? ParseWatchdog(string? watchdogUsec, string? watchdogPid, int processId)
    {
        if (string.IsNullOrEmpty(watchdogUsec)
            || !ulong.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out ulong usec)
            || usec == 0 || usec > (ulong)(TimeSpan.MaxValue.Ticks / TimeSpan.TicksPerMicrosecond))
            return null;
        if (!string.IsNullOrEmpty(watchdogPid)
            && (!int.TryParse(watchdogPid, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid != processId))
            return null;
        return TimeSpan.FromMicroseconds(usec);
    }

    /// <summary>
    /// struct sockaddr_un for <paramref name="name"/> as sd_notify builds it: an absolute path (NUL-terminated, the
    /// NUL counted), or '@' for the abstract namespace (a leading NUL instead of '@', no terminator counted).
    /// </summary>
    internal static bool TryEncodeAddress(string name, Span<byte> address, out uint length, out string? problem)
    {
        length = 0;
        problem = null;
        address.Clear();
        bool isAbstract = name.StartsWith('@');
        if (!isAbstract && !name.StartsWith('/'))
        {
            problem = $"{SocketVariable}={name} is neither an absolute path nor an abstract '@' name; not notifying systemd";
            return false;
        }
        int bytes = Encoding.UTF8.GetByteCount(name);
        // A path needs room for its NUL; an abstract name uses every byte after the leading NUL.
        if (bytes >= SunPathLength + (isAbstract ? 1 : 0) || bytes < 2)
        {
            problem = $"{SocketVariable}={name} does not fit a Unix socket address; not notifying systemd";
            return false;
        }
        address[0] = (byte)Libc.AF_UNIX; // sa_family_t, little-endian (x86_64, arm64)
        address[1] = 0;
        Encoding.UTF8.GetBytes(name, address[SunPathOffset..]);
        if (isAbstract)
            address[SunPathOffset] = 0;
        length = (uint)(SunPathOffset + bytes + (isAbstract ? 0 : 1));
        return true;
    }

    public void Dispose() => _socket?.Dispose();
}
