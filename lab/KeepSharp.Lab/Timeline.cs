using System.Diagnostics;
using System.Globalization;

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

    /// <summary>
    /// Time of the first timestamped line after <paramref name="afterMs"/> that contains both <paramref name="source"/> and
    /// <paramref name="text"/> (e.g. a host's "Entering MASTER STATE", as the daemon's log line reached the lab), or null.
    /// </summary>
    public double? FirstLineAfter(string source, string text, double afterMs)
    {
        foreach (string line in Lines)
        {
            if (!line.Contains(source, StringComparison.Ordinal) || !line.Contains(text, StringComparison.Ordinal)) continue;
            int ms = line.IndexOf(" ms", StringComparison.Ordinal);
            if (ms <= 0 || !double.TryParse(line.AsSpan(0, ms).Trim(), CultureInfo.InvariantCulture, out double at)) continue;
            if (at > afterMs) return at;
        }
        return null;
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
