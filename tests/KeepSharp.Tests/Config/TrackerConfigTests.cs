using KeepSharp.Config;
using KeepSharp.Vrrp.Tracking;

namespace KeepSharp.Tests.Config;

/// <summary>track_file / vrrp_track_process blocks and their instance and sync-group entries, as keepalived 2.2.7 reads them.</summary>
public class TrackerConfigTests
{
    private const string Instance = """
        vrrp_instance VI_1 {
            state BACKUP
            interface eth0
            virtual_router_id 51
            priority 100
            virtual_ipaddress {
                192.168.251.1/24
            }
        """;

    private static ConfigLoadResult Load(string text) => KeepalivedConfigLoader.Parse(text, "t.conf");

    [Fact]
    public void A_track_file_block_and_its_entry_resolve_weights_as_keepalived_does()
    {
        var result = Load($$"""
            vrrp_track_file tf {
                file /run/tf
                weight -3 reverse
                init_file 7 overwrite
            }
            track_file plain {
                file /run/plain
            }
            {{Instance}}
                track_file {
                    tf
                    plain weight 5 reverse
                }
            }
            """);
        Assert.Empty(result.Errors);
        var tf = result.Config!.VrrpTrackFiles.Single(f => f.Name == "tf");
        Assert.Equal(("/run/tf", -3, true, TrackFileInit.Overwrite, 7), (tf.FilePath, tf.Weight, tf.WeightReverse, tf.Init, tf.InitValue));
        var plain = result.Config.VrrpTrackFiles.Single(f => f.Name == "plain");
        Assert.Equal((1, false, TrackFileInit.None), (plain.Weight, plain.WeightReverse, plain.Init));
        var refs = result.Config.VrrpInstances[0].TrackFiles;
        Assert.Equal([("tf", -3, true), ("plain", 5, true)], refs.Select(r => (r.Name, r.Weight, r.WeightReverse)));
        var plan = TrackingPlan.FromConfig(result.Config.VrrpInstances[0], result.Config);
        Assert.Contains(new TrackedObject(TrackerKind.File, "plain", 5, true), plan);
    }

