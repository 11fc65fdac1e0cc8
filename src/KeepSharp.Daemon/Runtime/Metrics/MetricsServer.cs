using System.Net;
using System.Net.Sockets;
using System.Text;
using KeepSharp.Daemon.Logging;

namespace KeepSharp.Daemon.Runtime.Metrics;

/// <summary>
/// The Prometheus endpoint (<c>metrics_listen ADDR:PORT</c>): HTTP/1.1 on a plain TCP listener with its own accept thread;
/// each connection is served on the thread pool, at most <see cref="MaxConnections"/> at once (others are closed at
/// once). Only <c>GET /metrics</c> (and HEAD) is served; anything else gets 404, 405 or 400. The request head is at most
/// <see cref="MaxRequestBytes"/> and must arrive within <see cref="ReadTimeout"/>; one request per connection. The
/// metrics come from <paramref name="render"/> (a snapshot the loop published), so a slow or malformed client only
/// ever holds one pool thread for a few seconds.
/// </summary>
internal sealed class MetricsServer : IDisposable
{
    public const int MaxConnections = 8;
    public const int MaxRequestBytes = 8192;
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _listener;
    private readonly Func<string?> _render;
    private readonly Log _log;
    private readonly Thread _thread;
    private int _connections;
    private volatile bool _disposed;

    private MetricsServer(Socket listener, Func<string?> render, Log log)
    {
        _listener = listener;
        _render = render;
        _log = log;
        _thread = new Thread(AcceptLoop) { IsBackground = true, Name = "keepsharp-metrics" };
    }

    public EndPoint LocalEndPoint => _listener.LocalEndPoint!;

