using KeepSharp.Daemon.Runtime.Control;
using KeepSharp.Daemon.Runtime.Metrics;

namespace KeepSharp.Tests.Status;

/// <summary>The exposition text: escaping, value forms, and the daemon's metrics read back by a strict parser.</summary>
public class PrometheusTextTests
{
    [Fact]
    public void Label_values_and_help_are_escaped_and_read_back()
    {
        string text = new PrometheusText()
            .Family("x_total", "counter", "back\\slash and\nnewline")
            .Sample("x_total", 3, ("name", "a \"quoted\" back\\slash\nnext line"))
            .ToString();
        Assert.Equal("# HELP x_total back\\\\slash and\\nnewline\n# TYPE x_total counter\nx_total{name=\"a \\\"quoted\\\" back\\\\slash\\nnext line\"} 3\n", text);
        var parsed = PrometheusParser.Parse(text);
        Assert.Equal("back\\slash and\nnewline", parsed["x_total"].Help);
        Assert.Equal("a \"quoted\" back\\slash\nnext line", parsed["x_total"].Samples[0].Labels["name"]);
    }

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(-1.0, "-1")]
    [InlineData(0.25, "0.25")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(1e300, "1E+300")]
    public void Values_use_prometheus_forms(double value, string text) => Assert.Equal(text, PrometheusText.FormatValue(value));

    [Fact]
    public void The_parser_rejects_what_prometheus_rejects()
    {
        Assert.Throws<FormatException>(() => PrometheusParser.Parse("# HELP a x\n# TYPE a gauge\na{l=\"\\x\"} 1\n"));
        Assert.Throws<FormatException>(() => PrometheusParser.Parse("# HELP a x\n# TYPE a gauge\na 1")); // no final newline
        Assert.Throws<FormatException>(() => PrometheusParser.Parse("a 1\n")); // no TYPE
        Assert.Throws<FormatException>(() => PrometheusParser.Parse("# HELP a x\n# TYPE a gauge\nb 1\n")); // outside its family
        Assert.Throws<FormatException>(() => PrometheusParser.Parse("# HELP a x\n# TYPE a gauge\na 1\na 2\n")); // repeated
    }

    [Fact]
    public void The_daemons_metrics_parse_and_carry_the_snapshots_values()
    {
        string text = MetricsExposition.Format(StatusReport.From(StatusSamples.Snapshot()));
        var m = PrometheusParser.Parse(text);
        Assert.Equal(1, PrometheusParser.Value(m, "keepsharp_vrrp_state", ("vrrp_instance", "VI_1"), ("state", "BACKUP")));
        Assert.Equal(0, PrometheusParser.Value(m, "keepsharp_vrrp_state", ("vrrp_instance", "VI_1"), ("state", "MASTER")));
        Assert.Equal(1, PrometheusParser.Value(m, "keepsharp_vrrp_state", ("vrrp_instance", "VI_6"), ("state", "MASTER"), ("family", "IPv6"), ("vrid", "52")));
        Assert.Equal(80, PrometheusParser.Value(m, "keepsharp_vrrp_base_priority", ("vrrp_instance", "VI_1")));
        Assert.Equal(70, PrometheusParser.Value(m, "keepsharp_vrrp_effective_priority", ("vrrp_instance", "VI_1")));
        Assert.Equal(900, PrometheusParser.Value(m, "keepsharp_vrrp_adverts_sent_total", ("vrrp_instance", "VI_6")));
        Assert.Equal(120, PrometheusParser.Value(m, "keepsharp_vrrp_adverts_received_total", ("vrrp_instance", "VI_1")));
        Assert.Equal(7, PrometheusParser.Value(m, "keepsharp_vrrp_adverts_dropped_total", ("vrrp_instance", "VI_1"), ("reason", "AuthenticationFailure")));
        Assert.Equal(1, PrometheusParser.Value(m, "keepsharp_vrrp_transitions_total", ("vrrp_instance", "VI_6"), ("to", "MASTER")));
        Assert.Equal(0, PrometheusParser.Value(m, "keepsharp_vrrp_tracker_result", ("vrrp_instance", "VI_1"), ("tracker", "chk \"web\"")));
        Assert.Equal(254, PrometheusParser.Value(m, "keepsharp_vrrp_heard_router_priority", ("vrrp_instance", "VI_1"), ("source", "10.51.0.9")));
        Assert.Equal(7, PrometheusParser.Value(m, "keepsharp_interface_dropped_total", ("interface", "eth0"), ("reason", "AuthenticationFailure")));
        Assert.Equal("counter", m["keepsharp_vrrp_adverts_sent_total"].Type);
        Assert.Equal("histogram", m["keepsharp_script_duration_seconds"].Type);
        // the histogram: cumulative buckets, +Inf = count, sum
        Assert.Equal(0, PrometheusParser.Value(m, "keepsharp_script_duration_seconds", ("script", "chk \"web\""), ("le", "0.01")));
        Assert.Equal(1, PrometheusParser.Value(m, "keepsharp_script_duration_seconds", ("script", "chk \"web\""), ("le", "0.025")));
        Assert.Equal(2, PrometheusParser.Value(m, "keepsharp_script_duration_seconds", ("script", "chk \"web\""), ("le", "2.5")));
        Assert.Equal(2, PrometheusParser.Value(m, "keepsharp_script_duration_seconds", ("script", "chk \"web\""), ("le", "+Inf")));
        Sample(m, "keepsharp_script_duration_seconds_count", 2);
        Sample(m, "keepsharp_script_duration_seconds_sum", 2.02);
        Assert.Equal(1, PrometheusParser.Value(m, "keepsharp_script_timeouts_total", ("script", "chk \"web\"")));
        Assert.Equal(9_437_184, PrometheusParser.Value(m, "process_resident_memory_bytes"));
        Assert.Equal(18, PrometheusParser.Value(m, "process_open_fds"));
        Assert.Equal(734_003, PrometheusParser.Value(m, "keepsharp_gc_heap_bytes"));
        Assert.Equal(3, PrometheusParser.Value(m, "keepsharp_gc_collections_total", ("generation", "1")));
    }

    private static void Sample(Dictionary<string, PrometheusParser.Family> m, string name, double value) =>
        Assert.Equal(value, m["keepsharp_script_duration_seconds"].Samples.Single(s => s.Name == name).Value, 6);
}
