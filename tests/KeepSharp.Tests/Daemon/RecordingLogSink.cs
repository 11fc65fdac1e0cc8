using KeepSharp.Daemon.Logging;

namespace KeepSharp.Tests.Daemon;

/// <summary>A log sink that keeps every message, for tests that read what the daemon logged.</summary>
internal sealed class RecordingSink : ILogSink
{
    private readonly List<string> _lines = [];

    public string[] Lines
    {
        get
        {
            lock (_lines)
                return [.. _lines];
        }
    }

    public void Write(DateTime time, LogLevel level, string message)
    {
        lock (_lines)
            _lines.Add(message);
    }

    public void Dispose()
    {
    }
}
