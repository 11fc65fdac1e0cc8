using System.Collections.Concurrent;
using System.Globalization;
using KeepSharp.Linux.Files;
using Microsoft.Win32.SafeHandles;

namespace KeepSharp.Daemon.Logging;

/// <summary>
/// The daemon's log. Messages are queued and written by a background thread, so the event loop never
/// waits on a console, a file or syslog. Lines read like keepalived's: with <c>-l</c> each console line
/// starts with a timestamp, <c>Wed Nov 25 10:02:03.123 2026: (VI_1) Entering MASTER STATE</c>.
/// When the daemon is failing, <see cref="Fatal"/> switches the log to writing synchronously: what is
/// queued is flushed first, then every line goes straight to every sink, so nothing is lost when the
/// process exits right after.
/// </summary>
internal sealed class Log : IDisposable
{
    private static readonly TimeSpan WriterJoinTimeout = TimeSpan.FromSeconds(2);

    private readonly BlockingCollection<(DateTime Time, LogLevel Level, string Message)> _queue = new(new ConcurrentQueue<(DateTime, LogLevel, string)>());
    private readonly List<ILogSink> _sinks;
    private readonly Thread _writer;
    private readonly bool _detail;
    private readonly Lock _queueGate = new();
    private readonly Lock _sinkGate = new();
    private bool _synchronous;
    private bool _disposed;

    public Log(IEnumerable<ILogSink> sinks, bool detail)
    {
        _sinks = [.. sinks];
        _detail = detail;
        _writer = new Thread(Drain) { IsBackground = true, Name = "log writer" };
        _writer.Start();
    }

    public void Info(string message) => Write(LogLevel.Info, message);

    public void Warning(string message) => Write(LogLevel.Warning, message);

    public void Error(string message) => Write(LogLevel.Error, message);

    /// <summary>Whether <see cref="Detail"/> writes anything (<c>-D</c>): callers on busy paths check it before building a message.</summary>
    public bool IsDetailEnabled => _detail;

    /// <summary>Only with <c>-D</c>.</summary>
    public void Detail(string message)
    {
        if (_detail)
            Write(LogLevel.Info, message);
    }

    /// <summary>Thread-safe. After <see cref="Dispose"/> messages are dropped, never thrown on.</summary>
    public void Write(LogLevel level, string message)
    {
        lock (_queueGate)
        {
            if (!_synchronous)
            {
                // Completed only under this lock, so Add never races CompleteAdding.
                if (!_queue.IsAddingCompleted)
                    _queue.Add((DateTime.Now, level, message));
                return;
            }
        }
        WriteToSinks(DateTime.Now, level, message);
    }

    /// <summary>
    /// The emergency path, for a daemon that is failing: flushes what is queued, then writes
    /// <paramref name="message"/> to every sink before returning; every later message is written the same way.
    /// Thread-safe, also from the log writer's own thread.
    /// </summary>
    public void Fatal(string message)
    {
        lock (_queueGate)
        {
            _synchronous = true;
            _queue.CompleteAdding();
        }
        if (Thread.CurrentThread != _writer)
            _writer.Join(WriterJoinTimeout);
        WriteToSinks(DateTime.Now, LogLevel.Error, message);
    }

    private void Drain()
    {
        foreach ((DateTime time, LogLevel level, string message) in _queue.GetConsumingEnumerable())
            WriteToSinks(time, level, message);
    }

    private void WriteToSinks(DateTime time, LogLevel level, string message)
    {
        lock (_sinkGate)
        {
            if (_disposed)
                return;
            foreach (ILogSink sink in _sinks)
            {
                try
                {
                    sink.Write(time, level, message);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    // A closed console or a full disk must not stop the daemon.
                }
            }
        }
    }

    /// <summary>Flushes what is queued and stops the writer.</summary>
    public void Dispose()
    {
        lock (_queueGate)
            _queue.CompleteAdding();
        _writer.Join(TimeSpan.FromSeconds(5));
        lock (_sinkGate)
        {
            _disposed = true;
            foreach (ILogSink sink in _sinks)
                sink.Dispose();
        }
    }

    public static string FormatTimestamp(DateTime time) =>
        time.ToString("ddd MMM d HH:mm:ss.fff yyyy", CultureInfo.InvariantCulture);
}

internal enum LogLevel { Error = 3, Warning = 4, Info = 6 }

internal interface ILogSink : IDisposable
{
    void Write(DateTime time, LogLevel level, string message);
}

/// <summary>The console, with timestamps (keepalived's <c>--log-console</c>).</summary>
internal sealed class ConsoleLogSink : ILogSink
{
    private readonly TextWriter _out = Console.Out;

    public void Write(DateTime time, LogLevel level, string message)
    {
        _out.Write(Log.FormatTimestamp(time));
        _out.Write(": ");
        _out.WriteLine(message);
        _out.Flush();
    }

    public void Dispose() => _out.Flush();
}

/// <summary>
/// A log file (keepalived's <c>--log-file</c>), opened without following a symlink and only when it is
/// this daemon's own regular file (<see cref="SafeFile.OpenForAppend"/>); created <c>rw-r-----</c>.
/// </summary>
internal sealed class FileLogSink : ILogSink
{
    private const UnixFileMode CreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    private readonly StreamWriter _writer;

    private FileLogSink(StreamWriter writer) => _writer = writer;

    /// <exception cref="IOException">The file cannot be opened safely.</exception>
    public static FileLogSink Open(string path)
    {
        SafeFileHandle handle = SafeFile.OpenForAppend(path, CreateMode);
        return new FileLogSink(new StreamWriter(new FileStream(handle, FileAccess.Write, bufferSize: 0)) { AutoFlush = true });
    }

    public void Write(DateTime time, LogLevel level, string message) =>
        _writer.WriteLine($"{Log.FormatTimestamp(time)}: {message}");

    public void Dispose() => _writer.Dispose();
}
