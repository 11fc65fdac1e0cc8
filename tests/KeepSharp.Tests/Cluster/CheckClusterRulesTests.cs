using System.Text.Json;
using static KeepSharp.Tests.Cluster.ClusterFiles;

namespace KeepSharp.Tests.Cluster;

/// <summary>Each rule of check-cluster on a small generated cluster: the finding, its lines, and the election it predicts.</summary>
public sealed class CheckClusterRulesTests : IDisposable
{
    private readonly ClusterFiles _files = new();

    public void Dispose() => _files.Dispose();

    private (int Exit, JsonElement Report) Check(params (string Name, string Text)[] hosts) =>
        CheckJson([.. hosts.Select(h => _files.Write(h.Name, h.Text))]);

    /// <summary>The text of the line a "file:line" location names.</summary>
    private static string LineAt(string location)
    {
        int colon = location.LastIndexOf(':');
        return File.ReadAllLines(location[..colon])[int.Parse(location[(colon + 1)..]) - 1].Trim();
    }

    private static JsonElement[] Findings(JsonElement report, string code) =>
        [.. report.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("code").GetString() == code)];

    private static string[] Masters(JsonElement report, int vrid) =>
        [.. report.GetProperty("virtualRouters").EnumerateArray().Single(r => r.GetProperty("vrid").GetInt32() == vrid)
            .GetProperty("masters").EnumerateArray().Select(e => e.GetString()!)];

    private static JsonElement Scenario(JsonElement report, string host, string kind, string? name = null) =>
        report.GetProperty("scenarios").EnumerateArray().Single(s => s.GetProperty("host").GetString() == host
            && s.GetProperty("kind").GetString() == kind && (name is null || s.GetProperty("name").GetString() == name));

    private static string[] MastersAfter(JsonElement scenario, int index = 0) =>
        [.. scenario.GetProperty("outcomes")[index].GetProperty("mastersAfter").EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public void A_tie_with_configured_addresses_is_won_by_the_higher_address_and_reported_as_info()
    {
        (int exit, JsonElement report) = Check(
            ("a", Host("a", Instance(body: "mcast_src_ip 10.9.0.1"))),
            ("b", Host("b", Instance(body: "mcast_src_ip 10.9.0.2"))));
        Assert.Equal(0, exit);
        Assert.Equal(["b"], Masters(report, 51));
        JsonElement tie = Assert.Single(Findings(report, "priority-tie"));
        Assert.Equal("info", tie.GetProperty("severity").GetString());
        Assert.Equal("b and a tie at priority 100: when they meet as masters (started together), b wins by the higher primary address (10.9.0.2 > 10.9.0.1); " +
                     "otherwise the first one up stays master", tie.GetProperty("message").GetString());
        // Started apart, the first one up stays master: the prediction says so per first host.
        JsonElement byFirst = report.GetProperty("virtualRouters")[0].GetProperty("mastersByFirstHost");
        Assert.Equal("a", byFirst.GetProperty("a")[0].GetString());
        Assert.Equal("b", byFirst.GetProperty("b")[0].GetString());
        Assert.Contains("depends on which host starts first: all at once: b; a first: a; b first: b",
            Assert.Single(Findings(report, "start-order")).GetProperty("message").GetString());
    }

    [Fact]
    public void A_tie_decided_by_unknown_interface_addresses_is_a_warning()
    {
        (int exit, JsonElement report) = Check(("a", Host("a", Instance())), ("b", Host("b", Instance())));
        Assert.Equal(0, exit);
        JsonElement tie = Assert.Single(Findings(report, "priority-tie"));
        Assert.Equal("warning", tie.GetProperty("severity").GetString());
        Assert.Contains("the higher primary address wins, which the files do not give", tie.GetProperty("message").GetString());
    }

    [Fact]
    public void Nopreempt_on_a_master_state_instance_is_reported_at_its_line_as_keepalived_clears_it()
    {
        (int _, JsonElement report) = Check(
            ("a", Host("a", Instance(state: "MASTER", body: "nopreempt"))),
            ("b", Host("b", Instance(priority: 90))));
        JsonElement config = Assert.Single(Findings(report, "config"));
        Assert.Equal("a: (VI_1) nopreempt does not work with initial state MASTER - cleared", config.GetProperty("message").GetString());
        Assert.Equal("vrrp_instance VI_1 {", LineAt(config.GetProperty("locations")[0].GetString()!)); // where keepalived reports it
    }

    [Fact]
    public void Nopreempt_keeps_the_lower_priority_master_when_the_higher_one_comes_back_from_a_fault()
    {
        // a (100, nopreempt) wins the first election; a's check fails (weight 0: FAULT), b takes over; the scenario
        // is each failure alone, so the prediction is b after a's fault.
        string script = """
            vrrp_script chk {
                script "/bin/true"
                interval 1
                timeout 1
            }
            """;
        (int exit, JsonElement report) = Check(
            ("a", Host("a", Instance(body: "nopreempt\n track_script {\n chk\n }"), script)),
            ("b", Host("b", Instance(priority: 90))));
        Assert.Equal(0, exit);
        Assert.Equal(["a"], Masters(report, 51));
        Assert.Equal(["b"], MastersAfter(Scenario(report, "a", "script", "chk")));
        // With b up first, a (nopreempt) never takes over: the first host decides.
        JsonElement byFirst = report.GetProperty("virtualRouters")[0].GetProperty("mastersByFirstHost");
        Assert.Equal(("a", "b"), (byFirst.GetProperty("a")[0].GetString(), byFirst.GetProperty("b")[0].GetString()));
    }

    [Fact]
    public void A_negative_weight_that_drops_the_master_between_two_others_moves_the_vip_to_the_middle_host()
    {
        string script = """
            vrrp_script chk {
                script "/bin/true"
                interval 1
                timeout 1
                weight -15
            }
            """;
        string tracked = "track_script {\n chk\n }";
        (int exit, JsonElement report) = Check(
            ("a", Host("a", Instance(priority: 100, body: tracked), script)),
            ("b", Host("b", Instance(priority: 90))),
            ("c", Host("c", Instance(priority: 80))));
        Assert.Equal(0, exit);
        Assert.Equal(["a"], Masters(report, 51));
        JsonElement fails = Scenario(report, "a", "script", "chk");
        Assert.Equal(["b"], MastersAfter(fails));
        Assert.Equal("BACKUP", fails.GetProperty("outcomes")[0].GetProperty("states").GetProperty("c").GetString());
        Assert.Equal(["b"], MastersAfter(Scenario(report, "a", "host")));
        Assert.Equal(["a"], MastersAfter(Scenario(report, "b", "host"))); // a backup lost changes nothing
    }

    [Fact]
    public void A_backup_that_is_master_only_thanks_to_its_check_is_reported()
    {
        string script = """
            vrrp_script chk {
                script "/bin/true"
                interval 1
                timeout 1
                weight 20
            }
            """;
        (int exit, JsonElement report) = Check(
            ("a", Host("a", Instance(priority: 100))),
            ("b", Host("b", Instance(priority: 90, body: "track_script {\n chk\n }"), script)));
        Assert.Equal(0, exit);
        Assert.Equal(["b"], Masters(report, 51));
        JsonElement info = Assert.Single(Findings(report, "master-needs-tracker"));
        Assert.Equal("b is master of VRID 51 IPv4 only while chk succeeds: its weight +20 lifts it from 90 to 110, above a's 100",
            info.GetProperty("message").GetString());
        Assert.Equal(["a"], MastersAfter(Scenario(report, "b", "script", "chk")));
    }

    [Fact]
    public void Version_2_adverts_with_another_interval_are_dropped_so_both_become_master()
    {
        (int exit, JsonElement report) = Check(
            ("a", Host("a", Instance(advertInt: "1"))),
            ("b", Host("b", Instance(priority: 90, advertInt: "2"))));
        Assert.Equal(1, exit);
        JsonElement mismatch = Assert.Single(Findings(report, "advert-int-mismatch"));
        Assert.Equal("error", mismatch.GetProperty("severity").GetString());
        Assert.Contains("advert_int mismatch", mismatch.GetProperty("message").GetString());
        Assert.Equal(["a", "b"], Masters(report, 51));
    }

    [Fact]
    public void Version_3_accepts_another_interval_so_the_difference_is_only_a_warning()
    {
        (int exit, JsonElement report) = Check(
            ("a", Host("a", Instance(advertInt: "1", body: "version 3"))),
            ("b", Host("b", Instance(priority: 90, advertInt: "2", body: "version 3"))));
        Assert.Equal(0, exit);
        Assert.Equal("warning", Assert.Single(Findings(report, "advert-int-mismatch")).GetProperty("severity").GetString());
        Assert.Equal(["a"], Masters(report, 51));
    }

    [Fact]
    public void Different_passwords_are_an_error_with_the_authentication_lines()
    {
        (int exit, JsonElement report) = Check(
            ("a", Host("a", Instance(body: "authentication {\n auth_type PASS\n auth_pass one\n }"))),
            ("b", Host("b", Instance(priority: 90, body: "authentication {\n auth_type PASS\n auth_pass two\n }"))));
        Assert.Equal(1, exit);
        JsonElement auth = Assert.Single(Findings(report, "auth-mismatch"));
        Assert.Contains("a uses PASS 'one'", auth.GetProperty("message").GetString());
        Assert.Equal(2, auth.GetProperty("locations").GetArrayLength());
        Assert.All(auth.GetProperty("locations").EnumerateArray(), l => Assert.Equal("authentication {", LineAt(l.GetString()!)));
    }

    [Fact]
    public void Unicast_peers_that_are_not_symmetric_are_an_error_and_predict_two_masters()
    {
        (int exit, JsonElement report) = Check(
            ("a", Host("a", Instance(body: "unicast_src_ip 10.9.0.1\n unicast_peer {\n 10.9.0.2\n }"))),
            ("b", Host("b", Instance(priority: 90, body: "unicast_src_ip 10.9.0.2\n unicast_peer {\n 10.9.0.3\n }"))));
        Assert.Equal(1, exit);
        JsonElement asymmetric = Assert.Single(Findings(report, "unicast-asymmetric"));
        Assert.Equal("b does not list a (10.9.0.1) as a unicast_peer, though a lists b (10.9.0.2): a never hears b",
            asymmetric.GetProperty("message").GetString());
        // a's adverts reach b (b backs off); b sends to nobody who answers: a never hears b, b hears a: a master only.
        Assert.Equal(["a"], Masters(report, 51));
    }

    [Fact]
    public void An_instance_whose_unicast_peers_are_nobody_has_no_partner()
    {
        (int exit, JsonElement report) = Check(
            ("a", Host("a", Instance(body: "unicast_src_ip 10.9.0.1\n unicast_peer {\n 10.9.0.7\n }"))),
            ("b", Host("b", Instance(priority: 90, body: "unicast_src_ip 10.9.0.2\n unicast_peer {\n 10.9.0.8\n }"))));
        Assert.Equal(1, exit);
        Assert.Equal(2, Findings(report, "no-partner").Length);
    }

    [Fact]
    public void A_vip_held_by_two_virtual_routers_is_an_error()
    {
        (int exit, JsonElement report) = Check(
            ("a", Host("a", Instance() + Instance(name: "VI_2", vrid: 52))),
            ("b", Host("b", Instance(priority: 90) + Instance(name: "VI_2", vrid: 52, priority: 90))));
        Assert.Equal(1, exit);
        JsonElement shared = Assert.Single(Findings(report, "vip-in-two-routers"));
        Assert.StartsWith("10.9.0.100 belongs to 2 virtual routers (VRID 51 IPv4, VRID 52 IPv4)", shared.GetProperty("message").GetString());
        Assert.Equal(4, shared.GetProperty("locations").GetArrayLength());
    }

    [Fact]
    public void A_unicast_pair_and_a_multicast_pair_sharing_a_vrid_are_two_virtual_routers_and_a_warning()
    {
        (int _, JsonElement report) = Check(
            ("a", Host("a", Instance(vips: "10.9.0.100"))),
            ("b", Host("b", Instance(priority: 90, vips: "10.9.0.100"))),
            ("c", Host("c", Instance(vips: "10.9.0.200", body: "unicast_src_ip 10.9.0.3\n unicast_peer {\n 10.9.0.4\n }"))),
            ("d", Host("d", Instance(priority: 90, vips: "10.9.0.200", body: "unicast_src_ip 10.9.0.4\n unicast_peer {\n 10.9.0.3\n }"))));
        Assert.Equal(2, report.GetProperty("virtualRouters").GetArrayLength());
        Assert.Contains("2 virtual routers use VRID 51", Assert.Single(Findings(report, "shared-vrid")).GetProperty("message").GetString());
        Assert.Empty(Findings(report, "no-partner"));
    }

    [Fact]
    public void A_sync_group_moves_both_virtual_routers_when_one_members_check_faults()
    {
        string group = """
            vrrp_script chk {
                script "/bin/true"
                interval 1
                timeout 1
            }
            vrrp_sync_group G {
                group {
                    VI_1
                    VI_2
                }
            }
            """;
        (int exit, JsonElement report) = Check(
            ("a", Host("a", Instance(body: "track_script {\n chk\n }") + Instance(name: "VI_2", vrid: 52, vips: "10.9.0.101"), group)),
            ("b", Host("b", Instance(priority: 90) + Instance(name: "VI_2", vrid: 52, priority: 90, vips: "10.9.0.101"), group.Replace("chk", "unused"))));
        Assert.Equal(0, exit);
        JsonElement fails = Scenario(report, "a", "script", "chk");
        Assert.Equal(["b"], MastersAfter(fails, 0));
        Assert.Equal(["b"], MastersAfter(fails, 1)); // VI_2 does not track chk: it follows its group
        Assert.Equal("FAULT", fails.GetProperty("outcomes")[1].GetProperty("states").GetProperty("a").GetString());
    }
}
