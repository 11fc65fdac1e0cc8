using System.Collections.Concurrent;
using System.Globalization;

namespace KeepSharp.Daemon.Logging;

/// <summary>
/// The daemon's log. Messages are queued and written by a background thread, so the event loop never
/// waits on a console, a file or syslog. Lines read like keepalived's: with <c>-l</c> each console line
/// starts with a timestamp, <c>Wed Nov 25 10:02:03.123 2026: (VI_1) Entering MASTER STATE</c>.
/// </summary>
internal sealed class Log : IDisposable
{
    private readonly BlockingCollection<(DateTime Time, LogLevel Level, string Message)> _queue = new(new ConcurrentQueue<(DateTime, LogLevel, string)>());
    private readonly List<ILogSink> _sinks;
    private readonly Thread _writer;
    private readonly bool _detail;

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

    /// <summary>Only with <c>-D</c>.</summary>
    public void Detail(string message)
    {
        if (_detail)
            Write(LogLevel.Info, message);
    }

    public void Write(LogLevel level, string message)
    {
        if (!_queue.IsAddingCompleted)
            _queue.Add((DateTime.Now, level, message));
    }

    private void Drain()
    {
        foreach ((DateTime time, LogLevel level, string message) in _queue.GetConsumingEnumerable())
        {
            foreach (ILogSink sink in _sinks)
            {
                try
                {
                    sink.Write(time, level, message);
                }
                catch (IOException)
                {
                    // A closed console must not stop the daemon.
                }
            }
        }
    }

    /// <summary>Flushes what is queued and stops the writer.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        _writer.Join(TimeSpan.FromSeconds(5));
        foreach (ILogSink sink in _sinks)
            sink.Dispose();
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

/// <summary>A log file (keepalived's <c>--log-file</c>).</summary>
internal sealed class FileLogSink(string path) : ILogSink
{
    private readonly StreamWriter _writer = new(path, append: true) { AutoFlush = true };

    public void Write(DateTime time, LogLevel level, string message) =>
        _writer.WriteLine($"{Log.FormatTimestamp(time)}: {message}");

    public void Dispose() => _writer.Dispose();
}
