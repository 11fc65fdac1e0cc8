using System.Security.Cryptography;

namespace KeepSharp.Lab;

/// <summary>
/// The lab network: a bridge in its own namespace ("LAN"), hosts h171/h172 and a client, each its own
/// namespace with a veth eth0 to the bridge. All names carry a per-run random suffix; Dispose (also
/// reached from Ctrl-C / SIGTERM handlers and process exit) removes everything this run created.
/// </summary>
public sealed class LabTopology : IDisposable
{
    public const string Prefix = "ksl";
    public const string Subnet = "10.51.0";
    public const string Interface = "eth0";

    private static readonly List<LabTopology> Live = [];
    private static bool s_hooked;

    private readonly Timeline _timeline;
    private readonly List<string> _namespaces = [];
    private readonly List<LabHost> _hosts = [];
    private readonly Lock _disposeLock = new();
    private bool _disposed;

    public string RunId { get; }
    public string LanNs { get; }
    public string ClientNs { get; }
    public string ClientAddress => $"{Subnet}.10";
    public string Vip => $"{Subnet}.161";
    public LabHost H171 { get; private set; } = null!;
    public LabHost H172 { get; private set; } = null!;
    public string WorkDir { get; }
    /// <summary>Keep the run folder (configs, logs) after Dispose.</summary>
    public bool KeepWorkDir { get; set; }

    private LabTopology(Timeline timeline)
    {
        _timeline = timeline;
        RunId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        LanNs = $"{Prefix}-{RunId}-lan";
        ClientNs = $"{Prefix}-{RunId}-client";
        WorkDir = Path.Combine(Path.GetTempPath(), $"keepsharp-lab-{RunId}");
        Directory.CreateDirectory(WorkDir);
    }

    public static LabTopology Create(Timeline timeline)
    {
        HookProcessExit();
        var t = new LabTopology(timeline);
        lock (Live) Live.Add(t);
        try
        {
            t.Build();
            return t;
        }
        catch
        {
            t.Dispose();
            throw;
        }
    }

    private void Build()
    {
        AddNetns(LanNs);
        Sh.Run("ip", "-n", LanNs, "link", "add", "br0", "type", "bridge", "stp_state", "0", "forward_delay", "0");
        Sh.Run("ip", "-n", LanNs, "link", "set", "br0", "up");
        Sh.Run("ip", "-n", LanNs, "link", "set", "lo", "up");

        AddNetns(ClientNs);
        Wire(ClientNs, "vcli", ClientAddress);

        H171 = AddHost("keep_171", "h171", $"{Subnet}.171", "v171");
        H172 = AddHost("keep_172", "h172", $"{Subnet}.172", "v172");
        _timeline.Log("lab", $"topology up: run {RunId}; LAN bridge in {LanNs}; {H171.Netns} eth0 {H171.Address}, " +
                             $"{H172.Netns} eth0 {H172.Address}, {ClientNs} eth0 {ClientAddress}; VIP {Vip}/32");
    }

    private void AddNetns(string ns)
    {
        Sh.Run("ip", "netns", "add", ns);
        lock (_namespaces) _namespaces.Add(ns);
    }

    private void Wire(string ns, string port, string address)
    {
        Sh.Run("ip", "-n", LanNs, "link", "add", port, "type", "veth", "peer", "name", Interface, "netns", ns);
        Sh.Run("ip", "-n", LanNs, "link", "set", port, "master", "br0", "up");
        Sh.Run("ip", "-n", ns, "link", "set", "lo", "up");
        Sh.Run("ip", "-n", ns, "addr", "add", $"{address}/24", "dev", Interface);
        Sh.Run("ip", "-n", ns, "link", "set", Interface, "up");
    }

    private LabHost AddHost(string name, string shortName, string address, string port)
    {
        string ns = $"{Prefix}-{RunId}-{shortName}";
        AddNetns(ns);
        Wire(ns, port, address);
        var host = new LabHost(name, ns, address, port, Path.Combine(WorkDir, shortName), _timeline);
        lock (_hosts) _hosts.Add(host);
        host.StartInit();
        return host;
    }

    public LabHost Other(LabHost h) => h == H171 ? H172 : H171;

    /// <summary>Carrier loss on the host's eth0: its bridge-side veth goes down.</summary>
    public void CutLink(LabHost h)
    {
        Sh.Run("ip", "-n", LanNs, "link", "set", h.BridgePort, "down");
        _timeline.Log("lab", $"link cut: bridge port {h.BridgePort} down, {h.Name}'s eth0 lost carrier");
    }

    public void RestoreLink(LabHost h)
    {
        Sh.Run("ip", "-n", LanNs, "link", "set", h.BridgePort, "up");
        _timeline.Log("lab", $"link restored: bridge port {h.BridgePort} up");
    }

    /// <summary>Does the host currently carry the VIP on eth0?</summary>
    public bool HoldsVip(LabHost h)
    {
        var r = Sh.Try("ip", "-n", h.Netns, "-o", "-4", "addr", "show", "dev", Interface);
        return r.ExitCode == 0 && r.StdOut.Contains($" {Vip}/", StringComparison.Ordinal);
    }

    public void Dispose()
    {
        lock (_disposeLock)
        {
            if (_disposed) return;
            _disposed = true;
        }
        List<LabHost> hosts;
        lock (_hosts) hosts = [.. _hosts];
        _timeline.Log("lab", $"cleanup: stopping processes, removing namespaces of run {RunId}");
        Parallel.ForEach(hosts, h =>
        {
            try { h.Dispose(); } catch (Exception e) { _timeline.Log("lab", $"cleanup {h.Name}: {e.Message}"); }
        });
        List<string> namespaces;
        lock (_namespaces) namespaces = [.. _namespaces];
        namespaces.Reverse();
        foreach (string ns in namespaces)
        {
            // Only this run's names (unique suffix); retry: a dying process can hold the netns briefly.
            for (int i = 0; i < 20; i++)
            {
                if (Sh.Try("ip", "netns", "del", ns).ExitCode == 0 || !File.Exists($"/var/run/netns/{ns}")) break;
                Thread.Sleep(100);
            }
        }
        lock (Live) Live.Remove(this);
        if (!KeepWorkDir)
        {
            try { Directory.Delete(WorkDir, recursive: true); } catch (IOException) { }
        }
        _timeline.Log("lab", $"cleanup done");
    }

    private static void HookProcessExit()
    {
        lock (Live)
        {
            if (s_hooked) return;
            s_hooked = true;
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DisposeAll();
    }

    /// <summary>Removes every topology of this process (signal handlers, process exit).</summary>
    public static void DisposeAll()
    {
        List<LabTopology> all;
        lock (Live) all = [.. Live];
        foreach (var t in all)
        {
            try { t.Dispose(); } catch (Exception) { /* best effort at exit */ }
        }
    }
}
