namespace KeepSharp.Lab;

public enum DaemonKind { KeepSharp, Keepalived }

/// <summary>
/// A VRRP daemon in a lab host. Both kinds share keepalived's command line; state lines like
/// "(VI_1) Entering MASTER STATE" from their console log go to the timeline.
/// </summary>
public abstract class LabDaemon : IDisposable
{
    private readonly Timeline _timeline;
    private HostProcess? _process;
    private int _starts;
    private volatile bool _stopRequested;

    protected LabDaemon(LabHost host, string configPath, Timeline timeline)
    {
        Host = host;
        ConfigPath = configPath;
        _timeline = timeline;
    }

    public LabHost Host { get; }
    public string ConfigPath { get; }
    public abstract DaemonKind Kind { get; }
    public string KindName => Kind == DaemonKind.KeepSharp ? "keepsharp" : "keepalived";
    public string PidFile => Path.Combine(Host.RunDir, $"{KindName}.pid");
    public string LogFile => Path.Combine(Host.RunDir, $"{KindName}.log");
    public bool Running => _process is { HasExited: false };
    /// <summary>The daemon's pid in the root pid namespace (0 when not running).</summary>
    public int Pid => _process is { HasExited: false } p ? p.Pid : 0;

    protected abstract IEnumerable<string> CommandLine();

    /// <param name="detailLog">keepalived's <c>-D</c> / <c>--log-detail</c> for either daemon (the lab's default; benchmarks turn it off).</param>
    public static LabDaemon Create(DaemonKind kind, LabHost host, string configPath, string keepsharpBinary, Timeline timeline, bool detailLog = true) =>
        kind switch
        {
            DaemonKind.KeepSharp => new KeepSharpDaemon(host, configPath, keepsharpBinary, timeline) { DetailLog = detailLog },
            _ => new KeepalivedDaemon(host, configPath, timeline) { DetailLog = detailLog },
        };

    public static DaemonKind ParseKind(string s) => s.ToLowerInvariant() switch
    {
        "keepsharp" => DaemonKind.KeepSharp,
        "keepalived" => DaemonKind.Keepalived,
        _ => throw new ArgumentException($"unknown daemon '{s}' (keepsharp|keepalived)"),
    };

    public void Start()
    {
        if (Running) throw new LabException($"{Host.Name}: {KindName} already running");
        _process?.Dispose();
        _stopRequested = false;
        _starts++;
        _process = Host.Spawn(KindName, CommandLine(), LogFile, OnLine);
        _timeline.Log(Host.Name, $"{KindName} started (pid {_process.Pid}{(_starts > 1 ? $", start #{_starts}" : "")})");
    }

    private void OnLine(string line)
    {
        int i = line.IndexOf("Entering ", StringComparison.Ordinal);
        if (i >= 0 && line.Contains("STATE", StringComparison.Ordinal))
            _timeline.Log(Host.Name, $"{KindName}: {line[(line.LastIndexOf('(', i) is var p and >= 0 ? p : i)..].Trim()}");
        else if (line.Contains("Stopped", StringComparison.Ordinal) || line.Contains("FAULT", StringComparison.Ordinal))
            _timeline.Log(Host.Name, $"{KindName}: {line.Trim()}");
    }

    /// <summary>SIGTERM and wait for exit; returns false if it had to be killed.</summary>
    public bool StopGracefully(TimeSpan timeout)
    {
        if (_process is null || _process.HasExited) return true;
        _stopRequested = true;
        _process.Signal(Native.SIGTERM);
        bool ok = _process.WaitForExit(timeout);
        if (!ok) _process.Terminate(TimeSpan.Zero);
        _timeline.Log(Host.Name, ok ? $"{KindName} exited after SIGTERM" : $"{KindName} did not exit after SIGTERM, killed");
        return ok;
    }

    public void SendSigterm()
    {
        _stopRequested = true;
        _process?.Signal(Native.SIGTERM);
        _timeline.Log(Host.Name, $"SIGTERM sent to {KindName}");
    }

    /// <summary>Set when the daemon exited without being asked to: what happened, with the end of its log.</summary>
    public string? Failure
    {
        get
        {
            if (_process is null || !_process.HasExited || _stopRequested) return null;
            string tail = "";
            try
            {
                tail = string.Join(" | ", File.ReadLines(LogFile).Where(l => !l.StartsWith('#')).TakeLast(4).Select(l => l.Trim()));
            }
            catch (IOException) { }
            return $"{KindName} on {Host.Name} exited unexpectedly{(tail.Length > 0 ? $": {tail}" : "")}";
        }
    }

    public bool WaitForExit(TimeSpan timeout) => _process is null || _process.WaitForExit(timeout);

    public void Dispose()
    {
        _process?.Dispose();
        _process = null;
        GC.SuppressFinalize(this);
    }
}

public sealed class KeepalivedDaemon(LabHost host, string configPath, Timeline timeline)
    : LabDaemon(host, configPath, timeline)
{
    public override DaemonKind Kind => DaemonKind.Keepalived;

    /// <summary><c>--log-detail</c> (on by default in the lab).</summary>
    public bool DetailLog { get; init; } = true;

    protected override IEnumerable<string> CommandLine() =>
        ["keepalived", "--dont-fork", "--log-console", .. (DetailLog ? (string[])["--log-detail"] : []), "--vrrp",
         "-f", ConfigPath, "-p", PidFile, "-r", Path.Combine(Host.RunDir, "keepalived-vrrp.pid")];
}

public sealed class KeepSharpDaemon(LabHost host, string configPath, string binary, Timeline timeline)
    : LabDaemon(host, configPath, timeline)
{
    public override DaemonKind Kind => DaemonKind.KeepSharp;

    /// <summary>
    /// <c>-D</c>, keepalived's detailed log (on by default in the lab). The allocation tests run without it: with it, the
    /// daemon formats a line per gratuitous ARP, which is what an operator asked for but not the per-packet path they measure.
    /// </summary>
    public bool DetailLog { get; init; } = true;

    protected override IEnumerable<string> CommandLine() =>
        DetailLog ? [binary, "-n", "-l", "-D", "-f", ConfigPath, "-p", PidFile] : [binary, "-n", "-l", "-f", ConfigPath, "-p", PidFile];
}
