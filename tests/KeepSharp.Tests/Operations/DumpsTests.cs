using KeepSharp.Config;
using KeepSharp.Daemon.CommandLine;
using KeepSharp.Daemon.Runtime.Dumps;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Tracking;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Tests.Operations;

/// <summary>
/// The SIGUSR1/SIGUSR2/SIGRTMIN+2 files formatted from a constructed snapshot, against keepalived 2.2.7's own files
/// (captured from keepalived 2.2.7 running the same instance in a network namespace: VI_1 MASTER on eth0, VRID 51,
/// priority 100, PASS 1111, two VIPs, track_script chk weight -20).
/// </summary>
public class DumpsTests
{
    /// <summary>keepalived 2.2.7's keepalived.stats for that instance (3 adverts sent, master once).</summary>
    private const string KeepalivedStats = """
        VRRP Instance: VI_1
          Advertisements:
            Received: 0
            Sent: 3
          Became master: 1
          Released master: 0
          Packet Errors:
            Length: 0
            TTL: 0
            Invalid Type: 0
            Advertisement Interval: 0
            Address List: 0
          Authentication Errors:
            Invalid Type: 0
            Type Mismatch: 0
            Failure: 0
          Priority Zero:
            Received: 0
            Sent: 0

        """;

    /// <summary>keepalived 2.2.7's keepalived.json for it (its last_transition, and its script path resolved to /usr/bin/true).</summary>
    private const string KeepalivedJson = """
        [{"data":{"iname":"VI_1","dont_track_primary":0,"skip_check_adv_addr":0,"strict_mode":0,"vmac_ifname":"","ifp_ifname":"eth0","master_priority":0,"last_transition":1795660580.222052,"garp_delay":5,"garp_refresh":0,"garp_rep":5,"garp_refresh_rep":1,"garp_lower_prio_delay":5,"garp_lower_prio_rep":5,"lower_prio_no_advert":0,"higher_prio_send_advert":0,"vrid":51,"base_priority":100,"effective_priority":100,"vipset":true,"promote_secondaries":false,"adver_int":1,"master_adver_int":1,"accept":1,"nopreempt":false,"preempt_delay":0,"state":2,"wantstate":2,"version":2,"smtp_alert":false,"notify_deleted":false,"vips":["10.77.0.161 dev eth0 scope global set","10.77.0.162\/24 dev eth0 scope global label eth0:1 set"],"track_script":["'\/usr\/bin\/true'"],"auth_type":1,"auth_data":"1111"},"stats":{"advert_rcvd":0,"advert_sent":3,"become_master":1,"release_master":0,"packet_len_err":0,"advert_interval_err":0,"ip_ttl_err":0,"invalid_type_rcvd":0,"addr_list_err":0,"invalid_authtype":0,"authtype_mismatch":0,"auth_failure":0,"pri_zero_rcvd":0,"pri_zero_sent":0}}]

        """;

    /// <summary>The lines of keepalived 2.2.7's keepalived.data for that instance that KeepSharp writes (the rest are LVS, SNMP, sockets, timers).</summary>
    private const string KeepalivedDataInstance = """
         VRRP Instance = VI_1
           VRRP Version = 2
           State = MASTER
           Flags: none
           Wantstate = MASTER
           Last transition = 1795660580.222052 (Thu Nov 26 02:36:20.222052 2026)
           Interface = eth0
           Using src_ip = 10.77.0.1
           Multicast address 224.0.0.18
           Gratuitous ARP delay = 5
           Gratuitous ARP repeat = 5
           Gratuitous ARP refresh = 0
           Gratuitous ARP refresh repeat = 1
           Gratuitous ARP lower priority delay = 5
           Gratuitous ARP lower priority repeat = 5
           Down timer adverts = 3
           Send advert after receive lower priority advert = true
           Send advert after receive higher priority advert = false
           Virtual Router ID = 51
           Priority = 100
           Effective priority = 100
           Total priority = 100
           Advert interval = 1 sec
           Accept = enabled
           Preempt = enabled
           Promote_secondaries = disabled
           Authentication type = SIMPLE_PASSWORD
           Password = 1111
           Virtual IP (2):
             10.77.0.161 dev eth0 scope global set
             10.77.0.162/24 dev eth0 scope global label eth0:1 set
           Tracked scripts :
             chk weight -20
           Using smtp notification = no
           Notify deleted = Fault
           Notify priority changes = false

        """;