    [Theory]
    [InlineData("track_file { later }", "track file later not found")]
    [InlineData("track_file { tf\n tf }", "duplicate track_file tf")]
    [InlineData("track_file { tf colour }", "unknown track file option colour")]
    [InlineData("track_file { tf weight }", "weight without value")]
    [InlineData("track_process { tp weight 255 }", "must be in [-254..254]")]
    public void Bad_entries_are_errors_with_their_line(string entry, string message)
    {
        var result = Load($$"""
            track_file tf {
                file /run/tf
            }
            vrrp_track_process tp {
                process nginx
            }
            {{Instance}}
                {{entry}}
            }
            track_file later {
                file /run/later
            }
            """);
        var error = Assert.Single(result.Errors, e => e.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal("t.conf", error.Location.File);
        Assert.True(error.Location.Line >= 13, $"line {error.Location.Line} is not the entry's");
    }

    [Fact]
    public void A_track_file_without_file_is_dropped_with_an_error()
    {
        var result = Load("track_file tf {\n    weight 2\n}\n");
        Assert.Contains(result.Errors, e => e.Message.Contains("No file set for track_file tf", StringComparison.Ordinal) && e.Location.Line == 1);
    }

    [Fact]
    public void A_track_process_block_reads_keepalived_keywords_and_defaults()
    {
        var result = Load($$"""
            vrrp_track_process tp {
                process /usr/sbin/nginx -g daemon
                param_match partial
                quorum 2
                quorum_max 4
                fork_delay 1.5
                terminate_delay 0.25
                weight 10 reverse
            }
            vrrp_track_process bare {
                process nginx
            }
            {{Instance}}
                track_process {
                    tp
                    bare weight -20 noreverse
                }
            }
            """);
        Assert.Empty(result.Errors);
        var tp = result.Config!.VrrpTrackProcesses.Single(p => p.Name == "tp");
        Assert.Equal("/usr/sbin/nginx", tp.Process);
        Assert.Equal(["-g", "daemon"], tp.Parameters);
        Assert.Equal((ProcessParamMatch.Partial, true, 2, 4L), (tp.ParamMatch, tp.FullCommand, tp.Quorum, tp.QuorumMaximum));
        Assert.Equal((TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(0.25)), (tp.ForkDelay, tp.TerminateDelay));
        Assert.Equal((10, true), (tp.Weight, tp.WeightReverse));
        var bare = result.Config.VrrpTrackProcesses.Single(p => p.Name == "bare");
        Assert.Equal((ProcessParamMatch.None, false, 1, VrrpTrackProcess.Unbounded, 0), (bare.ParamMatch, bare.FullCommand, bare.Quorum, bare.QuorumMaximum, bare.Weight));
        var plan = TrackingPlan.FromConfig(result.Config.VrrpInstances[0], result.Config);
        Assert.Contains(new TrackedObject(TrackerKind.Process, "tp", 10, true), plan);
        Assert.Contains(new TrackedObject(TrackerKind.Process, "bare", -20, false), plan);
    }

    [Theory]
    [InlineData("quorum 0", "out of range")]
    [InlineData("quorum 65536", "out of range")]
    [InlineData("quorum_max 3\n quorum 4", "Quorum is greater than quorum_max")]
    [InlineData("quorum 3\n quorum_max 2", "quorum_max is less than quorum")]
    [InlineData("delay 0", "out of range")]
    [InlineData("delay 3601", "out of range")]
    [InlineData("param_match sometimes", "Invalid param_match type")]
    [InlineData("weight 255", "must be between [-254..254]")]
    [InlineData("weight 5\n weight 6", "Weight already set")]
    [InlineData("process other", "Process already set")]
    public void Bad_track_process_values_are_errors(string line, string message)
    {
        var result = Load($"vrrp_track_process tp {{\n process nginx\n {line}\n}}\n");
        Assert.Contains(result.Errors, e => e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Quorum_max_zero_alone_means_no_process_may_run()
    {
        var result = Load("vrrp_track_process tp {\n process nginx\n quorum_max 0\n}\n");
        Assert.Empty(result.Errors);
        var tp = result.Config!.VrrpTrackProcesses.Single();
        Assert.Equal((0, 0L), (tp.Quorum, tp.QuorumMaximum));
    }

    [Fact]
    public void A_sync_group_takes_track_file_and_track_process_for_its_members()
    {
        var result = Load($$"""
            track_file tf {
                file /run/tf
            }
            vrrp_track_process tp {
                process nginx
                weight 0
            }
            {{Instance}}
            }
            vrrp_instance VI_2 {
                state BACKUP
                interface eth0
                virtual_router_id 52
                priority 90
                virtual_ipaddress {
                    192.168.252.1/24
                }
            }
            vrrp_sync_group G {
                group {
                    VI_1
                    VI_2
                }
                track_file {
                    tf weight 0
                }
                track_process {
                    tp
                }
            }
            """);
        Assert.Empty(result.Errors);
        var group = result.Config!.VrrpSyncGroups.Single();
        Assert.Equal(["tf"], group.TrackFiles.Select(f => f.Name));
        Assert.Equal(["tp"], group.TrackProcesses.Select(p => p.Name));
        foreach (var instance in result.Config.VrrpInstances)
        {
            var plan = TrackingPlan.FromConfig(instance, result.Config);
            Assert.Contains(new TrackedObject(TrackerKind.File, "tf", 0, false), plan);
            Assert.Contains(new TrackedObject(TrackerKind.Process, "tp", 0, false), plan);
        }
    }

    [Fact]
    public void A_sync_group_track_interface_goes_to_every_member_with_its_weight()
    {
        var result = Load($$"""
            {{Instance}}
            }
            vrrp_instance VI_2 {
                state BACKUP
                interface eth0
                virtual_router_id 52
                priority 90
                virtual_ipaddress {
                    192.168.252.1/24
                }
            }
            vrrp_sync_group G {
                group {
                    VI_1
                    VI_2
                }
                track_interface {
                    eth1
                    eth2 weight -20
                    eth3 weight 10 reverse
                }
            }
            """);
        Assert.Empty(result.Errors);
        var group = result.Config!.VrrpSyncGroups.Single();
        Assert.Equal(["eth1", "eth2", "eth3"], group.TrackInterfaces.Select(t => t.Name));
        foreach (var instance in result.Config.VrrpInstances)
        {
            var plan = TrackingPlan.FromConfig(instance, result.Config);
            Assert.Contains(new TrackedObject(TrackerKind.Interface, "eth1", 0, false), plan);
            Assert.Contains(new TrackedObject(TrackerKind.Interface, "eth2", -20, false), plan);
            Assert.Contains(new TrackedObject(TrackerKind.Interface, "eth3", 10, true), plan);
        }
    }

    [Fact]
    public void A_sync_group_track_interface_a_member_already_tracks_is_keepalived_s_error()
    {
        var result = Load($$"""
            {{Instance}}
                track_interface {
                    eth1
                }
            }
            vrrp_instance VI_2 {
                state BACKUP
                interface eth0
                virtual_router_id 52
                priority 90
                virtual_ipaddress {
                    192.168.252.1/24
                }
            }
            vrrp_sync_group G {
                group {
                    VI_1
                    VI_2
                }
                track_interface {
                    eth1
                    eth0
                }
            }
            """);
        Assert.Contains(result.Errors, e => e.Message.Contains("(VI_1) track_interface eth1 is configured on VRRP instance and sync group", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Message.Contains("(VI_2) track_interface eth0 is configured on VRRP instance and sync group", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Errors, e => e.Message.Contains("(VI_2) track_interface eth1", StringComparison.Ordinal));
    }
}
