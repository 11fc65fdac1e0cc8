namespace KeepSharp.Bench;

/// <summary>Where and when a section was measured.</summary>
/// <param name="LoadAverage">/proc/loadavg's 1-minute figure when the section ended (the machine may be shared).</param>
public sealed record Machine(string Date, int Nproc, string Cpu, string Kernel, string Keepalived, string KeepSharpCommit, string? LoadAverage = null);

/// <summary>One scenario's results: when, how (quick or full), on what machine, and its rows.</summary>
public sealed record Section<T>(string MeasuredAt, string Mode, Machine Machine, List<T> Rows, List<string> Notes);

/// <summary>Failover of one cell, one daemon pair, one kind (crash = link cut, graceful = SIGTERM), as the client saw it.</summary>
public sealed record FailoverRow(string Cell, int Version, string Family, string Transport, double AdvertInt, string Daemon,
    string Kind, string BoundName, double BoundMs, int Rounds, double? P50Ms, double? P99Ms, double? MaxMs, List<double> SamplesMs,
    List<string> Problems);

/// <summary>How many VRIDs had two holders of their VIP, or none, a given time after both daemons were started.</summary>
public sealed record ConvergencePoint(double AfterS, int TwoMasters, int NoMaster, int OnMasterHost);

/// <summary>
/// N instances at one advert interval on two hosts (keep_171 priority 150, keep_172 priority 100). MasterEntriesSteady: "Entering
/// MASTER STATE" lines of either host during the steady window (0 when nothing flaps).
/// </summary>
public sealed record ScaleRow(string Daemon, int Instances, double AdvertInt, double MasterDownIntervalMs,
    double CpuStartMaster, double CpuStartBackup, double CpuSteadyMaster, double CpuSteadyBackup, double StartWindowS, double SteadyWindowS,
    double RssStartMasterMb, double RssStartBackupMb, double RssSteadyMasterMb, double RssSteadyBackupMb,
    int ProcessesMaster, int ProcessesBackup, List<int> JitterVrids, int JitterIntervals, double? JitterP50Ms, double? JitterP99Ms,
    double? JitterMaxMs, double? MeanIntervalMs, List<ConvergencePoint> Convergence, double? AllOneMasterMs, double PollPeriodMs, int MasterEntriesSteady,
    double? BothRunningMs = null, double? OneMasterByStateMs = null, double? OneMasterAfterRunningMs = null);

/// <summary>One instance with many VIPs: from the takeover decision (its log line) to installed / announced / answering.</summary>
public sealed record AddressesRow(string Daemon, int Count, double? InstalledMs, double? AnnouncedMs, double? ClientMs,
    int InstalledSeen, int AnnouncedSeen, double? FirstGarpMs, string Note);

/// <summary>One VRRPv2 instance as master: memory, threads, descriptors, binary, start to first advert.</summary>
public sealed record FootprintRow(string Daemon, int Processes, double RssMb, int Threads, int Fds, long BinaryBytes,
    string BinaryPath, double? FirstAdvertMs);

/// <summary>N vrrp_scripts at an interval: CPU share of the daemon and of its children (the scripts).</summary>
public sealed record ScriptsRow(string Daemon, int Scripts, double IntervalS, double WindowS, double CpuDaemon, double CpuChildren, double CpuTotal);

/// <summary>latest.json: each section as last measured (a run replaces the sections it ran, keeps the others).</summary>
public sealed class BenchReport
{
    public int Schema { get; set; } = 1;
    public Machine? LastRun { get; set; }
    public Section<FailoverRow>? Failover { get; set; }
    public Section<ScaleRow>? Scale { get; set; }
    public Section<AddressesRow>? Addresses { get; set; }
    public Section<FootprintRow>? Footprint { get; set; }
    public Section<ScriptsRow>? Scripts { get; set; }
    /// <summary>perf summaries (what bounds a missed target), when --profile ran.</summary>
    public List<string> Profiles { get; set; } = [];
}