    /// <summary>keepalived 2.2.7's global definitions lines that KeepSharp writes, in its order.</summary>
    private const string KeepalivedDataGlobals = """

        ------< Global definitions >------
         Router ID = keep_171
         Dynamic interfaces = false
         Default interface = eth0
         VRRP notify priority changes = false
         VRRP IPv4 mcast group = 224.0.0.18
         VRRP IPv6 mcast group = ff02::12
         Gratuitous ARP delay = 5
         Gratuitous ARP repeat = 5
         Gratuitous ARP refresh timer = 0
         Gratuitous ARP refresh repeat = 1
         Gratuitous ARP lower priority delay = 5
         Gratuitous ARP lower priority repeat = 5
         Num adverts before down = 3
         Send advert after receive lower priority advert = true
         Send advert after receive higher priority advert = false
         Gratuitous ARP interval = 0.000000
         Gratuitous NA interval = 0.000000
         VRRP default protocol version = 2
         VRRP check unicast_src = false
         VRRP skip check advert addresses = false
         VRRP strict mode = false
         Script security disabled
        ------< VRRP Topology >------

        """;

    private static readonly DateTimeOffset Transition = DateTimeOffset.FromUnixTimeMilliseconds(1795660580222).AddTicks(520);

    private static StatisticsSnapshot Stats(long sent = 3, long becameMaster = 1, params (VrrpDropReason Reason, long Count)[] drops)
    {
        long[] counts = new long[Enum.GetValues<VrrpDropReason>().Length];
        foreach (var (reason, count) in drops)
            counts[(int)reason] = count;
        return new StatisticsSnapshot(0, sent, becameMaster, 0, 0, 0, 0, 0, 0, 0, counts);
    }

    private static InstanceSnapshot Instance(StatisticsSnapshot? statistics = null) => new()
    {
        Name = "VI_1",
        Version = 2,
        State = VrrpState.Master,
        LastTransition = Transition,
        Interface = "eth0",
        SourceAddress = "10.77.0.1",
        McastGroup = "224.0.0.18",
        GarpDelay = TimeSpan.FromSeconds(5),
        GarpRepeat = 5,
        GarpRefreshRepeat = 1,
        GarpLowerPrioDelay = TimeSpan.FromSeconds(5),
        GarpLowerPrioRepeat = 5,
        DownTimerAdverts = 3,
        VirtualRouterId = 51,
        BasePriority = 100,
        EffectivePriority = 100,
        TotalPriority = 100,
        AdvertInterval = TimeSpan.FromSeconds(1),
        MasterAdvertInterval = TimeSpan.FromSeconds(1),
        Accept = true,
        AddressesInstalled = true,
        AuthType = 1,
        Password = "1111",
        Addresses =
        [
            new("10.77.0.161 dev eth0 scope global set", false),
            new("10.77.0.162/24 dev eth0 scope global label eth0:1 set", false),
        ],
        Trackers = [new TrackerSnapshot(TrackerKind.Script, "chk", -20, false, TrackerStatus.Up)],
        TrackScriptCommands = ["/usr/bin/true"],
        Statistics = statistics ?? Stats(),
    };

