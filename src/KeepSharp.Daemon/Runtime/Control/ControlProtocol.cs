using System.Buffers;
using System.Text;
using System.Text.Json;

namespace KeepSharp.Daemon.Runtime.Control;

/// <summary>One request on the control socket.</summary>
/// <param name="Command"><c>status</c>, <c>reload</c> or <c>garp</c>.</param>
/// <param name="Instance">The instance of <c>garp</c>.</param>
/// <param name="ConfigFile">With <c>reload</c>: the file the client validated (the daemon refuses when it runs another).</param>
internal sealed record ControlRequest(string Command, string? Instance = null, string? ConfigFile = null);

/// <summary>How reading a request line ended.</summary>
internal enum LineStatus
{
    Ok,
    /// <summary>More than <see cref="ControlProtocol.MaxRequestBytes"/> before a newline.</summary>
    TooLong,
    /// <summary>The peer closed before a newline.</summary>
    Closed,
    /// <summary><see cref="ControlProtocol.ReadTimeout"/> passed before a newline.</summary>
    TimedOut,
}

/// <summary>
/// The control socket's protocol: the client sends one JSON object on one line (at most <see cref="MaxRequestBytes"/>,
/// within <see cref="ReadTimeout"/>), the daemon answers one JSON object on one line and closes:
/// <c>{"command":"status"}</c> → <c>{"ok":true,"status":{...}}</c>;
/// <c>{"command":"reload","config_file":"/etc/keepalived/keepalived.conf"}</c> → <c>{"ok":true,"reload":{"applied":false,"messages":[...]}}</c>;
/// <c>{"command":"garp","instance":"VI_1"}</c> → <c>{"ok":true,"message":"..."}</c>;
/// anything wrong → <c>{"ok":false,"error":"..."}</c>.
/// </summary>
internal static class ControlProtocol
{
    public const int MaxRequestBytes = 4096;

    /// <summary>A client must have sent its whole request line by then.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Reads up to the first '\n' through <paramref name="receive"/> (which returns 0 at end of stream and throws
    /// <see cref="TimeoutException"/> when its time is up), at most <see cref="MaxRequestBytes"/> bytes.
    /// </summary>
    public static LineStatus ReadLine(Func<Memory<byte>, int> receive, out byte[] line)
    {
        line = [];
        byte[] buffer = new byte[MaxRequestBytes + 1];
        int filled = 0;
        while (true)
        {
            int n;
            try
            {
                n = receive(buffer.AsMemory(filled));
            }
            catch (TimeoutException)
            {
                return LineStatus.TimedOut;
            }
            if (n <= 0)
                return LineStatus.Closed;
            int newline = Array.IndexOf(buffer, (byte)'\n', filled, n);
            filled += n;
            if (newline >= 0)
            {
                if (newline > MaxRequestBytes)
                    return LineStatus.TooLong;
                line = buffer[..newline];
                return LineStatus.Ok;
            }
            if (filled > MaxRequestBytes)
                return LineStatus.TooLong;
        }
    }

    /// <summary>Parses a request line; <paramref name="error"/> says what is wrong with it.</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out ControlRequest? request, out string? error)
    {
        request = null;
        if (line.Length > 0 && line[^1] == (byte)'\r')
            line = line[..^1];
        if (line.Length > MaxRequestBytes)
        {
            error = $"request longer than {MaxRequestBytes} bytes";
            return false;
        }
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 4 });
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            if (!line[(int)reader.BytesConsumed..].Trim(" \t"u8).IsEmpty)
            {
                error = "the request is not valid JSON: something follows the object";
                return false;
            }
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "a request is a JSON object";
                return false;
            }
            if (!root.TryGetProperty("command", out JsonElement command) || command.ValueKind != JsonValueKind.String)
            {
                error = "the request has no \"command\" string";
                return false;
            }
            string? instance = OptionalString(root, "instance");
            string? configFile = OptionalString(root, "config_file");
            request = new ControlRequest(command.GetString()!, instance, configFile);
            switch (request.Command)
            {
                case "status":
                case "reload":
                    break;
                case "garp" when instance is { Length: > 0 }:
                    break;
                case "garp":
                    error = "garp needs an \"instance\"";
                    request = null;
                    return false;
                default:
                    error = $"unknown command '{request.Command}' (status, reload, garp)";
                    request = null;
                    return false;
            }
            error = null;
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            error = "the request is not valid JSON";
            return false;
        }
    }

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A request line (client side).</summary>
    public static byte[] Request(ControlRequest request) => Line(w =>
    {
        w.WriteString("command", request.Command);
        if (request.Instance is not null)
            w.WriteString("instance", request.Instance);
        if (request.ConfigFile is not null)
            w.WriteString("config_file", request.ConfigFile);
    });

    public static byte[] Error(string message) => Line(w =>
    {
        w.WriteBoolean("ok", false);
        w.WriteString("error", message);
    });

    public static byte[] Message(string message) => Line(w =>
    {
        w.WriteBoolean("ok", true);
        w.WriteString("message", message);
    });

    public static byte[] Status(StatusReport report) => Line(w =>
    {
        w.WriteBoolean("ok", true);
        w.WritePropertyName("status");
        StatusJson.Write(w, report);
    });

    public static byte[] Reload(Reload.ReloadReport report) => Line(w =>
    {
        w.WriteBoolean("ok", true);
        w.WriteStartObject("reload");
        w.WriteBoolean("applied", report.Applied);
        w.WriteStartArray("messages");
        foreach (string m in report.Messages)
            w.WriteStringValue(m);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>One JSON object and '\n'.</summary>
    private static byte[] Line(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return [.. buffer.WrittenSpan, (byte)'\n'];
    }

    public static string Text(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);
}
