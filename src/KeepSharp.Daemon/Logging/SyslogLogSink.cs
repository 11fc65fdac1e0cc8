using System.Net.Sockets;
using System.Text;

namespace KeepSharp.Daemon.Logging;

/// <summary>
/// syslog over the local <c>/dev/log</c> datagram socket (RFC 3164 framing, as syslog(3) writes it), with
/// facility LOG_DAEMON or LOG_LOCAL0-7 (<c>-S</c>). Where no syslog daemon listens, messages are dropped.
/// </summary>
internal sealed class SyslogLogSink : ILogSink
{
    private const string DevLog = "/dev/log";
    private const int LogDaemon = 3;
    private const int LogLocal0 = 16;

    private readonly int _facility;
    private readonly string _tag = $"Keepsharp_vrrp[{Environment.ProcessId}]";
    private Socket? _socket;

    public SyslogLogSink(int? localFacility) => _facility = localFacility is { } n ? LogLocal0 + n : LogDaemon;

    public void Write(DateTime time, LogLevel level, string message)
    {
        try
        {
            _socket ??= Connect();
            string line = $"<{_facility * 8 + (int)level}>{time:MMM dd HH:mm:ss} {_tag}: {message}";
            _socket.Send(Encoding.UTF8.GetBytes(line));
        }
        catch (SocketException)
        {
            _socket?.Dispose();
            _socket = null;
        }
    }

    private static Socket Connect()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(DevLog));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _socket?.Dispose();
}
