using System.Diagnostics;

namespace KeepSharp.IntegrationTests.HealthChecks;

/// <summary>
/// Reads a notify FIFO as a <c>notify_fifo_script</c> would: the test makes the FIFO (so the daemon neither creates
/// nor unlinks it), a background thread opens it for reading (blocking until the daemon opens it) and collects its
/// lines until end-of-file (the daemon closed it at shutdown).
/// </summary>
internal sealed class FifoReader
{
    private readonly List<string> _lines = [];
    private readonly Thread _thread;
    private volatile bool _ended;

    public FifoReader(string path)
    {
        Path = path;
        using (var mkfifo = Process.Start("mkfifo", ["-m", "0600", path]))
            mkfifo.WaitForExit();
        Assert.True(File.Exists(path), $"mkfifo {path} failed");
        _thread = new Thread(Read) { IsBackground = true, Name = "notify-fifo" };
        _thread.Start();
    }

    public string Path { get; }

    /// <summary>The daemon closed the FIFO (every writer gone).</summary>
    public bool Ended => _ended;

    public string[] Lines
    {
        get
        {
            lock (_lines)
                return [.. _lines];
        }
    }

    private void Read()
    {
        try
        {
            using var reader = new StreamReader(new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1));
            while (reader.ReadLine() is { } line)
            {
                lock (_lines)
                    _lines.Add(line);
            }
        }
        catch (IOException)
        {
        }
        finally
        {
            _ended = true;
        }
    }
}
