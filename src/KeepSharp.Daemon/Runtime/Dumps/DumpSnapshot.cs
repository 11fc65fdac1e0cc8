using System.Net;
using System.Net.Sockets;
using KeepSharp.Config;
using KeepSharp.Daemon.Runtime.Scripts;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Tracking;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Daemon.Runtime.Dumps;

/// <summary>
/// What the SIGUSR1/SIGUSR2/SIGRTMIN+2 files show, copied on the loop's thread (<see cref="Capture"/>) into immutable
/// values: the files are formatted and written on another thread, which never touches a live object.
/// </summary>
internal sealed record DumpSnapshot(
    DateTimeOffset TakenAt,
    GlobalsSnapshot Globals,
    IReadOnlyList<InstanceSnapshot> Instances,
    IReadOnlyList<ScriptSnapshot> Scripts,
    IReadOnlyList<InterfaceSnapshot> Interfaces,
    ProcessSnapshot Process)
{
    /// <summary>On the loop's thread only.</summary>
    public static DumpSnapshot Capture(KeepalivedConfig config, IEnumerable<InterfaceEndpoint> endpoints, IEnumerable<VrrpInstanceRuntime> instances,
        IEnumerable<VrrpScriptRunner> scripts, DateTimeOffset now)
    {
        // Read first, so the figures do not include this dump's own allocations.
        var process = new ProcessSnapshot(GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        return new DumpSnapshot(now, GlobalsSnapshot.From(config.GlobalDefs),
            [.. instances.Select(i => InstanceSnapshot.From(i, config))],
            [.. scripts.Select(s => ScriptSnapshot.From(s, config))],
            [.. endpoints.Select(InterfaceSnapshot.From)],
            process);
    }
}

internal sealed record ProcessSnapshot(long AllocatedBytes, int Gen0Collections, int Gen1Collections, int Gen2Collections);

/// <summary>The global_defs values keepalived's dump shows that KeepSharp has.</summary>
internal sealed record GlobalsSnapshot(
    string? RouterId,
    string DefaultInterface,
    bool DynamicInterfaces,
    bool NotifyPriorityChanges,
    string McastGroup4,
    string McastGroup6,
    TimeSpan GarpDelay,
    int GarpRepeat,
    TimeSpan GarpRefresh,
    int GarpRefreshRepeat,
    TimeSpan GarpLowerPrioDelay,
    int GarpLowerPrioRepeat,
    int DownTimerAdverts,
    bool LowerPrioNoAdvert,
    bool HigherPrioSendAdvert,
    TimeSpan GarpInterval,
    TimeSpan GnaInterval,
    int VrrpVersion,
    bool CheckUnicastSource,
    bool SkipCheckAdvertAddresses,
    bool Strict,
    bool ScriptSecurity,
    int JsonVersion)
{
    /// <summary>keepalived's DFLT_INT.</summary>
    public const string KeepalivedDefaultInterface = "eth0";

    public static GlobalsSnapshot From(GlobalDefs g) => new(
        g.RouterId, g.DefaultInterface ?? KeepalivedDefaultInterface, g.DynamicInterfaces, g.VrrpNotifyPriorityChanges,
        g.VrrpMcastGroup4.ToString(), g.VrrpMcastGroup6.ToString(),
        g.VrrpGarpMasterDelay, g.VrrpGarpMasterRepeat, g.VrrpGarpMasterRefresh, g.VrrpGarpMasterRefreshRepeat,
        g.VrrpGarpLowerPrioDelay, g.VrrpGarpLowerPrioRepeat, g.VrrpDownTimerAdverts, g.VrrpLowerPrioNoAdvert, g.VrrpHigherPrioSendAdvert,
        g.VrrpGarpInterval, g.VrrpGnaInterval, g.VrrpVersion, g.VrrpCheckUnicastSrc, g.VrrpSkipCheckAdvAddr, g.VrrpStrict,
        g.EnableScriptSecurity, g.JsonVersion);
}

/// <summary>One tracked object of an instance and its last result.</summary>
internal sealed record TrackerSnapshot(TrackerKind Kind, string Name, int Weight, bool Reverse, TrackerStatus Status);

/// <summary>One virtual address: keepalived's text for it (format_ipaddress) and whether it is excluded.</summary>
internal sealed record AddressSnapshot(string Text, bool Excluded);

/// <summary>A router's counters at the moment of the snapshot.</summary>
internal sealed record StatisticsSnapshot(
    long AdvertisementsReceived,
    long AdvertisementsSent,
    long BecameMaster,
    long ReleasedMaster,
    long PriorityZeroReceived,
    long PriorityZeroSent,
    long IntervalMismatchesAccepted,
    long LowerPriorityReceived,
    long OwnerConflicts,
    long PreemptDelaysStarted,
    IReadOnlyList<long> Drops)
{
    public long Dropped(VrrpDropReason reason) => Drops[(int)reason];

    public long Sum(params VrrpDropReason[] reasons) => reasons.Sum(Dropped);

    // keepalived's vrrp_stats counters (vrrp.c vrrp_check_packet), from KeepSharp's drop reasons.
    public long PacketLengthErrors => Sum(VrrpDropReason.LengthMismatch, VrrpDropReason.TooShort);
    public long TtlErrors => Sum(VrrpDropReason.TtlNot255, VrrpDropReason.TtlOutOfRange);
    public long InvalidType => Dropped(VrrpDropReason.UnknownType);
    public long AdvertisementIntervalErrors => Sum(VrrpDropReason.AdvertisementIntervalMismatch, VrrpDropReason.AdvertisementIntervalZero);
    public long AddressListErrors => Sum(VrrpDropReason.AddressListMismatch, VrrpDropReason.NoVirtualAddresses,
        VrrpDropReason.UnexpectedMulticast, VrrpDropReason.UnexpectedUnicast);
    /// <summary>An auth type that is none of 0, 1, 2: KeepSharp counts it as a type mismatch (it is never ours).</summary>
    public long InvalidAuthenticationType => 0;
    public long AuthenticationTypeMismatch => Dropped(VrrpDropReason.AuthenticationTypeMismatch);
    public long AuthenticationFailure => Dropped(VrrpDropReason.AuthenticationFailure);

    public static StatisticsSnapshot From(VrrpRouterStatistics s) => new(
        s.AdvertisementsReceived, s.AdvertisementsSent, s.BecameMaster, s.ReleasedMaster, s.PriorityZeroReceived, s.PriorityZeroSent,
        s.AdvertisementIntervalMismatches, s.LowerPriorityReceived, s.OwnerConflicts, s.PreemptDelaysStarted,
        [.. Enum.GetValues<VrrpDropReason>().Select(s.Dropped)]);
}

/// <summary>One vrrp_instance: configuration, run-time state and counters.</summary>
internal sealed record InstanceSnapshot
{
    public required string Name { get; init; }
    public required int Version { get; init; }
    public string? SyncGroup { get; init; }
    public bool IPv6 { get; init; }
    public required VrrpState State { get; init; }
    public string? MasterRouter { get; init; }
    public TimeSpan MasterAdvertInterval { get; init; }
    public DateTimeOffset LastTransition { get; init; }
    public required string Interface { get; init; }
    public string? VmacInterface { get; init; }
    public bool DontTrackPrimary { get; init; }
    public bool SkipCheckAdvertAddresses { get; init; }
    public bool StrictMode { get; init; }
    public required string SourceAddress { get; init; }
    public bool SourceFromConfig { get; init; }
    public bool Unicast { get; init; }
    public bool UnicastFaultNoPeer { get; init; }
    public string? McastGroup { get; init; }
    public int UnicastTtl { get; init; } = 255;
    public bool CheckUnicastSource { get; init; }
    public IReadOnlyList<string> UnicastPeers { get; init; } = [];
    public TimeSpan GarpDelay { get; init; }
    public int GarpRepeat { get; init; }
    public TimeSpan GarpRefresh { get; init; }
    public int GarpRefreshRepeat { get; init; }
    public TimeSpan GarpLowerPrioDelay { get; init; }
    public int GarpLowerPrioRepeat { get; init; }
    public int DownTimerAdverts { get; init; }
    public bool LowerPrioNoAdvert { get; init; }
    public bool HigherPrioSendAdvert { get; init; }
    public required byte VirtualRouterId { get; init; }
    public required int BasePriority { get; init; }
    public required int EffectivePriority { get; init; }
    public int TotalPriority { get; init; }
    public required TimeSpan AdvertInterval { get; init; }
    public bool Accept { get; init; }
    public bool NoPreempt { get; init; }
    public TimeSpan PreemptDelay { get; init; }
    public bool AddressesInstalled { get; init; }
    /// <summary>0 none, 1 PASS, 2 AH (the wire's values).</summary>
    public int AuthType { get; init; }
    public string? Password { get; init; }
    public IReadOnlyList<AddressSnapshot> Addresses { get; init; } = [];
    public int VirtualRoutes { get; init; }
    public int VirtualRules { get; init; }
    public IReadOnlyList<TrackerSnapshot> Trackers { get; init; } = [];
    public IReadOnlyList<(string Kind, string Command)> NotifyScripts { get; init; } = [];
    /// <summary>The commands of the tracked vrrp_scripts (keepalived's JSON lists commands, not names).</summary>
    public IReadOnlyList<string> TrackScriptCommands { get; init; } = [];
    public bool NotifyPriorityChanges { get; init; }
    public required StatisticsSnapshot Statistics { get; init; }

    public static InstanceSnapshot From(VrrpInstanceRuntime runtime, KeepalivedConfig config)
    {
        VrrpInstance c = runtime.Config;
        VrrpRouter r = runtime.Router;
        HashSet<IPAddress> excluded = [.. c.VirtualIpAddressesExcluded.Select(v => v.Address)];
        IPAddress? configuredSource = TransportSettingsFactory.SourceAddress(c);
        InstanceTracking? tracking = runtime.Tracking;
        return new InstanceSnapshot
        {
            Name = c.Name,
            Version = r.Settings.Version,
            SyncGroup = c.SyncGroup,
            IPv6 = c.AddressFamily == AddressFamily.InterNetworkV6,
            State = r.State,
            MasterRouter = r.State == VrrpState.Backup && r.MasterAddress != default ? r.MasterAddress.ToString() : null,
            MasterAdvertInterval = r.MasterAdvertisementInterval,
            LastTransition = runtime.LastTransition,
            Interface = c.Interface,
            VmacInterface = c.UseVmac ? runtime.Endpoint.Name != c.Interface ? runtime.Endpoint.Name : c.VmacName : null,
            DontTrackPrimary = c.DontTrackPrimary,
            SkipCheckAdvertAddresses = c.SkipCheckAdvAddr,
            StrictMode = c.StrictMode,
            SourceAddress = r.Settings.PrimaryAddress.ToString(),
            SourceFromConfig = configuredSource is not null,
            Unicast = TransportSettingsFactory.IsUnicast(c),
            UnicastFaultNoPeer = c.UnicastFaultNoPeer,
            McastGroup = TransportSettingsFactory.IsUnicast(c) ? null : runtime.Transport.MulticastGroup.ToString(),
            UnicastTtl = c.UnicastTtl,
            CheckUnicastSource = c.CheckUnicastSource,
            UnicastPeers = [.. c.UnicastPeers.Select(p => $"{p.Address} min_ttl {p.MinTtl ?? UnicastPeer.MinTtlValue} max_ttl {p.MaxTtl ?? UnicastPeer.MaxTtlValue}")],
            GarpDelay = c.GarpMasterDelay,
            GarpRepeat = c.GarpMasterRepeat,
            GarpRefresh = c.GarpMasterRefresh,
            GarpRefreshRepeat = c.GarpMasterRefreshRepeat,
            GarpLowerPrioDelay = c.GarpLowerPrioDelay,
            GarpLowerPrioRepeat = c.GarpLowerPrioRepeat,
            DownTimerAdverts = c.DownTimerAdverts,
            LowerPrioNoAdvert = c.LowerPrioNoAdvert,
            HigherPrioSendAdvert = c.HigherPrioSendAdvert,
            VirtualRouterId = c.VirtualRouterId,
            BasePriority = r.BasePriority,
            EffectivePriority = r.Priority,
            TotalPriority = tracking?.TotalPriority ?? r.BasePriority,
            AdvertInterval = r.Settings.AdvertisementInterval,
            Accept = c.Accept,
            NoPreempt = c.NoPreempt,
            PreemptDelay = c.PreemptDelay,
            AddressesInstalled = runtime.AddressesInstalled,
            AuthType = c.Authentication is null ? 0 : c.Authentication.Type == VrrpAuthType.Pass ? 1 : 2,
            Password = c.Authentication?.Password,
            Addresses = [.. runtime.Addresses.Select(a => new AddressSnapshot(AddressText(a, runtime.AddressesInstalled), excluded.Contains(a.Address)))],
            VirtualRoutes = c.VirtualRoutes.Count,
            VirtualRules = c.VirtualRules.Count,
            Trackers = tracking is null ? [] : [.. tracking.Trackers.Select(t => new TrackerSnapshot(t.Kind, t.Name, t.Weight, t.Reverse, tracking.StatusOf(t.Kind, t.Name)))],
            NotifyScripts = NotifyScriptsOf(c),
            TrackScriptCommands = tracking is null ? [] : [.. tracking.Trackers.Where(t => t.Kind == TrackerKind.Script)
                .Select(t => config.VrrpScripts.FirstOrDefault(s => s.Name == t.Name)?.Script ?? t.Name)],
            NotifyPriorityChanges = c.NotifyPriorityChanges ?? false,
            Statistics = StatisticsSnapshot.From(r.Statistics),
        };
    }

    private static (string, string)[] NotifyScriptsOf(VrrpInstance c)
    {
        List<(string, string)> scripts = [];
        void Add(string kind, string? command)
        {
            if (command is not null)
                scripts.Add((kind, command));
        }
        Add("Backup", c.NotifyBackup);
        Add("Master", c.NotifyMaster);
        Add("Fault", c.NotifyFault);
        Add("Stop", c.NotifyStop);
        Add("Generic", c.Notify);
        return [.. scripts];
    }

    /// <summary>keepalived's format_ipaddress: address[/prefix] [brd B] dev D scope S [label L] [set].</summary>
    public static string AddressText(VirtualAddressBinding a, bool installed)
    {
        bool host = a.PrefixLength == (a.Address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32);
        var text = new System.Text.StringBuilder();
        text.Append(a.Address);
        if (!host)
            text.Append('/').Append(a.PrefixLength);
        if (a.Broadcast is { } brd && a.Address.AddressFamily == AddressFamily.InterNetwork && !brd.Equals(IPAddress.Any))
            text.Append(" brd ").Append(brd);
        text.Append(" dev ").Append(a.InterfaceName);
        text.Append(" scope ").Append(ScopeName(a.Scope));
        if (a.Label is not null)
            text.Append(" label ").Append(a.Label);
        if (installed)
            text.Append(" set");
        return text.ToString();
    }

    /// <summary>iproute2's rt_scopes names (keepalived's get_rttables_scope).</summary>
    public static string ScopeName(byte scope) => scope switch
    {
        0 => "global",
        200 => "site",
        253 => "link",
        254 => "host",
        255 => "nowhere",
        _ => scope.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>One vrrp_script and its last result.</summary>
internal sealed record ScriptSnapshot(string Name, string Command, TimeSpan Interval, TimeSpan Timeout, int Weight, bool Reverse, int Rise, int Fall,
    int Result, TrackerStatus Status, IReadOnlyList<(string Instance, int Weight, bool Reverse)> TrackedBy)
{
    public static ScriptSnapshot From(VrrpScriptRunner runner, KeepalivedConfig config)
    {
        VrrpScript script = config.VrrpScripts.First(s => s.Name == runner.Name);
        var trackedBy = config.VrrpInstances
            .SelectMany(i => i.TrackScripts.Where(t => t.Name == script.Name)
                .Select(t => (i.Name, t.Weight ?? script.Weight, t.Weight is null ? script.WeightReverse : t.WeightReverse)))
            .ToArray();
        return new ScriptSnapshot(script.Name, script.Script, script.Interval, runner.Timeout, script.Weight, script.WeightReverse,
            runner.Tracker.Rise, runner.Tracker.Fall, runner.Tracker.Result, runner.Tracker.Status, trackedBy);
    }
}

/// <summary>One receive socket (interface and family): what it dropped before any router saw it.</summary>
internal sealed record InterfaceSnapshot(string Name, long Received, IReadOnlyList<long> Drops)
{
    public static InterfaceSnapshot From(InterfaceEndpoint endpoint) =>
        new(endpoint.Description, endpoint.Receiver.Received, [.. Enum.GetValues<VrrpDropReason>().Select(endpoint.Receiver.Dropped)]);
}
