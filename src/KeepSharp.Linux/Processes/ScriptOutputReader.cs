using System.Text;
using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux.Processes;

/// <summary>
/// The read end of a script's stdout/stderr pipe (non-blocking), split into lines for the log. Memory is bounded:
/// a line keeps at most <see cref="ScriptOutputLimits.MaxLineBytes"/> (the rest of it is dropped and
/// <see cref="TruncatedLines"/> counts it), and a run yields at most <see cref="ScriptOutputLimits.MaxTotalBytes"/>;
/// beyond that the pipe is still drained (so the script never blocks on a full pipe) and the bytes are counted in
/// <see cref="DiscardedBytes"/>. Owned by the event loop thread.
/// </summary>
public sealed unsafe class ScriptOutputReader : IDisposable
{
    private const int ChunkSize = 4096;
    private readonly FileDescriptorHandle _fd;
    private readonly ScriptOutputLimits _limits;
    private readonly byte[] _line;
    private int _lineLength;
    private bool _lineTruncated;
    private long _retained;

    internal ScriptOutputReader(FileDescriptorHandle fd, ScriptOutputLimits limits)
    {
        _fd = fd;
        _limits = limits;
        _line = new byte[Math.Max(1, limits.MaxLineBytes)];
    }

    /// <summary>The pipe's fd, to register for readability; -1 once closed.</summary>
    public int Fd => _fd.IsClosed ? -1 : _fd.Fd;

    /// <summary>True once end-of-file was read (every writer, including grandchildren, closed the pipe).</summary>
    public bool AtEnd { get; private set; }

    /// <summary>Lines cut to <see cref="ScriptOutputLimits.MaxLineBytes"/>.</summary>
    public int TruncatedLines { get; private set; }

    /// <summary>Bytes read and dropped because the run exceeded <see cref="ScriptOutputLimits.MaxTotalBytes"/>.</summary>
    public long DiscardedBytes { get; private set; }

    /// <summary>
    /// Reads what is available without blocking and appends each complete line to <paramref name="lines"/>
    /// (without its '\n'). At end-of-file a final unterminated line is appended too. Returns false at end-of-file.
    /// </summary>
    public bool ReadAvailable(ICollection<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (AtEnd || _fd.IsClosed)
        {
            return false;
        }

        byte* chunk = stackalloc byte[ChunkSize];
        while (true)
        {
            nint n = Libc.Read(_fd, chunk, ChunkSize);
            if (n > 0)
            {
                Append(new ReadOnlySpan<byte>(chunk, (int)n), lines);
                continue;
            }

            if (n == 0)
            {
                AtEnd = true;
                if (_lineLength > 0 || _lineTruncated)
                {
                    Emit(lines);
                }

                return false;
            }

            int errno = Libc.LastErrno;
            if (errno == Errno.EINTR)
            {
                continue;
            }

            if (errno == Errno.EAGAIN)
            {
                return true;
            }

            throw new LinuxNetworkException("read(script output)", errno);
        }
    }

    public void Dispose() => _fd.Dispose();

    private void Append(ReadOnlySpan<byte> data, ICollection<string> lines)
    {
        foreach (byte b in data)
        {
            if (_retained >= _limits.MaxTotalBytes)
            {
                DiscardedBytes++;
                continue;
            }

            if (b == (byte)'\n')
            {
                _retained++;
                Emit(lines);
                continue;
            }

            if (_lineLength < _line.Length)
            {
                _line[_lineLength++] = b;
                _retained++;
            }
            else
            {
                _lineTruncated = true;
            }
        }
    }

    private void Emit(ICollection<string> lines)
    {
        int length = _lineLength;
        if (length > 0 && _line[length - 1] == (byte)'\r')
        {
            length--;
        }

        lines.Add(Encoding.UTF8.GetString(_line, 0, length));
        if (_lineTruncated)
        {
            TruncatedLines++;
        }

        _lineLength = 0;
        _lineTruncated = false;
    }
}
