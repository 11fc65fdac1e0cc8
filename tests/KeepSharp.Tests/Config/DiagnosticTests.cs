using KeepSharp.Config;

namespace KeepSharp.Tests.Config;

public class DiagnosticTests
{
    /// <summary>A valid instance; tests replace one line to break it.</summary>
    internal const string Good = """
        global_defs {
            router_id r1
        }
        vrrp_instance VI_1 {
            state MASTER
            interface eth0
            virtual_router_id 51
            priority 100
            advert_int 1
            virtual_ipaddress {
                192.168.1.161
            }
        }

        """;

    private static ConfigDiagnostic Single(string text, ConfigSeverity severity)
    {
        var result = KeepalivedConfigLoader.Parse(text, "t.conf");
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(severity, diagnostic.Severity);
        Assert.Equal("t.conf", diagnostic.File);
        Assert.Equal(severity == ConfigSeverity.Error, result.Config is null);
        Assert.Equal(ConfigTest.ExitConfigTestFailed, ConfigTest.GetExitCode(result));
        return diagnostic;
    }

    [Fact]
    public void GoodConfigIsClean()
    {
        var result = KeepalivedConfigLoader.Parse(Good, "t.conf");
        Assert.Empty(result.Diagnostics);
        Assert.Equal(0, ConfigTest.GetExitCode(result));
    }

