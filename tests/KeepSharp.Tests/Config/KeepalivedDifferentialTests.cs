using KeepSharp.Config;

namespace KeepSharp.Tests.Config;

/// <summary>
/// Runs the real keepalived (2.2.7) config test, <c>keepalived -t -f FILE</c>, on the same files and asserts
/// KeepSharp accepts (exit 0) and rejects (non-zero) the same ones. keepalived must be installed (the tests
/// fail, naming the package, when it is not). Interfaces are set to one that exists here, since keepalived also fails
/// the test for interfaces missing on the host (a host check KeepSharp's config layer does not make).
/// </summary>
[Trait("Tier", "Keepalived")]
public class KeepalivedDifferentialTests
{
    private static string HostInterface => KeepalivedCli.HostInterface;

    private static string Instance(string extra = "", string vip = "192.168.1.161", string name = "VI_1") => $$"""
        vrrp_instance {{name}} {
            state MASTER
            interface IFACE
            virtual_router_id 51
            priority 100
            advert_int 1
        {{extra}}
            virtual_ipaddress {
                {{vip}}
            }
        }

        """;

    public static TheoryData<string, string> Cases => new()
    {
        { "good", Instance() },
        { "good-comments-glued", "! c\nglobal_defs{router_id r1 # x\n}\n" + Instance().Replace("priority 100", "priority 100 ! prio") },
        { "good-quoted", Instance().Replace("interface IFACE", "interface \"IFACE\"") },
        { "good-v3-fractional", Instance("    version 3").Replace("advert_int 1", "advert_int 0.5") },
        { "good-vip-options", Instance(vip: "192.168.1.161/24 brd 192.168.1.255 dev IFACE scope global label IFACE:1") },
        { "good-missing-include", "include /nonexistent-keepsharp/x.conf\n" + Instance() },
        { "good-auth-unicast", Instance("    authentication {\n auth_type PASS\n auth_pass 1111\n }\n unicast_src_ip 10.0.0.1\n unicast_peer {\n 10.0.0.2\n }") },
        { "good-unknown-block-lvs", "virtual_server 10.0.0.1 80 {\n delay_loop 6\n protocol TCP\n lb_algo rr\n lb_kind NAT\n real_server 10.0.0.2 80 {\n weight 1\n TCP_CHECK {\n connect_timeout 3\n }\n }\n}\n" + Instance() },
        { "bad-vrid-256", Instance().Replace("virtual_router_id 51", "virtual_router_id 256") },
        { "bad-vrid-0", Instance().Replace("virtual_router_id 51", "virtual_router_id 0") },
        { "bad-priority-0", Instance().Replace("priority 100", "priority 0") },
        { "bad-priority-256", Instance().Replace("priority 100", "priority 256") },
        { "bad-advert-0", Instance().Replace("advert_int 1", "advert_int 0") },
        { "bad-v2-fractional", Instance().Replace("advert_int 1", "advert_int 0.5") },
        { "bad-ip", Instance(vip: "192.168.1.300") },
        { "bad-prefix", Instance(vip: "192.168.1.161/33") },
        { "bad-brd", Instance(vip: "192.168.1.161 brd 1.2.3") },
        { "bad-vip-option", Instance(vip: "192.168.1.161 foo") },
        { "bad-family-mix", Instance(vip: "192.168.1.161\n fe80::1/64") },
        { "bad-missing-brace", Instance().TrimEnd().TrimEnd('}') },
        { "bad-extra-brace", Instance() + "}\n" },
        { "bad-no-open-brace", Instance().Replace("VI_1 {", "VI_1") },
        { "bad-unknown-keyword", Instance("    foo_bar 3") },
        { "bad-duplicate", Instance() + Instance() },
        { "bad-unknown-track-script", Instance("    track_script {\n nosuch\n }") },
        { "bad-long-auth-pass", Instance("    authentication {\n auth_type PASS\n auth_pass 123456789abc\n }") },
        { "bad-auth-type", Instance("    authentication {\n auth_type FOO\n auth_pass 1\n }") },
        { "bad-state", Instance().Replace("state MASTER", "state FOO") },
        { "bad-no-vrid", Instance().Replace("virtual_router_id 51", "") },
        { "bad-no-interface", Instance().Replace("interface IFACE", "") },
        { "bad-no-name", Instance().Replace("VI_1 {", "{") },
        { "bad-no-vip", Instance(vip: "") },
        { "bad-script-without-script", "vrrp_script chk {\n interval 2\n}\n" + Instance() },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void AcceptsAndRejectsLikeKeepalived(string name, string text)
    {
        using var dir = new TempDir();
        var file = dir.Write(name + ".conf", text.Replace("IFACE", HostInterface));
        int expected = RunKeepalived(file);
        int actual = ConfigTest.GetExitCode(KeepalivedConfigLoader.Load(file));
        Assert.Equal(name.StartsWith("good", StringComparison.Ordinal), expected == 0); // the case is labelled right
        Assert.Equal(expected == 0, actual == 0);
        Assert.Equal(expected, actual); // keepalived 2.2.7: 0 or 5 (KEEPALIVED_EXIT_CONFIG_TEST)
    }

    [Theory]
    [InlineData("keep_171.conf")]
    [InlineData("keep_172.conf")]
    public void SeedConfigsAcceptedByBoth(string seed)
    {
        using var dir = new TempDir();
        var file = dir.Write(seed, File.ReadAllText(TestPaths.Seed(seed)).Replace("ens33", HostInterface));
        Assert.Equal(0, RunKeepalived(file));
        Assert.Equal(0, ConfigTest.GetExitCode(KeepalivedConfigLoader.Load(file)));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void SeedWithCheckScript_KeepalivedObjectsOnlyToTheHost()
    {
        // keepalived -t says 5 because /etc/keepalived/check_nginx_alive_or_not.sh does not exist here, and 6
        // (script security not enabled) when it does; both are runtime/host policy, not the language.
        using var dir = new TempDir();
        var text = File.ReadAllText(TestPaths.Seed("keep_171_check_nginx.conf")).Replace("ens33", HostInterface);
        var file = dir.Write("k.conf", text);
        Assert.NotEqual(0, RunKeepalived(file));
        Assert.Equal(0, ConfigTest.GetExitCode(KeepalivedConfigLoader.Load(file)));

        var script = dir.Write("check.sh", "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var secure = dir.Write("secure.conf", text
            .Replace("/etc/keepalived/check_nginx_alive_or_not.sh", script)
            .Replace("router_id keep_171", "router_id keep_171\n   enable_script_security\n   script_user root"));
        Assert.Equal(0, RunKeepalived(secure));
        Assert.Equal(0, ConfigTest.GetExitCode(KeepalivedConfigLoader.Load(secure)));
    }

    private static int RunKeepalived(string file) => KeepalivedCli.ConfigTest(file).ExitCode;
}
