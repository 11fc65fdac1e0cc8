using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace KeepSharp.Config.Parsing;

/// <summary>
/// KeepSharp's own global_defs keywords for operating the daemon (keepalived has no equivalent):
/// <c>metrics_listen ADDR:PORT</c> and <c>control_socket PATH|off</c>.
/// </summary>
internal static class OperationsKeywords
{
    /// <summary><c>metrics_listen ADDR:PORT</c> (IPv6 as <c>[ADDR]:PORT</c>): the Prometheus endpoint; off by default.</summary>
    public static void MetricsListen(ParseContext context, ConfigBuilder builder, ConfigStatement statement)
    {
        if (statement.Args.Count != 1)
        {
            context.Error(statement.Location, "'metrics_listen' requires one ADDRESS:PORT (an IPv6 address as [ADDRESS]:PORT)");
            return;
        }
        string text = statement.Args[0].Text;
        if (TryParseEndpoint(text, out IPEndPoint? endpoint, out string? problem))
            builder.GlobalDefs.MetricsListen = endpoint;
        else
            context.Error(statement.Location, $"metrics_listen '{text}': {problem}");
    }

    /// <summary><c>control_socket PATH</c> (absolute) or <c>control_socket off</c>: where <c>keepsharp status</c> reaches the daemon.</summary>
    public static void ControlSocket(ParseContext context, ConfigBuilder builder, ConfigStatement statement)
    {
        if (statement.Args.Count != 1 || statement.Args[0].Text.Length == 0)
        {
            context.Error(statement.Location, "'control_socket' requires an absolute path, or 'off'");
            return;
        }
        string text = statement.Args[0].Text;
        if (text == "off")
            builder.GlobalDefs.ControlSocket = "";
        else if (!text.StartsWith('/') || text.EndsWith('/'))
            context.Error(statement.Location, $"control_socket '{text}': must be an absolute path of a socket file, or 'off'");
        else if (System.Text.Encoding.UTF8.GetByteCount(text) > MaxSocketPathBytes)
            context.Error(statement.Location, $"control_socket '{text}': a Unix socket path has at most {MaxSocketPathBytes} bytes");
        else
            builder.GlobalDefs.ControlSocket = text;
    }

    /// <summary>sizeof(sun_path) - 1.</summary>
    public const int MaxSocketPathBytes = 107;

    /// <summary>ADDR:PORT or [ADDR6]:PORT, the port 1..65535 and always given.</summary>
    public static bool TryParseEndpoint(string text, out IPEndPoint? endpoint, out string? problem)
    {
        endpoint = null;
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            problem = "expected ADDRESS:PORT, e.g. 127.0.0.1:9650 or [::1]:9650";
            return false;
        }
        string host = text[..colon];
        string portText = text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            problem = $"port '{portText}' is not a number from 1 to 65535";
            return false;
        }
        bool bracketed = host.StartsWith('[') && host.EndsWith(']');
        if (bracketed)
            host = host[1..^1];
        if (!IPAddress.TryParse(host, out IPAddress? address) || host.Contains('%'))
        {
            problem = $"'{host}' is not an IP address";
            return false;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && !bracketed)
        {
            problem = "write an IPv6 address in brackets: [ADDRESS]:PORT";
            return false;
        }
        if (address.AddressFamily == AddressFamily.InterNetwork && bracketed)
        {
            problem = "only an IPv6 address goes in brackets";
            return false;
        }
        endpoint = new IPEndPoint(address, port);
        problem = null;
        return true;
    }
}
