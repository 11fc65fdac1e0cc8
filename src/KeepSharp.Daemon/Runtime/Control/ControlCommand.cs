using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using KeepSharp.Config;
using KeepSharp.Daemon.CommandLine;

namespace KeepSharp.Daemon.Runtime.Control;

/// <summary>
/// The client side of the control socket: <c>keepsharp status [--json]</c>, <c>keepsharp reload [-f FILE]</c>,
/// <c>keepsharp garp INSTANCE</c>, each with <c>-s/--socket PATH</c>. Exit 0 when done, 1 when the daemon refused or
/// cannot be reached, 2 when <c>reload</c> found the configuration broken (the daemon is not contacted then).
/// </summary>
internal static class ControlCommand
{
    public static readonly string[] Names = ["status", "reload", "garp"];

    public const int ExitOk = 0;
    public const int ExitFailed = 1;
    public const int ExitConfig = 2;

    public const string UsageText = """
        keepsharp status [--json] [-s|--socket PATH]
                                       Each instance: state, priorities, master, VIPs, last change, trackers,
                                         counters, and every router heard on the wire for its VRID
        keepsharp reload [-f FILE] [-i ID] [-s|--socket PATH]
                                       Check FILE (the daemon's configuration) as the daemon loads it; when it
                                         is sound, have the daemon reload it and print what the reload did
        keepsharp garp INSTANCE [-s|--socket PATH]
                                       Have a master instance send its gratuitous ARPs / unsolicited NAs again
        """;

