using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KeepSharp.Lab;

/// <summary>One HTTP request of the probe: when it completed, and who answered (null = failure).</summary>
public readonly record struct ProbeSample(double StartMs, double EndMs, string? Host, string? Error);

/// <summary>
/// The client: GET http://VIP/ every few ms from a dedicated thread that moved itself into the client
/// namespace with setns() (sockets belong to the namespace they are created in). Prints every change
/// of answering host and every gap to the timeline.
/// </summary>
public sealed class ClientProbe : IDisposable
{
    private readonly string _netns;
    private readonly IPEndPoint _target;
    private readonly Timeline _timeline;
    private readonly TimeSpan _cadence;
    private readonly int _timeoutMs;
    private readonly List<ProbeSample> _samples = [];
    private readonly Lock _lock = new();
    private readonly Thread _thread;
    private volatile bool _stop;
    private int _inFlight;
    private Exception? _error;
    private string? _lastHost;
    private double _lastOkMs = double.NaN;
    private int _failRun;
    private readonly ManualResetEventSlim _started = new();

    public ClientProbe(string netns, string vip, Timeline timeline, int cadenceMs = 10, int timeoutMs = 80)
    {
        _netns = netns;
        _target = new IPEndPoint(IPAddress.Parse(vip), 80);
        _timeline = timeline;
        _cadence = TimeSpan.FromMilliseconds(cadenceMs);
        _timeoutMs = timeoutMs;
        CadenceMs = cadenceMs;
        _thread = new Thread(Loop) { IsBackground = true, Name = "client-probe" };
    }

    public int CadenceMs { get; }

    public void Start()
    {
        _thread.Start();
        _started.Wait(TimeSpan.FromSeconds(5));
        if (_error is not null) throw new LabException($"probe: {_error.Message}");
        _timeline.Log("client", $"probing http://{(_target.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{_target.Address}]" : _target.Address)}/ every {CadenceMs} ms (timeout {_timeoutMs} ms)");
    }

    public IReadOnlyList<ProbeSample> Snapshot() { lock (_lock) return [.. _samples]; }

    private void Loop()
    {
        try { Native.EnterNetns(_netns); }
        catch (Exception e) { _error = e; _started.Set(); return; }
        _started.Set();
        var sw = Stopwatch.StartNew();
        var next = sw.Elapsed;
        while (!_stop)
        {
            // Sockets are created here, in the client namespace; connect/send/receive then run
            // asynchronously, so a request waiting for its timeout does not hold back the cadence.
            double start = _timeline.NowMs;
            Socket? socket = null;
            try { socket = new Socket(_target.AddressFamily, SocketType.Stream, ProtocolType.Tcp); }
            catch (SocketException e) { Record(new ProbeSample(start, _timeline.NowMs, null, e.SocketErrorCode.ToString())); }
            if (socket is not null)
            {
                Interlocked.Increment(ref _inFlight);
                _ = RequestAsync(socket, start);
            }
            next += _cadence;
            var now = sw.Elapsed;
            if (next > now) Thread.Sleep(next - now);
            else next = now;
        }
        var drain = Stopwatch.StartNew();
        while (Volatile.Read(ref _inFlight) > 0 && drain.ElapsedMilliseconds < 2000) Thread.Sleep(5);
    }

    private static readonly byte[] RequestBytes = "GET / HTTP/1.0\r\nHost: vip\r\n\r\n"u8.ToArray();

    private async Task RequestAsync(Socket s, double start)
    {
        string? host = null, error = null;
        try
        {
            using (s)
            using (var cts = new CancellationTokenSource(_timeoutMs))
            {
                s.NoDelay = true;
                s.LingerState = new LingerOption(true, 0); // RST on close: no TIME_WAIT pile-up in the client
                await s.ConnectAsync(_target, cts.Token).ConfigureAwait(false);
                await s.SendAsync(RequestBytes, SocketFlags.None, cts.Token).ConfigureAwait(false);
                var buffer = new byte[512];
                var response = new StringBuilder();
                int n;
                while ((n = await s.ReceiveAsync(buffer, SocketFlags.None, cts.Token).ConfigureAwait(false)) > 0)
                    response.Append(Encoding.ASCII.GetString(buffer, 0, n));
                string text = response.ToString();
                int body = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (text.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) && body >= 0) host = text[(body + 4)..].Trim();
                else error = "bad response";
            }
        }
        catch (OperationCanceledException) { error = "timeout"; }
        catch (SocketException e) { error = e.SocketErrorCode.ToString(); }
        catch (ObjectDisposedException) { error = "closed"; }
        finally
        {
            Record(new ProbeSample(start, _timeline.NowMs, host, error));
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void Record(ProbeSample s)
    {
        lock (_lock)
        {
            _samples.Add(s);
            if (s.Host is null)
            {
                _failRun++;
                return;
            }
            if (_failRun > 0 && !double.IsNaN(_lastOkMs) && s.EndMs - _lastOkMs > 2 * CadenceMs)
                _timeline.LogAt(s.EndMs, "client", $"gap: no answer for {s.EndMs - _lastOkMs:0} ms ({_failRun} failed requests)");
            _failRun = 0;
            if (s.Host != _lastHost)
                _timeline.LogAt(s.EndMs, "client", _lastHost is null ? $"answered by {s.Host}" : $"answering host changed: {_lastHost} -> {s.Host}");
            _lastHost = s.Host;
            _lastOkMs = double.IsNaN(_lastOkMs) ? s.EndMs : Math.Max(_lastOkMs, s.EndMs);
        }
    }

    /// <summary>Earliest answer from host to a request started at or after fromMs, or null.</summary>
    public ProbeSample? FirstAnswerFrom(string host, double fromMs)
    {
        ProbeSample? first = null;
        lock (_lock)
        {
            foreach (var s in _samples)
                if (s.StartMs >= fromMs && s.Host == host && (first is null || s.EndMs < first.Value.EndMs)) first = s;
        }
        return first;
    }

    /// <summary>Were the last n samples all answered by host?</summary>
    public bool LastAnswersFrom(string host, int n)
    {
        lock (_lock)
        {
            if (_samples.Count < n) return false;
            for (int i = _samples.Count - n; i < _samples.Count; i++)
                if (_samples[i].Host != host) return false;
            return true;
        }
    }

    /// <summary>
    /// Longest time without any answer in [fromMs, toMs]: the event time counts as the last answer,
    /// so a crash outage runs from the event to the first answer after it.
    /// </summary>
    public double LongestGap(double fromMs, double toMs)
    {
        double prev = fromMs, longest = 0;
        foreach (var s in Snapshot().Where(x => x.Host is not null).OrderBy(x => x.EndMs))
        {
            if (s.EndMs <= fromMs || s.StartMs > toMs) continue;
            longest = Math.Max(longest, Math.Min(s.EndMs, toMs) - prev);
            prev = s.EndMs;
        }
        return Math.Max(longest, Math.Max(0, toMs - prev));
    }

    public void Dispose()
    {
        _stop = true;
        if (_thread.IsAlive) _thread.Join(2000);
        _started.Dispose();
    }
}