    private static DumpSnapshot Snapshot(int jsonVersion = 1, params InstanceSnapshot[] instances)
    {
        var globals = GlobalsSnapshot.From(new GlobalDefs { RouterId = "keep_171", JsonVersion = jsonVersion });
        long[] noDrops = new long[Enum.GetValues<VrrpDropReason>().Length];
        return new DumpSnapshot(Transition, globals, instances.Length > 0 ? instances : [Instance()],
            [new ScriptSnapshot("chk", "/usr/bin/true", TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), -20, false, 1, 1, 1, TrackerStatus.Up, [("VI_1", -20, false)])],
            [new InterfaceSnapshot("eth0", 7, noDrops)],
            new ProcessSnapshot(123456, 1, 0, 0));
    }

    [Fact]
    public void Stats_begin_with_keepalived_227s_file_line_for_line()
    {
        string stats = StatsFormat.Format(Snapshot());
        Assert.StartsWith(KeepalivedStats + "\n" + StatsFormat.DetailsHeading + "\n", stats);
    }

    [Fact]
    public void Stats_map_drop_reasons_onto_keepalived_counters_and_keep_the_reasons_in_the_details()
    {
        StatisticsSnapshot s = Stats(0, 0,
            (VrrpDropReason.LengthMismatch, 2), (VrrpDropReason.TooShort, 1),
            (VrrpDropReason.TtlNot255, 3), (VrrpDropReason.TtlOutOfRange, 1),
            (VrrpDropReason.UnknownType, 5),
            (VrrpDropReason.AdvertisementIntervalMismatch, 6), (VrrpDropReason.AdvertisementIntervalZero, 1),
            (VrrpDropReason.AddressListMismatch, 7), (VrrpDropReason.NoVirtualAddresses, 1), (VrrpDropReason.UnexpectedUnicast, 1),
            (VrrpDropReason.AuthenticationTypeMismatch, 8), (VrrpDropReason.AuthenticationFailure, 9));
        string[] lines = StatsFormat.Format(Snapshot(1, Instance(s))).Split('\n');
        Assert.Equal(
        [
            "  Packet Errors:", "    Length: 3", "    TTL: 4", "    Invalid Type: 5", "    Advertisement Interval: 7", "    Address List: 9",
            "  Authentication Errors:", "    Invalid Type: 0", "    Type Mismatch: 8", "    Failure: 9",
        ], lines[6..16]);
        int details = Array.IndexOf(lines, StatsFormat.DetailsHeading);
        Assert.Equal("", lines[details - 1]);
        // keepalived's heading appears once per instance, only in keepalived's part; the details name the reasons.
        Assert.Single(lines, l => l.StartsWith("VRRP Instance: ", StringComparison.Ordinal));
        Assert.Contains("Instance: VI_1", lines[details..]);
        Assert.Contains("    TtlNot255: 3", lines[details..]);
        Assert.Contains("    AuthenticationFailure: 9", lines[details..]);
        Assert.Contains("  Allocated bytes: 123456", lines[details..]);
        Assert.Contains("Interface: eth0", lines[details..]);
    }

    [Fact]
    public void Json_version_1_is_keepalived_227s_file()
    {
        Assert.Equal(KeepalivedJson, JsonFormat.Format(Snapshot(), 1));
    }

    [Fact]
    public void Json_version_2_puts_the_instances_in_a_named_array_and_adds_tracked_processes()
    {
        string v2 = JsonFormat.Format(Snapshot(), 2);
        string v1 = JsonFormat.Format(Snapshot(), 1);
        Assert.Equal("{\"vrrp\":" + v1.TrimEnd('\n') + "}\n", v2);

        InstanceSnapshot withProcess = Instance() with
        {
            Trackers = [.. Instance().Trackers, new TrackerSnapshot(TrackerKind.Process, "nginx", 0, false, TrackerStatus.Up)],
        };
        string json = JsonFormat.Format(Snapshot(2, withProcess), 2);
        Assert.Contains("\"track_process\":[\"nginx\"],\"auth_type\":1", json);
        Assert.EndsWith("\"pri_zero_sent\":0}}],\"track_process\":[{\"process\":\"nginx\",\"have_quorum\":true}]}\n", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_escapes_as_keepalived_does()
    {
        InstanceSnapshot named = Instance() with { Name = "a/b\"c\td" };
        Assert.Contains("\"iname\":\"a\\/b\\\"c\\td\"", JsonFormat.Format(Snapshot(1, named), 1));
    }

    [Fact]
    public void Data_has_keepalived_227s_global_and_instance_lines()
    {
        string data = DataFormat.Format(Snapshot());
        Assert.StartsWith(KeepalivedDataGlobals, data);
        string instance = data[KeepalivedDataGlobals.Length..];
        // The one line that depends on the local time zone: keepalived's ctime of the same instant.
        string expected = KeepalivedDataInstance.Replace(
            "Last transition = 1795660580.222052 (Thu Nov 26 02:36:20.222052 2026)", $"Last transition = {DataFormat.TimeText(Transition)}");
        Assert.StartsWith(expected, instance);
        Assert.StartsWith("1795660580.222052 (", DataFormat.TimeText(Transition));
        Assert.Contains("""
            ------< VRRP Scripts >------
             VRRP Script = chk
               Command = '/usr/bin/true'
               Interval = 2 sec
               Timeout = 2 sec
               Weight = -20
               Rise = 1
               Fall = 1
               Result = 1
               Status = GOOD
               Tracking instances :
                 VI_1, weight -20

            """, data);
        Assert.EndsWith(DataFormat.TrackerHeading + "\n VRRP Instance = VI_1\n   script chk weight -20 = GOOD\n", data);
    }

    [Fact]
    public void Data_shows_a_backups_master_unicast_peers_and_excluded_addresses()
    {
        InstanceSnapshot backup = Instance() with
        {
            State = VrrpState.Backup,
            Version = 3,
            AuthType = 0,
            MasterRouter = "10.77.0.2",
            MasterAdvertInterval = TimeSpan.FromMilliseconds(500),
            Unicast = true,
            McastGroup = null,
            UnicastPeers = ["10.77.0.2 min_ttl 0 max_ttl 255"],
            Addresses = [new("10.77.0.161 dev eth0 scope global", false), new("10.77.0.170 dev eth0 scope global", true)],
        };
        string data = DataFormat.Format(Snapshot(1, backup));
        Assert.Contains("   State = BACKUP\n   Master router = 10.77.0.2\n   Master advert int = 0.50 sec\n   Flags:\n     Using unicast\n", data);
        Assert.Contains("   Advert interval = 1000 milli-sec\n   Master advert interval = 500 milli-sec\n", data);
        Assert.Contains("   Virtual IP (1):\n     10.77.0.161 dev eth0 scope global\n   Virtual IP Excluded :\n     10.77.0.170 dev eth0 scope global\n", data);
        Assert.Contains("   Unicast TTL = 255\n   Check unicast src : no\n   Unicast Peer :\n     10.77.0.2 min_ttl 0 max_ttl 255\n", data);
        Assert.DoesNotContain("Authentication type", data);
        Assert.DoesNotContain("Multicast address", data);
    }

    [Theory]
    [InlineData(null, "/tmp/keepalived.data")]
    [InlineData("/var/run/keepalived/", "/var/run/keepalived/keepalived.data")]
    [InlineData("/var/run/ka/state.txt", "/var/run/ka/state.txt")]
    [InlineData("state.txt", "/tmp/state.txt")]
    [InlineData("sub/state.txt", "/tmp/state.txt")]
    [InlineData("sub/", "/tmp/keepalived.data")]
    public void File_locations_are_read_as_keepalived_reads_them(string? location, string path)
    {
        Assert.Equal(path, DumpFiles.Resolve(location, "keepalived.data", "/tmp"));
    }

    [Fact]
    public void Default_locations_are_in_TMPDIR_when_absolute_else_tmp()
    {
        var globals = new GlobalDefs();
        Assert.Equal("/run/x/keepalived.stats", DumpFiles.PathFor(DumpKind.Stats, globals, "/run/x"));
        Assert.Equal("/tmp/keepalived.json", DumpFiles.PathFor(DumpKind.Json, globals, "relative"));
        globals.StatsFileLocation = "/srv/stats/";
        Assert.Equal("/srv/stats/keepalived.stats", DumpFiles.PathFor(DumpKind.Stats, globals, "/run/x"));
    }

    [Fact]
    public void Global_defs_keywords_set_the_locations_and_json_version()
    {
        ConfigLoadResult result = KeepalivedConfigLoader.Parse("""
            global_defs {
                state_file_location /run/ka/
                stats_dump_file /run/ka/my.stats
                json_file_location /run/ka/out.json
                json_version 2
            }
            """, "k.conf");
        GlobalDefs g = result.Config!.GlobalDefs;
        Assert.Empty(result.Diagnostics);
        Assert.Equal("/run/ka/", g.StateFileLocation);
        Assert.Equal("/run/ka/my.stats", g.StatsFileLocation);
        Assert.Equal("/run/ka/out.json", g.JsonFileLocation);
        Assert.Equal(2, g.JsonVersion);
        Assert.Equal(1, new GlobalDefs().JsonVersion);
    }

    [Theory]
    [InlineData("json_version 3", "Invalid JSON version")]
    [InlineData("json_version x", "Invalid JSON version")]
    [InlineData("json_version", "json_version requires version")]
    [InlineData("stats_file_location", "stats_file_location requires a non-empty path")]
    [InlineData("state_dump_file /a /b", "state_dump_file requires a non-empty path")]
    public void Bad_values_are_reported_and_skipped(string line, string message)
    {
        ConfigLoadResult result = KeepalivedConfigLoader.Parse($"global_defs {{\n    {line}\n}}\n", "k.conf");
        Assert.Contains(result.Diagnostics, d => d.Message == message && d.Line == 2);
        Assert.Equal(1, result.Config!.GlobalDefs.JsonVersion);
        Assert.Null(result.Config.GlobalDefs.StatsFileLocation);
    }

    [Theory]
    [InlineData("STOP", "15\n")]
    [InlineData("RELOAD", "1\n")]
    [InlineData("DATA", "10\n")]
    [InlineData("STATS", "12\n")]
    [InlineData("STATS_CLEAR", "63\n")]
    [InlineData("JSON", "36\n")]
    public void Signum_prints_keepalived_227s_numbers(string name, string expected)
    {
        DaemonOptions options = CommandLineParser.Parse([$"--signum={name}"], out string? error)!;
        Assert.Null(error);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(0, SignalFunctions.Print(options.SignalFunction!, stdout, stderr));
        Assert.Equal(expected, stdout.ToString());
        Assert.Equal("", stderr.ToString());
    }

    [Theory]
    [InlineData("stats")]
    [InlineData("TDUMP")]
    [InlineData("")]
    public void Signum_of_an_unknown_name_fails_as_keepalived_does(string name)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(1, SignalFunctions.Print(name, stdout, stderr));
        Assert.Equal("", stdout.ToString());
        Assert.Equal($"Unknown sigfunc {name}\n", stderr.ToString());
    }

    [Fact]
    public void Signum_takes_its_value_attached_or_separate_and_needs_one()
    {
        Assert.Equal("DATA", CommandLineParser.Parse(["--signum", "DATA"], out _)!.SignalFunction);
        Assert.Null(CommandLineParser.Parse(["--signum"], out string? error));
        Assert.Equal("option '--signum' requires an argument", error);
    }

    [Fact]
    public void Clearing_statistics_zeroes_every_counter()
    {
        var statistics = new VrrpRouterStatistics();
        typeof(VrrpRouterStatistics).GetProperty(nameof(VrrpRouterStatistics.AdvertisementsSent))!.SetValue(statistics, 5L);
        typeof(VrrpRouterStatistics).GetMethod("CountDrop", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .Invoke(statistics, [VrrpDropReason.BadChecksum]);
        Assert.Equal(1, statistics.TotalDropped);
        statistics.Clear();
        Assert.Equal(0, statistics.AdvertisementsSent);
        Assert.Equal(0, statistics.TotalDropped);
    }
}
