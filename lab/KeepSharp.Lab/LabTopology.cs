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
    /// <summary>The IPv6 ULA prefix of an IPv6 lab (hosts fd00:51::171/172, client fd00:51::10).</summary>
    public const string Subnet6 = "fd00:51:";

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
    /// <summary>The client's IPv6 address (IPv6 labs only).</summary>
    public string ClientAddress6 => $"{Subnet6}:10";
    /// <summary>The VIP the client probes and the watchers follow: 10.51.0.161, or fd00:51::161 in an IPv6 lab.</summary>
    public string Vip { get; }
    /// <summary>
    /// Dual-stack lab: every namespace also gets an fd00:51::/64 address (DAD off, so addresses and VIPs are
    /// usable at once) and the bridge floods multicast (no MLD snooping), as a plain switch does.
    /// </summary>
    public bool IPv6 { get; }
    public LabHost H171 { get; private set; } = null!;
    public LabHost H172 { get; private set; } = null!;
    public string WorkDir { get; }
    /// <summary>Keep the run folder (configs, logs) after Dispose.</summary>
    public bool KeepWorkDir { get; set; }

    private LabTopology(Timeline timeline, bool ipv6)
    {
        _timeline = timeline;
        IPv6 = ipv6;
        Vip = ipv6 ? $"{Subnet6}:161" : $"{Subnet}.161";
        RunId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        LanNs = $"{Prefix}-{RunId}-lan";
        ClientNs = $"{Prefix}-{RunId}-client";
        WorkDir = Path.Combine(Path.GetTempPath(), $"keepsharp-lab-{RunId}");
        Directory.CreateDirectory(WorkDir);
    }

    public static LabTopology Create(Timeline timeline) => Create(timeline, ipv6: false);

    /// <summary>Builds the lab; with <paramref name="ipv6"/> dual-stack (see <see cref="IPv6"/>).</summary>
    public static LabTopology Create(Timeline timeline, bool ipv6)
    {
        HookProcessExit();
        var t = new LabTopology(timeline, ipv6);
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

    /// <summary>
    /// A switch does not run the host's iptables: where br_netfilter is loaded (the sysctls exist), every new namespace
    /// starts with bridged frames passed through the ip/ip6/arp tables hooks, and on veth that work runs inside the
    /// sender's system call, so it would be charged to whichever daemon sends (a third of a master's CPU at 25,500 adverts
    /// a second). The chaos rules are nftables' bridge family, which does not depend on it.
    /// </summary>
    private void PlainSwitch()
    {
        foreach (string table in new[] { "iptables", "ip6tables", "arptables" })
        {
            if (File.Exists($"/proc/sys/net/bridge/bridge-nf-call-{table}"))
                Sh.Run(["ip", "netns", "exec", LanNs, "sysctl", "-q", "-w", $"net.bridge.bridge-nf-call-{table}=0"], check: false);
        }
    }

    private void Build()
    {
        AddNetns(LanNs);
        Sh.Run("ip", "-n", LanNs, "link", "add", "br0", "type", "bridge", "stp_state", "0", "forward_delay", "0");
        if (IPv6) Sh.Run("ip", "-n", LanNs, "link", "set", "br0", "type", "bridge", "mcast_snooping", "0");
        Sh.Run("ip", "-n", LanNs, "link", "set", "br0", "up");
        Sh.Run("ip", "-n", LanNs, "link", "set", "lo", "up");
        PlainSwitch();

        AddNetns(ClientNs);
        Wire(ClientNs, "vcli", ClientAddress, IPv6 ? ClientAddress6 : null);

        H171 = AddHost("keep_171", "h171", $"{Subnet}.171", "v171");
        H172 = AddHost("keep_172", "h172", $"{Subnet}.172", "v172");
        _timeline.Log("lab", $"topology up: run {RunId}; LAN bridge in {LanNs}; {H171.Netns} eth0 {H171.Address}, " +
                             $"{H172.Netns} eth0 {H172.Address}, {ClientNs} eth0 {ClientAddress}; VIP {Vip}" +
                             (IPv6 ? $"; IPv6 {H171.Address6}, {H172.Address6}, client {ClientAddress6}" : "/32"));
    }

    private void AddNetns(string ns)
    {
        Sh.Run("ip", "netns", "add", ns);
        lock (_namespaces) _namespaces.Add(ns);
    }

    private void Wire(string ns, string port, string address, string? address6 = null)
    {
        Sh.Run("ip", "-n", LanNs, "link", "add", port, "type", "veth", "peer", "name", Interface, "netns", ns);
        Sh.Run("ip", "-n", LanNs, "link", "set", port, "master", "br0", "up");
        Sh.Run("ip", "-n", ns, "link", "set", "lo", "up");
        Sh.Run("ip", "-n", ns, "addr", "add", $"{address}/24", "dev", Interface);
        if (address6 is not null)
        {
            // No duplicate address detection: the link-local, the ULA and the VIPs are usable at once
            // (eth0 exists already, so its own setting too, not only default).
            Sh.Run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0",
                "net.ipv6.conf.default.accept_dad=0", $"net.ipv6.conf.{Interface}.accept_dad=0",
                "net.ipv6.conf.all.disable_ipv6=0", $"net.ipv6.conf.{Interface}.disable_ipv6=0");
            Sh.Run("ip", "-n", ns, "addr", "add", $"{address6}/64", "dev", Interface, "nodad");
        }
        Sh.Run("ip", "-n", ns, "link", "set", Interface, "up");
    }

    private LabHost AddHost(string name, string shortName, string address, string port)
    {
        string ns = $"{Prefix}-{RunId}-{shortName}";
        AddNetns(ns);
        string? address6 = IPv6 ? $"{Subnet6}:{address[(address.LastIndexOf('.') + 1)..]}" : null;
        Wire(ns, port, address, address6);
        var host = new LabHost(name, ns, address, port, Path.Combine(WorkDir, shortName), _timeline) { Address6 = address6 };
        lock (_hosts) _hosts.Add(host);
        host.StartInit();
        return host;
    }

    /// <summary>
    /// One more host on the bridge (a third router, say): namespace <c>h{octet}</c>, eth0 at 10.51.0.<paramref name="octet"/>,
    /// named keep_<paramref name="octet"/>, removed with the lab like the others. IPv4 labs only.
    /// </summary>
    public LabHost AddHost(int octet)
    {
        if (IPv6) throw new LabException("AddHost: IPv4 labs only");
        if (octet is < 1 or > 254 or 10 or 171 or 172) throw new LabException($"AddHost: 10.51.0.{octet} is taken or invalid");
        LabHost host = AddHost($"keep_{octet}", $"h{octet}", $"{Subnet}.{octet}", $"v{octet}");
        _timeline.Log("lab", $"host added: {host.Netns} eth0 {host.Address}");
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

    /// <summary>Does the host currently carry the VIP (on eth0, or on a VMAC interface with use_vmac)?</summary>
    public bool HoldsVip(LabHost h) => HoldsAddress(h, Vip);

    /// <summary>Does the host carry <paramref name="address"/> on any interface (IPv4 or IPv6)?</summary>
    public static bool HoldsAddress(LabHost h, string address)
    {
        var r = Sh.Try("ip", "-n", h.Netns, "-o", "addr", "show");
        return r.ExitCode == 0 && r.StdOut.Contains($" {address}/", StringComparison.Ordinal);
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
