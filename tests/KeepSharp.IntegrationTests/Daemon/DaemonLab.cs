using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Daemon;

/// <summary>
/// The lab topology (two hosts and a client on one bridge) with keepsharp configured per test:
/// for daemon behaviour that is not failover (addresses, drops, pid files, detaching).
/// </summary>
internal sealed class DaemonLab : IDisposable
{
    private readonly List<LabDaemon> _daemons = [];

    public DaemonLab(ITestOutputHelper output)
    {
        Assert.True(Environment.IsPrivilegedProcess, "daemon netns tests need root (network namespaces)");
        Binary = KeepSharpProcess.BinaryPath;
        Timeline = new Timeline(output.WriteLine);
        Topology = LabTopology.Create(Timeline);
    }

    public string Binary { get; }
    public Timeline Timeline { get; }
    public LabTopology Topology { get; }

    /// <summary>A seed-like instance: VRID 51, advert_int 1, PASS 1111, on eth0.</summary>
    public static string Config(string routerId, string state, int priority, string virtualAddresses = "10.51.0.161", string extra = "") => $$"""
        global_defs {
           router_id {{routerId}}
        }
        vrrp_instance VI_1 {
            state {{state}}
            interface eth0
            virtual_router_id 51
            priority {{priority}}
            advert_int 1
            authentication {
                auth_type PASS
                auth_pass 1111
            }
            {{extra}}
            virtual_ipaddress {
                {{virtualAddresses}}
            }
        }
        """;

    public string WriteConfig(LabHost host, string text)
    {
        string path = Path.Combine(host.RunDir, "keepalived.conf");
        File.WriteAllText(path, text);
        return path;
    }

    public LabDaemon StartKeepSharp(LabHost host, string config, bool detailLog = true)
    {
        var daemon = new KeepSharpDaemon(host, WriteConfig(host, config), Binary, Timeline) { DetailLog = detailLog };
        _daemons.Add(daemon);
        daemon.Start();
        return daemon;
    }

    /// <summary>Stops and disposes <paramref name="daemon"/> with the lab (for daemons started by other means).</summary>
    public void Track(LabDaemon daemon) => _daemons.Add(daemon);

    public string Addresses(LabHost host) =>
        Sh.Run("ip", "-n", host.Netns, "-o", "-4", "addr", "show", "dev", LabTopology.Interface).StdOut;

    public string Log(LabDaemon daemon) => File.Exists(daemon.LogFile) ? File.ReadAllText(daemon.LogFile) : "";

    /// <summary>Polls <paramref name="condition"/> every 20 ms until it holds or <paramref name="timeout"/> passes.</summary>
    public static bool WaitFor(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
                return true;
            Thread.Sleep(20);
        }
        return condition();
    }

    public void Dispose()
    {
        foreach (LabDaemon daemon in _daemons)
        {
            daemon.StopGracefully(TimeSpan.FromSeconds(5));
            daemon.Dispose();
        }
        Topology.Dispose();
    }
}
