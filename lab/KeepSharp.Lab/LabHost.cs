using System.Diagnostics;

namespace KeepSharp.Lab;

/// <summary>
/// One lab host: its own network namespace plus a PID + mount namespace whose PID 1 is a tiny bash
/// init that reaps orphans. Everything the host runs is started inside with nsenter.
/// </summary>
public sealed class LabHost : IDisposable
{
    // PID 1 of the host: handles TERM (PID 1 ignores signals without handlers) and reaps every
    // child, including orphans reparented to it (bash reaps with waitpid(-1) on SIGCHLD).
    private const string InitScript =
        "trap 'exit 0' TERM INT HUP; echo ready; while :; do sleep 3600 & wait $!; done";

    private readonly Timeline _timeline;
    private readonly List<HostProcess> _processes = [];
    private Process? _unshare;

    public LabHost(string name, string netns, string address, string bridgePort, string runDir, Timeline timeline)
    {
        Name = name;
        Netns = netns;
        Address = address;
        BridgePort = bridgePort;
        RunDir = runDir;
        _timeline = timeline;
        Directory.CreateDirectory(runDir);
    }

    /// <summary>Host name as the seed uses it (router_id), e.g. keep_171; nginx answers with it.</summary>
    public string Name { get; }
    public string Netns { get; }
    public string Address { get; }
    /// <summary>The host's IPv6 ULA on eth0 in an IPv6 lab (fd00:51::171), else null.</summary>
    public string? Address6 { get; init; }
    /// <summary>The bridge-side veth (in the LAN namespace) of this host's eth0.</summary>
    public string BridgePort { get; }
    public string RunDir { get; }
    /// <summary>PID (in the root PID namespace) of this host's init.</summary>
    public int InitPid { get; private set; }

    internal void StartInit()
    {
        var psi = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "netns", "exec", Netns, "unshare", "--pid", "--fork", "--kill-child",
                     "--mount-proc", "bash", "-c", InitScript })
            psi.ArgumentList.Add(a);
        _unshare = Process.Start(psi) ?? throw new LabException("cannot start init");
        var ready = _unshare.StandardOutput.ReadLineAsync();
        if (!ready.Wait(5000) || ready.Result != "ready")
            throw new LabException($"{Name}: init did not start: {(_unshare.HasExited ? _unshare.StandardError.ReadToEnd() : "timeout")}");
        // `ip netns exec` execs unshare, unshare forks the init: the init is unshare's only child.
        var children = Native.Children(_unshare.Id);
        if (children.Count != 1) throw new LabException($"{Name}: cannot find init pid (children: {children.Count})");
        InitPid = children[0];
    }

    private List<string> Enter(IEnumerable<string> argv)
    {
        var list = new List<string> { "nsenter", "-t", InitPid.ToString(), "-p", "-m", "-n", $"--wd={RunDir}", "--" };
        list.AddRange(argv);
        return list;
    }

    /// <summary>Runs a command inside the host to completion.</summary>
    public ShResult Exec(params string[] argv) => Sh.Run(Enter(argv), check: true);

    /// <summary>Starts a long-running process inside the host; its output goes to logFile (and onLine).</summary>
    public HostProcess Spawn(string label, IEnumerable<string> argv, string logFile, Action<string>? onLine = null)
    {
        var hp = HostProcess.Start(this, label, Enter(argv), logFile, onLine);
        lock (_processes) _processes.Add(hp);
        return hp;
    }

    public void Dispose()
    {
        List<HostProcess> procs;
        lock (_processes) procs = [.. _processes];
        // Graceful first (daemons drop their VIPs), in parallel: keepalived needs ~1 s to stop.
        Parallel.ForEach(procs, p => p.Terminate(TimeSpan.FromSeconds(3)));
        // SIGKILL to PID 1 of the PID namespace kills whatever is left in the host; unshare then exits.
        // (unshare itself ignores SIGTERM/SIGINT while it waits for its child.)
        if (InitPid > 0) Native.Signal(InitPid, Native.SIGKILL);
        if (_unshare is not null)
        {
            if (!_unshare.WaitForExit(3000))
            {
                try { _unshare.Kill(); } catch (InvalidOperationException) { }
                _unshare.WaitForExit(3000);
            }
            _unshare.Dispose();
            _unshare = null;
        }
        foreach (var p in procs) p.Dispose();
        if (InitPid > 0 && Native.Alive(InitPid))
            _timeline.Log(Name, $"warning: init {InitPid} still alive after cleanup");
    }
}

/// <summary>A process running inside a <see cref="LabHost"/> (started through nsenter).</summary>
public sealed class HostProcess : IDisposable
{
    private readonly Process _nsenter;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private readonly Action<string>? _onLine;
    private int _pid;
    private bool _disposed;

    private HostProcess(Process nsenter, StreamWriter log, Action<string>? onLine, string label)
    {
        _nsenter = nsenter;
        _log = log;
        _onLine = onLine;
        Label = label;
    }

    public string Label { get; }

    internal static HostProcess Start(LabHost host, string label, List<string> argv, string logFile, Action<string>? onLine)
    {
        var psi = new ProcessStartInfo(argv[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in argv.Skip(1)) psi.ArgumentList.Add(a);
        var log = new StreamWriter(new FileStream(logFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var p = new Process { StartInfo = psi };
        var hp = new HostProcess(p, log, onLine, label);
        p.OutputDataReceived += (_, e) => hp.OnLine(e.Data);
        p.ErrorDataReceived += (_, e) => hp.OnLine(e.Data);
        if (!p.Start()) throw new LabException($"{host.Name}: cannot start {label}");
        p.StandardInput.Close();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        lock (hp._logLock) hp._log.WriteLine($"# {DateTime.UtcNow:O} start: {string.Join(' ', argv)}");
        return hp;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_logLock)
        {
            try { _log.WriteLine(line); } catch (ObjectDisposedException) { return; }
        }
        _onLine?.Invoke(line);
    }

    public bool HasExited => _disposed || _nsenter.HasExited;

    /// <summary>PID (root namespace view) of the program itself: nsenter forks it as its only child.</summary>
    public int Pid
    {
        get
        {
            if (_pid > 0) return _pid;
            var deadline = DateTime.UtcNow.AddSeconds(3);
            while (DateTime.UtcNow < deadline && !_nsenter.HasExited)
            {
                var c = Native.Children(_nsenter.Id);
                if (c.Count > 0) return _pid = c[0];
                Thread.Sleep(5);
            }
            return 0;
        }
    }

    public void Signal(int sig)
    {
        if (HasExited) return;
        int pid = Pid;
        if (pid > 0) Native.Signal(pid, sig);
    }

    public bool WaitForExit(TimeSpan timeout) => _disposed || _nsenter.WaitForExit(timeout);

    /// <summary>SIGTERM, wait, then SIGKILL.</summary>
    public void Terminate(TimeSpan grace)
    {
        if (HasExited) return;
        Signal(Native.SIGTERM);
        if (WaitForExit(grace)) return;
        Signal(Native.SIGKILL);
        WaitForExit(TimeSpan.FromSeconds(2));
    }

    public void Dispose()
    {
        if (_disposed) return;
        Terminate(TimeSpan.FromSeconds(3));
        _nsenter.WaitForExit(1000); // drain async output
        _disposed = true;
        lock (_logLock) _log.Dispose();
        _nsenter.Dispose();
    }
}
