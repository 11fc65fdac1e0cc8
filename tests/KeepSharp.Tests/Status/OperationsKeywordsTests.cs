using System.Net;
using KeepSharp.Config;

namespace KeepSharp.Tests.Status;

/// <summary>KeepSharp's global_defs keywords metrics_listen and control_socket.</summary>
public class OperationsKeywordsTests
{
    private static ConfigLoadResult Load(string globals) => KeepalivedConfigLoader.Parse($$"""
        global_defs {
            {{globals}}
        }
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
            priority 100
            virtual_ipaddress {
                10.0.0.1
            }
        }
        """, "k.conf");

    [Theory]
    [InlineData("127.0.0.1:9650", "127.0.0.1:9650")]
    [InlineData("0.0.0.0:80", "0.0.0.0:80")]
    [InlineData("[::1]:9650", "[::1]:9650")]
    public void Metrics_listen_takes_an_address_and_port(string value, string expected)
    {
        ConfigLoadResult result = Load($"metrics_listen {value}");
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == ConfigSeverity.Error);
        Assert.Equal(IPEndPoint.Parse(expected), result.Config!.GlobalDefs.MetricsListen);
    }

    [Fact]
    public void Metrics_are_off_and_the_control_socket_is_in_run_by_default()
    {
        GlobalDefs g = Load("router_id r").Config!.GlobalDefs;
        Assert.Null(g.MetricsListen);
        Assert.Null(g.ControlSocket);
        Assert.Equal("/run/keepsharp.sock", GlobalDefs.DefaultControlSocket);
    }

    [Theory]
    [InlineData("127.0.0.1", "expected ADDRESS:PORT")]
    [InlineData("127.0.0.1:0", "port '0'")]
    [InlineData("127.0.0.1:65536", "port '65536'")]
    [InlineData("127.0.0.1:http", "port 'http'")]
    [InlineData("localhost:9650", "'localhost' is not an IP address")]
    [InlineData("::1:9650", "in brackets")]
    [InlineData("[127.0.0.1]:9650", "only an IPv6 address")]
    [InlineData(":9650", "expected ADDRESS:PORT")]
    public void A_bad_metrics_listen_is_an_error_at_its_line(string value, string problem)
    {
        ConfigLoadResult result = Load($"metrics_listen {value}");
        ConfigDiagnostic error = Assert.Single(result.Diagnostics, d => d.Severity == ConfigSeverity.Error);
        Assert.Contains(problem, error.Message);
        Assert.StartsWith("k.conf:2:", error.ToString());
    }

    [Fact]
    public void Control_socket_takes_an_absolute_path_or_off()
    {
        Assert.Equal("/tmp/k.sock", Load("control_socket /tmp/k.sock").Config!.GlobalDefs.ControlSocket);
        Assert.Equal("", Load("control_socket off").Config!.GlobalDefs.ControlSocket);
        ConfigLoadResult relative = Load("control_socket k.sock");
        Assert.Contains(relative.Diagnostics, d => d.Severity == ConfigSeverity.Error && d.ToString().StartsWith("k.conf:2:", StringComparison.Ordinal));
        ConfigLoadResult tooLong = Load("control_socket /" + new string('a', 120));
        Assert.Contains(tooLong.Diagnostics, d => d.Severity == ConfigSeverity.Error && d.Message.Contains("at most 107 bytes"));
    }
}
