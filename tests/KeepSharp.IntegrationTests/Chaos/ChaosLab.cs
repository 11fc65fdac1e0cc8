using System.Globalization;
using KeepSharp.IntegrationTests.Daemon;
using KeepSharp.IntegrationTests.HealthChecks;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Chaos;

/// <summary>
/// The chaos rig: the lab (h171, h172, optionally more hosts, a client, one bridge), nginx on every host answering with
/// its name, the client probing the VIP every 10 ms, and a sampler recording who holds the VIP every ~20 ms, so a
/// scenario can report the client-seen outage and how long two hosts held the VIP. VRRPv3 with short advert intervals.
/// Everything (processes, namespaces, and the nft table, which lives in the LAN namespace) goes with Dispose.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class ChaosLab : IDisposable
{
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;
    public const int SIGKILL = 9;

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    /// <summary>
    /// SIGCONT to the parent of <paramref name="pid"/> when it is stopped: nsenter stops itself when its child stops
    /// (util-linux's continue_as_child) and stays stopped when the child is continued directly.
    /// </summary>
    public static void ContinueParent(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        int ppid = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        string pstat = File.ReadAllText($"/proc/{ppid}/stat");
        if (pstat[(pstat.LastIndexOf(')') + 2)..].StartsWith('T'))
            kill(ppid, SIGCONT);
    }

    /// <summary>Sends a signal to a pid of the root pid namespace.</summary>
    public static void Signal(int pid, int sig) => Assert.True(pid > 0 && kill(pid, sig) == 0, $"kill({pid}, {sig}) failed");
    private readonly ITestOutputHelper _output;
    private readonly List<LabHost> _hosts = [];
    private readonly List<(double Ms, bool[] Held)> _samples = [];
    private readonly Lock _lock = new();
    private Thread? _sampler;
    private volatile bool _stop;
    private bool _nft;

    public ChaosLab(ITestOutputHelper output, int extraHosts = 0)
    {
        _output = output;
        // The daemons inherit this: a 4 MB gen0 budget (the default follows the L3 cache, tens of MB), so RSS that
        // grows is memory kept, not garbage the GC has not yet been asked to collect.
        Environment.SetEnvironmentVariable("DOTNET_GCgen0size", "0x400000");
        Lab = new DaemonLab(output);
        _hosts.Add(Lab.Topology.H171);
        _hosts.Add(Lab.Topology.H172);
        for (int i = 0; i < extraHosts; i++)
            _hosts.Add(Lab.Topology.AddHost(173 + i));
        foreach (LabHost h in _hosts)
            Nginx.Start(h);
    }

    public DaemonLab Lab { get; }
    public LabTopology Topology => Lab.Topology;
    public Timeline Timeline => Lab.Timeline;
    public IReadOnlyList<LabHost> Hosts => _hosts;
    public ClientProbe? Probe { get; private set; }
    public AdvertWatcher? Adverts { get; private set; }

    /// <summary>Master_Down_Interval of VRRPv3 (RFC 9568): 3 × interval + Skew_Time, Skew = (256 − priority) × interval / 256.</summary>
    public static double MasterDownMs(double advertIntSeconds, int priority) =>
        (3 * advertIntSeconds + (256 - priority) * advertIntSeconds / 256) * 1000;

    /// <summary>A VRRPv3 instance (VRID 51, VIP 10.51.0.161 on eth0) with a short advert interval.</summary>
    public static string Config(string routerId, string state, int priority, double advertInt, string prefix = "", string extra = "", string globals = "") =>
        $$"""
        global_defs {
           router_id {{routerId}}
           script_user root
           {{globals}}
        }
        {{prefix}}
        vrrp_instance VI_1 {
            state {{state}}
            interface eth0
            virtual_router_id 51
            version 3
            priority {{priority}}
            advert_int {{advertInt.ToString(CultureInfo.InvariantCulture)}}
            {{extra}}
            virtual_ipaddress {
                10.51.0.161/32
            }
        }
        """;

    public LabDaemon Start(LabHost host, DaemonKind kind, string config) => TrackingLab.Start(Lab, host, kind, config);

    /// <summary>Starts the client probe, the VIP sampler and an advert watcher in the client namespace.</summary>
    public void StartWatching()
    {
        Probe = new ClientProbe(Topology.ClientNs, Topology.Vip, Timeline, cadenceMs: 10, timeoutMs: 80);
        Probe.Start();
        Adverts = new AdvertWatcher(Topology.ClientNs, Topology.ClientAddress, Timeline, a => NameOf(a.ToString()));
        Adverts.Start();
        _sampler = new Thread(SampleLoop) { IsBackground = true, Name = "chaos-vip-sampler" };
        _sampler.Start();
    }

    private string NameOf(string address) => _hosts.FirstOrDefault(h => h.Address == address)?.Name ?? address;

    private void SampleLoop()
    {
        while (!_stop)
        {
            double at = Timeline.NowMs;
            bool[] held = Holding();
            lock (_lock) _samples.Add((at, held));
            Thread.Sleep(15);
        }
    }

    /// <summary>Who holds the VIP now (every host queried in parallel).</summary>
    public bool[] Holding()
    {
        var held = new bool[_hosts.Count];
        Parallel.For(0, _hosts.Count, i =>
        {
            try { held[i] = LabTopology.HoldsAddress(_hosts[i], Topology.Vip); }
            catch (LabException) { }
        });
        return held;
    }

    public string[] Holders() => [.. _hosts.Where((_, i) => Holding()[i]).Select(h => h.Name)];

    /// <summary>Total time in [fromMs, toMs] during which at least two of <paramref name="among"/> (default: all) held the VIP.</summary>
    public double DualHoldingMs(double fromMs, double toMs, IReadOnlyList<LabHost>? among = null)
    {
        int[] idx = [.. (among ?? _hosts).Select(h => _hosts.IndexOf(h))];
        List<(double Ms, bool[] Held)> s;
        lock (_lock) s = [.. _samples];
        double total = 0;
        for (int i = 0; i + 1 < s.Count; i++)
        {
            if (s[i + 1].Ms <= fromMs || s[i].Ms >= toMs) continue;
            if (idx.Count(k => s[i].Held[k]) >= 2)
                total += Math.Min(s[i + 1].Ms, toMs) - Math.Max(s[i].Ms, fromMs);
        }
        return total;
    }

    /// <summary>The end of the last dual-holding stretch in [fromMs, toMs] (fromMs when there was none).</summary>
    public double LastDualEndMs(double fromMs, double toMs, IReadOnlyList<LabHost>? among = null)
    {
        int[] idx = [.. (among ?? _hosts).Select(h => _hosts.IndexOf(h))];
        List<(double Ms, bool[] Held)> s;
        lock (_lock) s = [.. _samples];
        double end = fromMs;
        for (int i = 0; i + 1 < s.Count; i++)
            if (s[i + 1].Ms > fromMs && s[i].Ms <= toMs && idx.Count(k => s[i].Held[k]) >= 2)
                end = s[i + 1].Ms;
        return end;
    }

    /// <summary>Waits until exactly <paramref name="holder"/> holds the VIP (among <paramref name="among"/>), polling.</summary>
    public bool WaitForSoleHolder(LabHost holder, TimeSpan timeout, IReadOnlyList<LabHost>? among = null)
    {
        var hosts = among ?? _hosts;
        return DaemonLab.WaitFor(() =>
        {
            bool[] held = Holding();
            return hosts.All(h => held[_hosts.IndexOf(h)] == (h == holder));
        }, timeout);
    }

    /// <summary>Waits until the client is answered by <paramref name="host"/> (the last 3 requests).</summary>
    public bool WaitForClient(LabHost host, TimeSpan timeout) =>
        DaemonLab.WaitFor(() => Probe!.LastAnswersFrom(host.Name, 3), timeout);

    /// <summary>Requests of the client that got no answer in [fromMs, toMs].</summary>
    public int FailedRequests(double fromMs, double toMs) =>
        Probe!.Snapshot().Count(p => p.Host is null && p.StartMs >= fromMs && p.StartMs <= toMs);

    /// <summary>Client outage after <paramref name="eventMs"/>: from the event to the first answer by <paramref name="by"/>.</summary>
    public double OutageMs(double eventMs, LabHost by)
    {
        ProbeSample? first = Probe!.FirstAnswerFrom(by.Name, eventMs);
        return first is { } f ? f.EndMs - eventMs : double.PositiveInfinity;
    }

    // ---- nftables on the LAN bridge -------------------------------------------------------------------------

    /// <summary>Adds rules to a bridge-family forward chain in the LAN namespace (table created on first use).</summary>
    public void Nft(params string[] rules)
    {
        if (!_nft)
        {
            RunNft("add table bridge chaos\nadd chain bridge chaos filter_fwd { type filter hook forward priority 0; policy accept; }\n");
            _nft = true;
        }
        RunNft(string.Concat(rules.Select(r => $"add rule bridge chaos filter_fwd {r}\n")));
        Timeline.Log("nft", string.Join("; ", rules));
    }

    /// <summary>Removes every chaos rule (the heal).</summary>
    public void NftFlush()
    {
        if (!_nft) return;
        RunNft("flush chain bridge chaos filter_fwd\n");
        Timeline.Log("nft", "rules flushed (healed)");
    }

    private void RunNft(string script)
    {
        string file = Path.Combine(Topology.WorkDir, "chaos.nft");
        File.WriteAllText(file, script);
        Sh.Run("ip", "netns", "exec", Topology.LanNs, "nft", "-f", file);
    }

    // ---- the daemon's resources ---------------------------------------------------------------------------

    public readonly record struct Resources(int Fds, int Threads, long RssKb, int Zombies, int Children);

    public static Resources Measure(int pid)
    {
        int fds = Directory.GetFiles($"/proc/{pid}/fd").Length;
        int threads = 0;
        long rss = 0;
        foreach (string line in File.ReadAllLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("Threads:", StringComparison.Ordinal)) threads = int.Parse(line[8..].Trim(), CultureInfo.InvariantCulture);
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = long.Parse(line[6..].Replace("kB", "").Trim(), CultureInfo.InvariantCulture);
        }
        return new Resources(fds, threads, rss, TrackingLab.ZombieChildren(pid), TrackingLab.ChildrenOf(pid).Count);
    }

    /// <summary>
    /// Interfaces (every one: a leaked macvlan shows), IPv4 addresses and IPv4 routes of every table of a host, for leak
    /// checks (IPv6 link-local addresses and their routes come and go with the kernel's own DAD after a link flap).
    /// </summary>
    public static string NetState(LabHost host)
    {
        string links = string.Join("\n", Sh.Run("ip", "-n", host.Netns, "-o", "link", "show").StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(':')[1].Trim()).Order(StringComparer.Ordinal));
        string addrs = string.Join("\n", Sh.Run("ip", "-n", host.Netns, "-o", "-4", "addr", "show").StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(3))).Order(StringComparer.Ordinal));
        string routes = string.Join("\n", Sh.Run("ip", "-n", host.Netns, "-4", "route", "show", "table", "all").StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Replace(" linkdown", "", StringComparison.Ordinal).Trim()).Order(StringComparer.Ordinal));
        return $"links:\n{links}\naddresses:\n{addrs}\nroutes:\n{routes}";
    }

    /// <summary>One row of the scenario table, printed to the test output.</summary>
    public void Report(string scenario, string daemon, double outageMs, double dualMs, string bound)
    {
        string line = $"CHAOS | {scenario,-34} | {daemon,-10} | outage {Fmt(outageMs),9} | dual holding {Fmt(dualMs),9} | {bound}";
        Timeline.Print(line);
        try { File.AppendAllText(Path.Combine(AppContext.BaseDirectory, "chaos-results.txt"), line + "\n"); } catch (IOException) { }
    }

    private static string Fmt(double ms) => double.IsPositiveInfinity(ms) ? "never" : double.IsNaN(ms) ? "n/a" : $"{ms:0} ms";

    public void Dispose()
    {
        _stop = true;
        _sampler?.Join(2000);
        Probe?.Dispose();
        Adverts?.Dispose();
        try { NftFlush(); } catch (LabException) { }
        try { if (_nft) RunNft("delete table bridge chaos\n"); } catch (LabException) { }
        Lab.Dispose(); // daemons, nginx, namespaces (the nft table goes with the LAN namespace in any case)
    }
}