    /// <param name="render">The exposition text, or null when no snapshot could be had (503).</param>
    public static MetricsServer Start(IPEndPoint endpoint, Func<string?> render, Log log)
    {
        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6)
                listener.DualMode = false;
            listener.Bind(endpoint);
            listener.Listen(32);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new IOException($"metrics_listen {Format(endpoint)}: cannot listen: {e.Message}", e);
        }
        var server = new MetricsServer(listener, render, log);
        server._thread.Start();
        return server;
    }

    public static string Format(IPEndPoint e) => e.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{e.Address}]:{e.Port}" : $"{e.Address}:{e.Port}";

    private void AcceptLoop()
    {
        while (!_disposed)
        {
            Socket client;
            try
            {
                client = _listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (_disposed)
                    return;
                Thread.Sleep(100);
                continue;
            }
            if (Interlocked.Increment(ref _connections) > MaxConnections)
            {
                Interlocked.Decrement(ref _connections);
                client.Dispose();
                continue;
            }
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Self.Serve(state.Client), (Self: this, Client: client), preferLocal: false);
        }
    }

    private void Serve(Socket client)
    {
        try
        {
            using (client)
            {
                client.SendTimeout = (int)ReadTimeout.TotalMilliseconds;
                client.NoDelay = true;
                HttpRequestHead head = ReadHead(client);
                byte[] response = Respond(head, _render);
                client.Send(response);
                client.Shutdown(SocketShutdown.Send);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
        }
        catch (Exception e)
        {
            _log.Error($"metrics endpoint: request failed: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            Interlocked.Decrement(ref _connections);
        }
    }

    private static HttpRequestHead ReadHead(Socket client)
    {
        byte[] buffer = new byte[MaxRequestBytes];
        int filled = 0;
        long deadline = Environment.TickCount64 + (long)ReadTimeout.TotalMilliseconds;
        while (true)
        {
            int end = Http.EndOfHead(buffer.AsSpan(0, filled));
            if (end >= 0)
                return Http.Parse(buffer.AsSpan(0, end));
            if (filled == buffer.Length)
                return HttpRequestHead.TooLarge;
            long left = deadline - Environment.TickCount64;
            if (left <= 0)
                return HttpRequestHead.TimedOut;
            client.ReceiveTimeout = (int)Math.Max(1, left);
            int n;
            try
            {
                n = client.Receive(buffer.AsSpan(filled));
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                return HttpRequestHead.TimedOut;
            }
            if (n <= 0)
                return HttpRequestHead.Closed;
            filled += n;
        }
    }

    /// <summary>The whole response for a request head.</summary>
    public static byte[] Respond(HttpRequestHead head, Func<string?> render)
    {
        switch (head.Outcome)
        {
            case HttpOutcome.Closed:
                return [];
            case HttpOutcome.TooLarge:
                return Http.Response(431, "Request Header Fields Too Large", "request head too large\n");
            case HttpOutcome.TimedOut:
                return Http.Response(408, "Request Timeout", "request head not received in time\n");
            case HttpOutcome.Malformed:
                return Http.Response(400, "Bad Request", "malformed request\n");
        }
        if (head.Path != "/metrics")
            return Http.Response(404, "Not Found", "only /metrics is served here\n");
        if (head.Method is not ("GET" or "HEAD"))
            return Http.Response(405, "Method Not Allowed", "only GET\n", extraHeaders: "Allow: GET, HEAD\r\n");
        string? text = render();
        if (text is null)
            return Http.Response(503, "Service Unavailable", "the daemon's event loop did not answer in time\n");
        return Http.Response(200, "OK", text, PrometheusText.ContentType, headOnly: head.Method == "HEAD");
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        try
        {
            _listener.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        _listener.Dispose();
        _thread.Join(TimeSpan.FromSeconds(1));
    }
}

internal enum HttpOutcome
{
    Ok,
    Malformed,
    TooLarge,
    TimedOut,
    Closed,
}

internal sealed record HttpRequestHead(HttpOutcome Outcome, string Method = "", string Path = "")
{
    public static readonly HttpRequestHead TooLarge = new(HttpOutcome.TooLarge);
    public static readonly HttpRequestHead TimedOut = new(HttpOutcome.TimedOut);
    public static readonly HttpRequestHead Closed = new(HttpOutcome.Closed);
    public static readonly HttpRequestHead Malformed = new(HttpOutcome.Malformed);
}

/// <summary>The little of HTTP/1.x the endpoint needs.</summary>
internal static class Http
{
    /// <summary>The length of the head including its blank line, or -1 when it has not all arrived.</summary>
    public static int EndOfHead(ReadOnlySpan<byte> data)
    {
        int crlf = data.IndexOf("\r\n\r\n"u8);
        if (crlf >= 0)
            return crlf + 4;
        int lf = data.IndexOf("\n\n"u8);
        return lf >= 0 ? lf + 2 : -1;
    }

    /// <summary>Parses the request line (<c>METHOD SP TARGET SP HTTP/1.x</c>); the header lines must be printable ASCII.</summary>
    public static HttpRequestHead Parse(ReadOnlySpan<byte> head)
    {
        foreach (byte b in head)
        {
            if (b is not ((>= 0x20 and < 0x7f) or (byte)'\r' or (byte)'\n' or (byte)'\t'))
                return HttpRequestHead.Malformed;
        }
        string text = Encoding.ASCII.GetString(head);
        int lineEnd = text.IndexOf('\n');
        string line = text[..lineEnd].TrimEnd('\r');
        string[] parts = line.Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || !parts[0].All(char.IsAsciiLetterUpper) || !parts[1].StartsWith('/')
            || parts[2] is not ("HTTP/1.1" or "HTTP/1.0"))
            return HttpRequestHead.Malformed;
        string path = parts[1];
        int query = path.IndexOf('?');
        if (query >= 0)
            path = path[..query];
        return new HttpRequestHead(HttpOutcome.Ok, parts[0], path);
    }

    public static byte[] Response(int code, string reason, string body, string contentType = "text/plain; charset=utf-8", string extraHeaders = "", bool headOnly = false)
    {
        byte[] content = Encoding.UTF8.GetBytes(body);
        string head = $"HTTP/1.1 {code} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {content.Length}\r\nConnection: close\r\n{extraHeaders}\r\n";
        byte[] headBytes = Encoding.ASCII.GetBytes(head);
        return headOnly ? headBytes : [.. headBytes, .. content];
    }
}
