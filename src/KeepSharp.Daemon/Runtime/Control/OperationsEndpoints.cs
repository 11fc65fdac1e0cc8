using KeepSharp.Config;
using KeepSharp.Daemon.Logging;
using KeepSharp.Daemon.Runtime.Metrics;

namespace KeepSharp.Daemon.Runtime.Control;

/// <summary>
/// The daemon's operator endpoints: the control socket (<c>control_socket</c>, default /run/keepsharp.sock) and, when
/// <c>metrics_listen</c> is set, the Prometheus endpoint. Either failing to open is logged and the daemon runs on
/// without it (VRRP matters more than its dashboard). Both read what the loop publishes through one <see cref="StatusSource"/>.
/// </summary>
internal sealed class OperationsEndpoints : IDisposable
{
    public static readonly TimeSpan MetricsSnapshotTimeout = TimeSpan.FromSeconds(2);

    private readonly ControlServer? _control;
    private readonly MetricsServer? _metrics;

    private OperationsEndpoints(ControlServer? control, MetricsServer? metrics)
    {
        _control = control;
        _metrics = metrics;
    }

    /// <summary>Before <see cref="VrrpDaemon.Run"/> (the status source hears every transition from the first).</summary>
    public static OperationsEndpoints Start(VrrpDaemon daemon, GlobalDefs globals, string configFile, string version, Log log)
    {
        var status = new StatusSource(daemon, version);
        ControlServer? control = null;
        string path = globals.ControlSocket ?? GlobalDefs.DefaultControlSocket;
        if (path.Length > 0)
        {
            try
            {
                var handler = new ControlHandler(daemon, status, Path.GetFullPath(configFile), log);
                control = ControlServer.Start(path, handler.Handle, log);
                log.Detail($"Control socket {path} (keepsharp status, reload, garp)");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
            {
                log.Warning($"No control socket: {e.Message} (keepsharp status will not reach this daemon; control_socket in global_defs sets another path)");
            }
        }
        MetricsServer? metrics = null;
        if (globals.MetricsListen is { } endpoint)
        {
            try
            {
                metrics = MetricsServer.Start(endpoint, () => status.Get(MetricsSnapshotTimeout) is { } s ? MetricsExposition.Format(StatusReport.From(s)) : null, log);
                log.Info($"Prometheus metrics on http://{MetricsServer.Format(endpoint)}/metrics");
            }
            catch (IOException e)
            {
                log.Error($"No metrics endpoint: {e.Message}");
            }
        }
        return new OperationsEndpoints(control, metrics);
    }

    public void Dispose()
    {
        _metrics?.Dispose();
        _control?.Dispose();
    }
}
