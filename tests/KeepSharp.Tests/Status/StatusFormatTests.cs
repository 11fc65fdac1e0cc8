using System.Buffers;
using System.Text.Json;
using KeepSharp.Daemon.Runtime.Control;

namespace KeepSharp.Tests.Status;

/// <summary><c>keepsharp status</c>'s table and JSON, from a constructed snapshot.</summary>
public class StatusFormatTests
{
    [Fact]
    public void The_report_shows_the_master_address_priorities_vips_transition_trackers_counters_and_heard_routers()
    {
        StatusReport r = StatusReport.From(StatusSamples.Snapshot());
        InstanceStatus backup = r.Instances[0];
        Assert.Equal(("BACKUP", 80, 70, "10.51.0.171"), (backup.State, backup.BasePriority, backup.EffectivePriority, backup.MasterAddress));
        Assert.Equal(["10.51.0.161"], backup.VirtualAddresses); // the excluded address is not a VIP
        Assert.Equal(("INIT", "BACKUP", "startup"), (backup.LastTransition!.From, backup.LastTransition.To, backup.LastTransition.Reason));
        Assert.Equal(["10.51.0.9", "10.51.0.171"], backup.Heard.Select(h => h.Address));
        Assert.Equal("AuthenticationFailure", backup.Heard[0].LastDrop);
        Assert.Equal(StatusSamples.At.AddSeconds(-12), backup.Heard[0].LastHeard);
        Assert.Equal(7, backup.Counters.TotalDropped);
        Assert.Equal("fe80::172", r.Instances[1].MasterAddress); // a master is its own master
    }

    [Fact]
    public void The_table_has_a_block_per_instance()
    {
        string table = StatusTable.Format(StatusReport.From(StatusSamples.Snapshot()));
        string expected = """
            KeepSharp v1.2.3, pid 4242, router_id keep_172, at 2026-11-26 10:00:00Z

            VI_1  BACKUP  VRID 51 IPv4 VRRPv2 on eth0, from 10.51.0.172, advert_int 1 s
              priority     base 80, effective 70
              master       10.51.0.171
              VIPs         10.51.0.161
              last change  INIT -> BACKUP at 2026-11-26 09:55:00Z (5 min 0 s ago): startup
              trackers
                script    chk "web"                FAILING  weight -10
                interface eth1                     OK       weight 0
              adverts      sent 3, received 120, dropped 7 (AuthenticationFailure 7)
              transitions  became master 1, released master 1, priority 0 sent 0, received 0
              heard on the wire for VRID 51:
                ADDRESS      PRIORITY  INTERVAL  VERSION  ADVERTS  LAST HEARD  LAST ADVERT
                10.51.0.9    254       1 s       v2       7        12.0 s ago  dropped: AuthenticationFailure
                10.51.0.171  100       1 s       v2       118      0.4 s ago   accepted

            VI_6  MASTER  VRID 52 IPv6 VRRPv3 on eth0, from fe80::172, advert_int 0.5 s
              priority     base 100, effective 100
              master       fe80::172 (this host)
              VIPs         fd00:51::161 (installed)
              last change  BACKUP -> MASTER at 2026-11-26 09:59:30Z (30.0 s ago): no advert from the master for Master_Down_Interval
              adverts      sent 900, received 5, dropped 0
              transitions  became master 1, released master 0, priority 0 sent 0, received 0
              heard on the wire for VRID 52: nobody

            Scripts:
              NAME       RESULT   RUNS  TIMEOUTS  LAST RUN
              chk "web"  FAILING  2     1         2 s

            Process: RSS 9.0 MB, 6 threads, 18 fds; managed heap 0.7 MB (1.0 MB committed), collections 16/3/1

            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), table);
    }

    [Fact]
    public void The_json_reads_back_to_the_same_report()
    {
        StatusReport report = StatusReport.From(StatusSamples.Snapshot());
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
            StatusJson.Write(w, report);
        using JsonDocument document = JsonDocument.Parse(buffer.WrittenMemory);
        StatusReport back = StatusJson.Read(document.RootElement);
        Assert.Equal(StatusTable.Format(report), StatusTable.Format(back));
        JsonElement vi1 = document.RootElement.GetProperty("instances")[0];
        Assert.Equal("BACKUP", vi1.GetProperty("state").GetString());
        Assert.Equal(70, vi1.GetProperty("effective_priority").GetInt32());
        Assert.Equal("10.51.0.171", vi1.GetProperty("master_address").GetString());
        Assert.Equal(254, vi1.GetProperty("heard")[0].GetProperty("priority").GetInt32());
        Assert.Equal(7, vi1.GetProperty("counters").GetProperty("drops").GetProperty("AuthenticationFailure").GetInt64());
        Assert.Equal(9_437_184, document.RootElement.GetProperty("process").GetProperty("resident_bytes").GetInt64());
        Assert.Equal([16, 3, 1], back.Process!.Collections);
    }

    [Fact]
    public void A_report_from_a_daemon_without_process_figures_still_reads()
    {
        StatusReport report = StatusReport.From(StatusSamples.Snapshot()) with { Process = null };
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
            StatusJson.Write(w, report);
        using JsonDocument document = JsonDocument.Parse(buffer.WrittenMemory);
        Assert.False(document.RootElement.TryGetProperty("process", out _));
        Assert.Null(StatusJson.Read(document.RootElement).Process);
        Assert.DoesNotContain("Process:", StatusTable.Format(report));
    }

    [Fact]
    public void The_process_figures_are_the_running_process_own()
    {
        ProcessStatus p = ProcessStatus.Capture();
        Assert.InRange(p.ResidentBytes, 1_048_576, 16L << 30);
        Assert.True(p.Threads >= 1);
        Assert.True(p.OpenFileDescriptors >= 3);
        Assert.Equal(3, p.Collections.Count);
        Assert.True(p.AllocatedBytes > 0);
    }

    [Fact]
    public void A_status_answer_that_is_not_a_report_is_a_format_error()
    {
        using JsonDocument document = JsonDocument.Parse("""{"version":"1"}""");
        Assert.Throws<FormatException>(() => StatusJson.Read(document.RootElement));
    }
}
