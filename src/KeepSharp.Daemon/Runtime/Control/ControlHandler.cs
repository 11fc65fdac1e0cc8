using KeepSharp.Daemon.Logging;
using KeepSharp.Daemon.Runtime.Reload;
using KeepSharp.Vrrp.StateMachine;

namespace KeepSharp.Daemon.Runtime.Control;

/// <summary>
/// Serves control requests on the control socket's threads. It reaches the daemon only through its thread-safe entry
/// points (<see cref="StatusSource"/>, <see cref="VrrpDaemon.RequestReload"/>, <see cref="VrrpDaemon.WithSnapshot"/>),
/// and waits for the loop's answer with a timeout: a busy loop costs a client an error, never the loop a wait.
/// </summary>
internal sealed class ControlHandler(VrrpDaemon daemon, StatusSource status, string configFile, Log log)
{
    public static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan ReloadTimeout = TimeSpan.FromSeconds(60);

    public byte[] Handle(ControlRequest request) => request.Command switch
    {
        "status" => Status(),
        "reload" => Reload(request.ConfigFile),
        "garp" => Garp(request.Instance!),
        _ => ControlProtocol.Error($"unknown command '{request.Command}'"),
    };

    private byte[] Status() => status.Get(StatusTimeout) is { } snapshot
        ? ControlProtocol.Status(StatusReport.From(snapshot))
        : ControlProtocol.Error($"the daemon's event loop did not answer within {StatusTimeout.TotalSeconds:0} s");

    private byte[] Reload(string? validated)
    {
        if (validated is not null && !SameFile(validated, configFile))
            return ControlProtocol.Error($"the daemon runs {configFile}, not {validated}: validate that file (keepsharp reload -f {configFile})");
        log.Info("Reload requested on the control socket");
        var done = new TaskCompletionSource<ReloadReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        daemon.RequestReload(report => done.TrySetResult(report));
        return done.Task.Wait(ReloadTimeout)
            ? ControlProtocol.Reload(done.Task.Result)
            : ControlProtocol.Error($"the reload did not finish within {ReloadTimeout.TotalSeconds:0} s");
    }

    private byte[] Garp(string name)
    {
        var done = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        daemon.WithSnapshot(_ =>
        {
            VrrpInstanceRuntime? instance = daemon.Instances.FirstOrDefault(i => i.Name == name);
            if (instance is null)
            {
                done.TrySetResult(ControlProtocol.Error($"no instance {name} (instances: {string.Join(", ", daemon.Instances.Select(i => i.Name))})"));
                return;
            }
            VrrpRouter router = instance.Router;
            if (router.State != VrrpState.Master)
            {
                done.TrySetResult(ControlProtocol.Error($"({name}) is {StatusReport.StateName(router.State)}: only a master announces its addresses"));
                return;
            }
            int repeat = Math.Max(1, instance.Config.GarpMasterRepeat);
            log.Info($"({name}) sending gratuitous ARPs / unsolicited NAs for its {instance.Addresses.Count} address(es), {repeat} time(s) (keepsharp garp)");
            instance.SendGratuitousAnnouncements(router, repeat);
            done.TrySetResult(ControlProtocol.Message($"({name}) announced {instance.Addresses.Count} address(es) {repeat} time(s)"));
        });
        return done.Task.Wait(StatusTimeout)
            ? done.Task.Result
            : ControlProtocol.Error($"the daemon's event loop did not answer within {StatusTimeout.TotalSeconds:0} s");
    }

    private static bool SameFile(string a, string b)
    {
        try
        {
            return string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);
        }
        catch (Exception e) when (e is ArgumentException or IOException or NotSupportedException)
        {
            return false;
        }
    }
}