    [Theory]
    [InlineData("virtual_router_id 51", "virtual_router_id 256", 7, "virtual_router_id 256 is out of range (must be 1..255)")]
    [InlineData("virtual_router_id 51", "virtual_router_id 0", 7, "out of range")]
    [InlineData("virtual_router_id 51", "virtual_router_id x", 7, "not a valid integer")]
    [InlineData("priority 100", "priority 256", 8, "priority 256 is out of range (must be 1..255)")]
    [InlineData("priority 100", "priority 0", 8, "out of range")]
    [InlineData("advert_int 1", "advert_int 0", 9, "advert_int '0' is not valid")]
    [InlineData("advert_int 1", "advert_int 300", 9, "advert_int '300' is not valid")]
    [InlineData("advert_int 1", "advert_int abc", 9, "advert_int 'abc' is not valid")]
    [InlineData("192.168.1.161", "192.168.1.300", 11, "invalid virtual IP address '192.168.1.300'")]
    [InlineData("192.168.1.161", "192.168.1", 11, "invalid virtual IP address")]
    [InlineData("192.168.1.161", "192.168.1.161/33", 11, "invalid prefix length '/33'")]
    [InlineData("192.168.1.161", "192.168.1.161/", 11, "invalid prefix length")]
    [InlineData("192.168.1.161", "192.168.1.161 brd 1.2.3", 11, "invalid broadcast address '1.2.3'")]
    [InlineData("192.168.1.161", "192.168.1.161 dev", 11, "option 'dev' of virtual IP address 192.168.1.161 requires a value")]
    [InlineData("192.168.1.161", "192.168.1.161 scope galaxy", 11, "invalid scope 'galaxy'")]
    [InlineData("state MASTER", "state FOO", 5, "unknown state 'FOO'")]
    [InlineData("interface eth0", "", 4, "(VI_1) interface is not set")]
    [InlineData("virtual_router_id 51", "", 4, "(VI_1) virtual_router_id is not set")]
    [InlineData("vrrp_instance VI_1 {", "vrrp_instance {", 4, "vrrp_instance must have a name")]
    [InlineData("advert_int 1", "authentication {\n auth_type FOO\n auth_pass 1\n}", 10, "unknown authentication type 'FOO'")]
    public void Errors(string find, string replace, int line, string message)
    {
        var error = Single(Good.Replace(find, replace), ConfigSeverity.Error);
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message);
        Assert.StartsWith($"t.conf:{line}: error: ", error.ToString());
    }

    [Theory]
    [InlineData("priority 100", "priority 100\n    foo_bar 3 {\n nested { x }\n }", 9, "unknown keyword 'foo_bar' in vrrp_instance")]
    [InlineData("router_id r1", "router_id r1\n    bogus_global 1", 3, "unknown keyword 'bogus_global' in global_defs")]
    [InlineData("192.168.1.161", "192.168.1.161 foo", 11, "unknown option 'foo' for virtual IP address")]
    [InlineData("advert_int 1", "advert_int 1\n    authentication {\n auth_type PASS\n auth_pass 123456789abc\n}", 12, "auth_pass is longer than 8 characters - truncated")]
    [InlineData("advert_int 1", "advert_int 1\n    track_script {\n nosuch\n}", 11, "track_script 'nosuch' does not name a vrrp_script")]
    [InlineData("advert_int 1", "advert_int 0.5", 9, "VRRPv2 advert_int 0.5s must be an integer - rounded to 1s")]
    [InlineData("192.168.1.161", "", 4, "no virtual IP address specified")]
    public void Warnings(string find, string replace, int line, string message)
    {
        var warning = Single(Good.Replace(find, replace), ConfigSeverity.Warning);
        Assert.Equal(line, warning.Line);
        Assert.Contains(message, warning.Message);
        Assert.StartsWith($"t.conf:{line}: warning: ", warning.ToString());
    }

    [Fact]
    public void UnknownBlockIsSkippedWholly()
    {
        var result = KeepalivedConfigLoader.Parse("mystery_block x {\n  a { b { c } }\n  vrrp_instance X {\n  }\n}\n" + Good, "t.conf");
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal("t.conf:1: warning: unknown keyword 'mystery_block' in the top level - ignored", warning.ToString());
        Assert.Equal("VI_1", Assert.Single(result.Config!.VrrpInstances).Name);
    }

    [Fact]
    public void TruncatedPasswordIsKeptAsKeepalivedKeepsIt()
    {
        var result = KeepalivedConfigLoader.Parse(Good.Replace("advert_int 1", "authentication {\n auth_type PASS\n auth_pass 123456789abc\n}"));
        Assert.Equal(new VrrpAuthentication(VrrpAuthType.Pass, "12345678"), result.Config!.VrrpInstances[0].Authentication);
    }

    [Fact]
    public void FractionalAdvertIntIsKeptForVersion3()
    {
        var result = KeepalivedConfigLoader.Parse(Good.Replace("advert_int 1", "advert_int 0.5\n version 3"));
        Assert.Empty(result.Diagnostics);
        Assert.Equal(TimeSpan.FromMilliseconds(500), result.Config!.VrrpInstances[0].AdvertInterval);
        Assert.Equal(3, result.Config.VrrpInstances[0].Version);
    }

    [Fact]
    public void MissingOpeningBrace()
    {
        var result = KeepalivedConfigLoader.Parse("vrrp_instance VI_1\n  interface eth0\n}\n", "t.conf");
        Assert.Contains(result.Errors, e => e.ToString() == "t.conf:1: error: expected '{' after 'vrrp_instance VI_1'");
        Assert.Contains(result.Errors, e => e.Line == 3 && e.Message.Contains("unexpected '}'"));
    }

    [Fact]
    public void MissingClosingBraceNamesTheOpeningLine()
    {
        var result = KeepalivedConfigLoader.Parse(Good + "vrrp_instance VI_2 {\n  interface eth0\n  virtual_ipaddress {\n   10.0.0.1\n", "t.conf");
        var outer = result.Errors.Single(e => e.Line == 14 && e.Message.StartsWith("missing"));
        Assert.Equal("missing '}' at end of file: 'vrrp_instance VI_2' opened at t.conf:14 is never closed", outer.Message);
        Assert.Contains(result.Errors, e => e.Line == 16 && e.Message.Contains("'virtual_ipaddress'"));
    }

    [Fact]
    public void DuplicateInstanceName()
    {
        var result = KeepalivedConfigLoader.Parse(Good + Good.Replace("global_defs {\n    router_id r1\n}\n", ""), "t.conf");
        var error = Assert.Single(result.Errors);
        Assert.Equal("t.conf:14: error: vrrp_instance 'VI_1' is already defined at t.conf:4", error.ToString());
    }

    [Fact]
    public void IncludedFileErrorsCarryTheIncludedFileAndLine()
    {
        var fs = new InMemoryConfigFileSystem().Add("/etc/k/inc.conf", "\n\nvrrp_instance VI_2 {\n interface eth0\n virtual_router_id 999\n}\n");
        var result = KeepalivedConfigLoader.Parse(Good + "include inc.conf\n", "/etc/k/keepalived.conf", fs);
        Assert.Contains(result.Errors, e => e.File == "/etc/k/inc.conf" && e.Line == 5 && e.Message.Contains("999"));
    }

    [Fact]
    public void GlobalDefaultsFlowIntoInstances()
    {
        var text = Good.Replace("router_id r1", "router_id r1\n vrrp_garp_master_delay 2\n vrrp_garp_master_repeat 3\n vrrp_version 3\n vrrp_skip_check_adv_addr\n vrrp_strict\n vrrp_mcast_group4 224.0.0.19\n enable_script_security\n script_user nobody nogroup\n notification_email {\n  a@b.c\n  d@e.f\n }\n smtp_server 10.0.0.9 2525\n");
        var config = KeepalivedConfigLoader.Parse(text.Replace("priority 100", "priority 100\n garp_master_repeat 7\n")).Config!;
        var g = config.GlobalDefs;
        Assert.Equal((3, true, true, "224.0.0.19", true, "nobody", "nogroup"), (g.VrrpVersion, g.VrrpSkipCheckAdvAddr, g.VrrpStrict, g.VrrpMcastGroup4.ToString(), g.EnableScriptSecurity, g.ScriptUser, g.ScriptGroup));
        Assert.Equal(["a@b.c", "d@e.f"], g.NotificationEmail);
        Assert.Equal(("10.0.0.9", 2525), (g.SmtpServer, g.SmtpServerPort));
        Assert.Equal("ff02::12", g.VrrpMcastGroup6.ToString());
        var vi = config.VrrpInstances[0];
        Assert.Equal((3, TimeSpan.FromSeconds(2), 7, true), (vi.Version, vi.GarpMasterDelay, vi.GarpMasterRepeat, vi.SkipCheckAdvAddr));
    }

    [Fact]
    public void UnicastAndIpv6()
    {
        // keepalived: the first address read fixes the family; nopreempt needs an initial BACKUP state, and
        // preempt_delay is reset under nopreempt ("preempt_delay is incompatible with nopreempt mode - resetting").
        var text = Good.Replace("state MASTER", "state BACKUP")
            .Replace("priority 100", "priority 100\n unicast_src_ip fe80::10\n unicast_peer {\n  fe80::2\n  fe80::3\n }\n nopreempt\n preempt_delay 2.5")
            .Replace("192.168.1.161", "fe80::1/64 dev eth0\n 2001:db8::1");
        var result = KeepalivedConfigLoader.Parse(text);
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal((4, "(VI_1) preempt_delay is incompatible with nopreempt - reset to 0"), (warning.Line, warning.Message));
        var vi = result.Config!.VrrpInstances[0];
        Assert.Equal(["fe80::2", "fe80::3"], vi.UnicastPeers.Select(p => p.ToString()));
        Assert.Equal(3, vi.Version); // IPv6 without 'version' is VRRPv3 in keepalived
        Assert.Equal((64, null), (vi.VirtualIpAddresses[0].PrefixLength, vi.VirtualIpAddresses[0].Scope));
        Assert.Equal(128, vi.VirtualIpAddresses[1].PrefixLength);
        Assert.True(vi.NoPreempt);
        Assert.Equal(TimeSpan.Zero, vi.PreemptDelay);
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetworkV6, vi.AddressFamily);
    }

    [Fact]
    public void LoaderNeverThrowsOnGarbage()
    {
        foreach (var text in new[] { "}", "{", "\"", "{{{{", "include", "$", "@", "$X=$X\n$X", "vrrp_instance", "a\0b", new string('}', 1000) })
        {
            var result = KeepalivedConfigLoader.Parse(text);
            Assert.NotNull(result.Diagnostics);
        }
    }
}
