using KeepSharp.Linux;

namespace KeepSharp.Daemon.Logging;

/// <summary>syslog(3) with the identity "Keepalived_vrrp" and facility LOG_DAEMON or LOG_LOCAL0-7 (<c>-S</c>), as keepalived logs.</summary>
internal sealed class SyslogLogSink : ILogSink
{
    public SyslogLogSink(int? localFacility) => Syslog.Open("Keepsharp_vrrp", localFacility);

    public void Write(DateTime time, LogLevel level, string message) => Syslog.Write((int)level, message);

    public void Dispose() => Syslog.Close();
}
