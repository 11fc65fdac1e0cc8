using System.Diagnostics;

namespace KeepSharp.Lab;

/// <summary>Shared clock (ms since start) and a line sink for everything the lab reports.</summary>
public sealed class Timeline
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Action<string> _sink;
    private readonly Lock _lock = new();
    private readonly List<string> _lines = [];

    public Timeline(Action<string> sink) => _sink = sink;

    public double NowMs => _clock.Elapsed.TotalMilliseconds;

    public IReadOnlyList<string> Lines { get { lock (_lock) return [.. _lines]; } }

    public void Log(string source, string message) => LogAt(NowMs, source, message);

    public void LogAt(double ms, string source, string message)
    {
        string line = $"{ms,9:0.0} ms  {source,-8} {message}";
        lock (_lock)
        {
            _lines.Add(line);
            try { _sink(line); } catch (InvalidOperationException) { /* test output closed */ }
        }
    }

    /// <summary>Plain text without a timestamp (headings, tables).</summary>
    public void Print(string text)
    {
        lock (_lock)
        {
            _lines.Add(text);
            try { _sink(text); } catch (InvalidOperationException) { }
        }
    }
}