    public static int Run(string command, string[] args, TextWriter output, TextWriter error)
    {
        string? socket = null;
        bool json = false;
        List<string> rest = [];
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a is "-s" or "--socket")
            {
                if (i + 1 >= args.Length)
                    return Usage(error, $"{a} needs a path");
                socket = args[++i];
            }
            else if (a.StartsWith("--socket=", StringComparison.Ordinal))
                socket = a["--socket=".Length..];
            else if (a == "--json" && command == "status")
                json = true;
            else if (a is "-h" or "--help")
            {
                output.WriteLine(UsageText);
                return ExitOk;
            }
            else
                rest.Add(a);
        }
        return command switch
        {
            "status" when rest.Count == 0 => Status(socket ?? GlobalDefs.DefaultControlSocket, json, output, error),
            "garp" when rest.Count == 1 => Garp(socket ?? GlobalDefs.DefaultControlSocket, rest[0], output, error),
            "reload" => Reload(socket, rest, output, error),
            "garp" => Usage(error, "garp needs one INSTANCE"),
            _ => Usage(error, $"unexpected argument '{rest[0]}'"),
        };
    }

    private static int Usage(TextWriter error, string problem)
    {
        error.WriteLine($"keepsharp: {problem}");
        error.WriteLine(UsageText);
        return ExitFailed;
    }

    private static int Status(string socket, bool json, TextWriter output, TextWriter error)
    {
        if (!TryCall(socket, new ControlRequest("status"), TimeSpan.FromSeconds(15), error, out JsonDocument? answer))
            return ExitFailed;
        using (answer)
        {
            JsonElement status = answer!.RootElement.GetProperty("status");
            if (json)
            {
                using var stream = new MemoryStream();
                using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                    status.WriteTo(w);
                output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
                return ExitOk;
            }
            StatusReport report;
            try
            {
                report = StatusJson.Read(status);
            }
            catch (FormatException e)
            {
                error.WriteLine($"keepsharp: {e.Message}");
                return ExitFailed;
            }
            output.Write(StatusTable.Format(report));
            return ExitOk;
        }
    }

    private static int Garp(string socket, string instance, TextWriter output, TextWriter error)
    {
        if (!TryCall(socket, new ControlRequest("garp", instance), TimeSpan.FromSeconds(15), error, out JsonDocument? answer))
            return ExitFailed;
        using (answer)
            output.WriteLine(answer!.RootElement.GetProperty("message").GetString());
        return ExitOk;
    }

    /// <summary>Loads the file as the daemon would (same loader, same options); only a sound file is sent for reload.</summary>
    private static int Reload(string? socket, List<string> rest, TextWriter output, TextWriter error)
    {
        DaemonOptions? options = CommandLineParser.Parse([.. rest], out string? problem);
        if (options is null)
            return Usage(error, problem ?? "bad options");
        string file = Path.GetFullPath(options.ConfigFile);
        ConfigLoadResult result = KeepalivedConfigLoader.Load(file, ConfigTestCommand.LoadOptions(options));
        foreach (ConfigDiagnostic diagnostic in result.Diagnostics)
            error.WriteLine(diagnostic.ToString());
        string[] unsupported = result.Config is { } loaded ? [.. FeatureSupport.Errors(loaded)] : [];
        foreach (string e in unsupported)
            error.WriteLine(e);
        if (result.Config is not { } config || unsupported.Length > 0)
        {
            error.WriteLine($"keepsharp: {file} has errors (see above); the daemon was not asked to reload and keeps its configuration");
            return ExitConfig;
        }
        socket ??= string.IsNullOrEmpty(config.GlobalDefs.ControlSocket) ? GlobalDefs.DefaultControlSocket : config.GlobalDefs.ControlSocket;
        if (!TryCall(socket, new ControlRequest("reload", ConfigFile: file), TimeSpan.FromSeconds(75), error, out JsonDocument? answer))
            return ExitFailed;
        using (answer)
        {
            JsonElement reload = answer!.RootElement.GetProperty("reload");
            bool applied = reload.GetProperty("applied").GetBoolean();
            foreach (JsonElement m in reload.GetProperty("messages").EnumerateArray())
                output.WriteLine(m.GetString());
            output.WriteLine(applied ? $"Reloaded {file}" : $"Not reloaded: the daemon keeps its running configuration");
            return applied ? ExitOk : ExitFailed;
        }
    }

    /// <summary>Sends one request, reads one answer line; an error answer or a transport problem is written to <paramref name="error"/>.</summary>
    private static bool TryCall(string path, ControlRequest request, TimeSpan timeout, TextWriter error, out JsonDocument? answer)
    {
        answer = null;
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e)
        {
            error.WriteLine(e.SocketErrorCode switch
            {
                SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported when !File.Exists(path) =>
                    $"keepsharp: no control socket at {path}: is keepsharp running? (control_socket in global_defs, or -s, names another)",
                SocketError.ConnectionRefused => $"keepsharp: nobody listens on {path}: keepsharp is not running (a stale socket)",
                SocketError.AccessDenied => $"keepsharp: permission denied on {path}: the control socket is root-only; run as root",
                _ when !File.Exists(path) => $"keepsharp: no control socket at {path}: is keepsharp running? (control_socket in global_defs, or -s, names another)",
                _ => $"keepsharp: cannot connect to {path}: {e.Message}",
            });
            return false;
        }
        socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        socket.SendTimeout = (int)timeout.TotalMilliseconds;
        byte[] line;
        try
        {
            socket.Send(ControlProtocol.Request(request));
            using var received = new MemoryStream();
            byte[] buffer = new byte[65536];
            while (true)
            {
                int n = socket.Receive(buffer);
                if (n <= 0)
                    break;
                received.Write(buffer, 0, n);
                if (Array.IndexOf(buffer, (byte)'\n', 0, n) >= 0)
                    break;
            }
            line = received.ToArray();
        }
        catch (SocketException e)
        {
            error.WriteLine(e.SocketErrorCode == SocketError.TimedOut
                ? $"keepsharp: the daemon did not answer within {timeout.TotalSeconds:0} s"
                : $"keepsharp: {path}: {e.Message}");
            return false;
        }
        if (line.Length == 0)
        {
            error.WriteLine($"keepsharp: the daemon closed {path} without an answer");
            return false;
        }
        try
        {
            answer = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            error.WriteLine($"keepsharp: the answer on {path} is not JSON");
            return false;
        }
        JsonElement root = answer.RootElement;
        if (root.TryGetProperty("ok", out JsonElement ok) && ok.ValueKind == JsonValueKind.True)
            return true;
        string message = root.TryGetProperty("error", out JsonElement e2) ? e2.GetString() ?? "" : "malformed answer";
        error.WriteLine($"keepsharp: {message}");
        answer.Dispose();
        answer = null;
        return false;
    }
}
