using KeepSharp.Config;
using KeepSharp.Daemon.Logging;
using KeepSharp.Daemon.Runtime.Loop;
using KeepSharp.Linux.Notify;
using KeepSharp.Linux.Processes;

namespace KeepSharp.Daemon.Runtime.Notify;

/// <summary>
/// One notify FIFO (<c>notify_fifo</c> or <c>vrrp_notify_fifo</c>) as keepalived's <c>fifo_open()</c> sets it up:
/// mkfifo if missing, then its <c>*_notify_fifo_script</c> started with the FIFO path as last argument and no time
/// limit (TIMER_NEVER; not restarted when it exits: keepalived only logs "vrrp notify fifo script terminated"),
/// then the FIFO opened read-write non-blocking. Closed (and unlinked if created) at shutdown, when the script is
/// ended as keepalived's <c>script_killall()</c> does.
/// </summary>
internal sealed class NotifyFifoChannel : IDisposable
{
    private readonly NotifyFifoFile _file;
    private readonly Log _log;
    private IScriptRun? _script;

    private NotifyFifoChannel(NotifyFifoFile file, Log log)
    {
        _file = file;
        _log = log;
    }

    public string Path => _file.Path;

    /// <summary>Opens the FIFO and starts its script; null (after logging why) when keepalived would run without it.</summary>
    public static NotifyFifoChannel? Open(string type, NotifyFifoLine line, NotifyScript? script, ILoopServices loop, Log log)
    {
        ScriptUser? owner = null;
        if (line.User is not null)
        {
            if (!ScriptUser.TryResolve(line.User, line.Group, out ScriptUser user, out string? error))
            {
                log.Warning($"Invalid user/group for {type} fifo {line.Path} - ignoring ({error})");
                return null;
            }

            owner = user;
        }
        else if (ScriptUser.TryResolve(ScriptUser.DefaultUserName, null, out ScriptUser fallback, out _))
        {
            owner = fallback;
        }

        if (!NotifyFifoFile.TryCreate(line.Path, owner?.Uid, owner?.Gid, out bool created, out string? createMessage))
        {
            log.Warning(createMessage!);
            return null;
        }

        if (createMessage is not null)
        {
            log.Warning(createMessage);
        }

        IScriptRun? run = null;
        if (script is not null)
        {
            var request = new ScriptRunRequest(script.Keyword, script.StartInfo([line.Path]), Timeout.InfiniteTimeSpan);
            run = loop.RunScript(request, _ => log.Info("vrrp notify fifo script terminated"));
        }

        NotifyFifoFile? file = NotifyFifoFile.Open(line.Path, created, out string? openMessage);
        if (openMessage is not null)
        {
            log.Warning(openMessage);
        }

        if (file is null)
        {
            run?.Terminate();
            return null;
        }

        return new NotifyFifoChannel(file, log) { _script = run };
    }

    /// <summary>Writes one line (keepalived ignores a failed write; the count is logged at close).</summary>
    public void Write(string line) => _file.Write(line);

    public void Dispose()
    {
        if (_file.DroppedWrites > 0)
        {
            _log.Warning($"notify fifo {_file.Path}: {_file.DroppedWrites} line(s) not written (no reader draining it)");
        }

        _file.Dispose();
        if (_script is { HasExited: false })
        {
            _script.Terminate();
        }
    }
}
