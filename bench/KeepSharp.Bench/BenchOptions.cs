using System.Globalization;
using KeepSharp.Lab;

namespace KeepSharp.Bench;

/// <summary>What a benchmark run measures and how long it spends on each scenario.</summary>
public sealed record BenchOptions
{
    public static readonly string[] AllScenarios = ["failover", "scale", "addresses", "footprint", "scripts"];

    public required string KeepSharpBinary { get; init; }
    /// <summary>Folder of latest.md, latest.json and charts/.</summary>
    public required string OutDir { get; init; }
    public bool Quick { get; init; }
    public IReadOnlyList<string> Scenarios { get; init; } = AllScenarios;
    public IReadOnlyList<DaemonKind> Daemons { get; init; } = [DaemonKind.KeepSharp, DaemonKind.Keepalived];

    /// <summary>Failover rounds per cell (each: a crash and a graceful failover); null = 20 (v2 at 1 s: 5; --quick: 3).</summary>
    public int? Rounds { get; init; }
    public IReadOnlyList<BenchCell> Cells { get; init; } = BenchCell.Default;
    public int ProbeCadenceMs { get; init; } = 2;

    public int ScaleInstances { get; init; } = 255;
    public double ScaleAdvertInt { get; init; } = 0.01;
    /// <summary>CPU "at start" is the window from both daemons' start to this; convergence is watched this long too.</summary>
    public double ScaleStartWindowS { get; init; } = 5;
    public double ScaleSteadyWindowS { get; init; } = 10;
    public double ScaleJitterCaptureS { get; init; } = 5;

    public IReadOnlyList<int> AddressCounts { get; init; } = [1000, 10000];
    public double ScriptsWindowS { get; init; } = 20;
    public int ScriptsCount { get; init; } = 100;

    /// <summary>perf record the KeepSharp master at scale (and report what bounds it).</summary>
    public bool Profile { get; init; }
    /// <summary>Merge into an existing latest.json (sections not run are kept).</summary>
    public bool Merge { get; init; } = true;
    public bool KeepLogs { get; init; }

    public int RoundsFor(BenchCell c) => Rounds ?? (Quick ? 3 : c.AdvertInt >= 1 ? 5 : 20);

    public string Mode => Quick ? "quick" : "full";

    /// <summary>--quick: two failover cells × 3 rounds, 255 instances with short windows, 1,000 VIPs, 10 s of scripts.</summary>
    public BenchOptions AsQuick() => this with
    {
        Quick = true,
        Cells = [BenchCell.Parse("v3-0.01-ipv4-multicast"), BenchCell.Parse("v3-0.1-ipv6-unicast")],
        ScaleStartWindowS = 5,
        ScaleSteadyWindowS = 5,
        ScaleJitterCaptureS = 3,
        AddressCounts = [1000],
        ScriptsWindowS = 10,
    };
}

/// <summary>A failover cell: protocol version, advert interval, family, transport ("v3-0.01-ipv6-unicast").</summary>
public sealed record BenchCell(int Version, double AdvertInt, IpFamily Family, bool Unicast)
{
    /// <summary>Every combination the daemons speak: v2 is IPv4 only.</summary>
    public static readonly IReadOnlyList<BenchCell> All =
    [
        .. new[] { false, true }.Select(u => new BenchCell(2, 1, IpFamily.IPv4, u)),
        .. from i in new[] { 0.1, 0.01 } from f in new[] { IpFamily.IPv4, IpFamily.IPv6 } from u in new[] { false, true }
           select new BenchCell(3, i, f, u),
    ];

    /// <summary>The default matrix (fits a ~20 min run): all of it but v3 at 0.1 s unicast (its 0.01 s cells cover unicast).</summary>
    public static readonly IReadOnlyList<BenchCell> Default = [.. All.Where(c => !(c.AdvertInt == 0.1 && c.Unicast))];

    public string Name => $"v{Version}-{AdvertInt.ToString(CultureInfo.InvariantCulture)}-{(Family == IpFamily.IPv4 ? "ipv4" : "ipv6")}-{(Unicast ? "unicast" : "multicast")}";

    public ProtocolCell Cell(DaemonKind kind) => new(Version, Family, Unicast, kind, kind, AdvertInt);

    public static BenchCell Parse(string s)
    {
        string[] p = s.Split('-');
        if (p.Length != 4 || p[0] is not ("v2" or "v3") || !double.TryParse(p[1], CultureInfo.InvariantCulture, out double i)
            || p[2] is not ("ipv4" or "ipv6") || p[3] is not ("multicast" or "unicast"))
            throw new ArgumentException($"bad cell '{s}' (e.g. v3-0.01-ipv4-multicast, v2-1-ipv4-unicast)");
        var c = new BenchCell(p[0] == "v2" ? 2 : 3, i, p[2] == "ipv4" ? IpFamily.IPv4 : IpFamily.IPv6, p[3] == "unicast");
        if (c.Version == 2 && c.Family == IpFamily.IPv6) throw new ArgumentException($"{s}: VRRPv2 is IPv4 only");
        return c;
    }
}
