using System.Text;
using KeepSharp.Daemon.Runtime.Control;
using KeepSharp.Daemon.Runtime.Metrics;

namespace KeepSharp.Tests.Status;

/// <summary>The control socket's request line and the metrics endpoint's request head: bounded, strict.</summary>
public class ControlProtocolTests
{
    private static Func<Memory<byte>, int> Chunks(params string[] chunks)
    {
        var queue = new Queue<byte[]>(chunks.Select(Encoding.UTF8.GetBytes));
        return buffer =>
        {
            if (!queue.TryDequeue(out byte[]? next))
                return 0;
            int n = Math.Min(next.Length, buffer.Length);
            next.AsSpan(0, n).CopyTo(buffer.Span);
            return n;
        };
    }

    [Fact]
    public void A_request_line_may_arrive_in_pieces()
    {
        Assert.Equal(LineStatus.Ok, ControlProtocol.ReadLine(Chunks("{\"comm", "and\":\"status\"}\n"), out byte[] line));
        Assert.True(ControlProtocol.TryParse(line, out ControlRequest? request, out _));
        Assert.Equal(new ControlRequest("status"), request);
    }

    [Fact]
    public void An_oversized_line_is_rejected_without_reading_on()
    {
        string big = new('x', ControlProtocol.MaxRequestBytes + 10);
        int calls = 0;
        Func<Memory<byte>, int> receive = Chunks(big, big, big, "\n");
        Assert.Equal(LineStatus.TooLong, ControlProtocol.ReadLine(b => { calls++; return receive(b); }, out _));
        Assert.Equal(1, calls);
        Assert.Equal(LineStatus.TooLong, ControlProtocol.ReadLine(Chunks(new string('x', ControlProtocol.MaxRequestBytes + 1) + "\n"), out _));
        Assert.Equal(LineStatus.Ok, ControlProtocol.ReadLine(Chunks(new string(' ', ControlProtocol.MaxRequestBytes) + "\n"), out _));
    }

    [Fact]
    public void A_slow_or_closing_client_ends_the_read()
    {
        Assert.Equal(LineStatus.TimedOut, ControlProtocol.ReadLine(_ => throw new TimeoutException(), out _));
        Assert.Equal(LineStatus.Closed, ControlProtocol.ReadLine(Chunks("{\"command\":"), out _));
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("status", "not valid JSON")]
    [InlineData("[1,2]", "a JSON object")]
    [InlineData("{\"command\":1}", "no \"command\"")]
    [InlineData("{\"command\":\"reboot\"}", "unknown command 'reboot'")]
    [InlineData("{\"command\":\"garp\"}", "garp needs an \"instance\"")]
    [InlineData("{\"command\":\"status\"", "not valid JSON")]
    [InlineData("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}},\"command\":\"status\"}", "not valid JSON")]
    [InlineData("{\"command\":\"status\"} trailing", "not valid JSON")]
    public void Malformed_requests_are_rejected_with_a_reason(string line, string reason)
    {
        Assert.False(ControlProtocol.TryParse(Encoding.UTF8.GetBytes(line), out ControlRequest? request, out string? error));
        Assert.Null(request);
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Requests_and_answers_are_one_json_line()
    {
        byte[] request = ControlProtocol.Request(new ControlRequest("garp", "VI_1"));
        Assert.Equal("{\"command\":\"garp\",\"instance\":\"VI_1\"}\n", Encoding.UTF8.GetString(request));
        Assert.True(ControlProtocol.TryParse(request.AsSpan(0, request.Length - 1), out ControlRequest? parsed, out _));
        Assert.Equal(new ControlRequest("garp", "VI_1"), parsed);
        Assert.Equal("{\"ok\":false,\"error\":\"no \\\"x\\\"\"}\n", Encoding.UTF8.GetString(ControlProtocol.Error("no \"x\"")));
    }

    [Theory]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 200)]
    [InlineData("GET /metrics?x=1 HTTP/1.0\r\n\r\n", 200)]
    [InlineData("HEAD /metrics HTTP/1.1\r\n\r\n", 200)]
    [InlineData("GET / HTTP/1.1\r\n\r\n", 404)]
    [InlineData("GET /metricsx HTTP/1.1\r\n\r\n", 404)]
    [InlineData("POST /metrics HTTP/1.1\r\n\r\n", 405)]
    [InlineData("GET /metrics\r\n\r\n", 400)]
    [InlineData("get /metrics HTTP/1.1\r\n\r\n", 400)]
    [InlineData("GET /metrics HTTP/2\r\n\r\n", 400)]
    [InlineData("GET /metrics HTTP/1.1\r\nX: \u0001\r\n\r\n", 400)]
    [InlineData("\r\n\r\n", 400)]
    public void The_metrics_endpoint_serves_GET_metrics_only(string head, int status)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(head);
        int end = Http.EndOfHead(bytes);
        Assert.Equal(bytes.Length, end);
        string response = Encoding.UTF8.GetString(MetricsServer.Respond(Http.Parse(bytes.AsSpan(0, end)), () => "m 1\n"));
        Assert.StartsWith($"HTTP/1.1 {status} ", response);
        if (status == 200)
            Assert.Contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n", response);
    }

    [Fact]
    public void Metrics_answer_503_when_the_loop_does_not_and_408_431_for_slow_and_huge_heads()
    {
        Assert.StartsWith("HTTP/1.1 503 ", Encoding.ASCII.GetString(MetricsServer.Respond(new HttpRequestHead(HttpOutcome.Ok, "GET", "/metrics"), () => null)));
        Assert.StartsWith("HTTP/1.1 408 ", Encoding.ASCII.GetString(MetricsServer.Respond(HttpRequestHead.TimedOut, () => "")));
        Assert.StartsWith("HTTP/1.1 431 ", Encoding.ASCII.GetString(MetricsServer.Respond(HttpRequestHead.TooLarge, () => "")));
        Assert.Empty(MetricsServer.Respond(HttpRequestHead.Closed, () => ""));
        Assert.Equal(-1, Http.EndOfHead("GET /metrics HTTP/1.1\r\n"u8));
    }
}
