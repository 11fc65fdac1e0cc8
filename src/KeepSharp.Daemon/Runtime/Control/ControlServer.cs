using System.Net.Sockets;
using KeepSharp.Daemon.Logging;
using KeepSharp.Linux.Sockets;

namespace KeepSharp.Daemon.Runtime.Control;

/// <summary>
/// The control socket (<c>keepsharp status|reload|garp</c>): a Unix stream socket, mode 0600, owned by root. Its own thread
/// accepts with blocking I/O; each connection is served on the thread pool (at most <see cref="MaxConnections"/> at once,
/// others are told to retry), its peer checked with SO_PEERCRED (root only), its one request line read within
/// <see cref="ControlProtocol.ReadTimeout"/> and at most <see cref="ControlProtocol.MaxRequestBytes"/>. The request is
/// handed to <see cref="ControlHandler"/>, which reaches the loop only by posting to it. Nothing here can block the loop.
/// </summary>
internal sealed class ControlServer : IDisposable
{
    public const int MaxConnections = 8;

    private readonly Socket _listener;
    private readonly UnixSocketFile _file;
    private readonly Func<ControlRequest, byte[]> _handle;
    private readonly Log _log;
    private readonly Thread _thread;
    private int _connections;
    private volatile bool _disposed;
    private long _lastRefusalLog; // TickCount64 of the last refusal logged; 0: none yet

    private ControlServer(Socket listener, UnixSocketFile file, Func<ControlRequest, byte[]> handle, Log log)
    {
        _listener = listener;
        _file = file;
        _handle = handle;
        _log = log;
        _thread = new Thread(AcceptLoop) { IsBackground = true, Name = "keepsharp-control" };
    }

    public string Path => _file.Path;

    /// <summary>Opens the socket at <paramref name="path"/> and starts accepting. Throws <see cref="IOException"/> with a clear message.</summary>
    public static ControlServer Start(string path, Func<ControlRequest, byte[]> handle, Log log)
    {
        string? directory = System.IO.Path.GetDirectoryName(path);
        if (directory is not null && !Directory.Exists(directory))
            throw new IOException($"cannot create the control socket {path}: directory {directory} does not exist");
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            UnixSocketFile file = UnixSocketFile.Bind(listener, path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(16);
            var server = new ControlServer(listener, file, handle, log);
            server._thread.Start();
            return server;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    private void AcceptLoop()
    {
        while (!_disposed)
        {
            Socket client;
            try
            {
                client = _listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (_disposed)
                    return;
                Thread.Sleep(100); // EMFILE and the like: do not spin
                continue;
            }
            if (Interlocked.Increment(ref _connections) > MaxConnections)
            {
                Interlocked.Decrement(ref _connections);
                Reply(client, ControlProtocol.Error($"busy: {MaxConnections} requests are being served; retry"));
                client.Dispose();
                continue;
            }
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Self.Serve(state.Client), (Self: this, Client: client), preferLocal: false);
        }
    }

    private void Serve(Socket client)
    {
        try
        {
            using (client)
            {
                client.SendTimeout = (int)ControlProtocol.ReadTimeout.TotalMilliseconds;
                if (!UnixSocketFile.TryGetPeerCredentials(client, out int pid, out uint uid, out _) || uid != 0)
                {
                    LogRefusal(pid, uid);
                    Reply(client, ControlProtocol.Error($"permission denied: the control socket serves root only (you are uid {uid}); run keepsharp as root"));
                    return;
                }
                long deadline = Environment.TickCount64 + (long)ControlProtocol.ReadTimeout.TotalMilliseconds;
                LineStatus status = ControlProtocol.ReadLine(buffer =>
                {
                    long left = deadline - Environment.TickCount64;
                    if (left <= 0)
                        throw new TimeoutException();
                    client.ReceiveTimeout = (int)Math.Max(1, left);
                    try
                    {
                        return client.Receive(buffer.Span);
                    }
                    catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
                    {
                        throw new TimeoutException();
                    }
                }, out byte[] line);
                byte[] response = status switch
                {
                    LineStatus.Ok => ControlProtocol.TryParse(line, out ControlRequest? request, out string? error)
                        ? _handle(request!)
                        : ControlProtocol.Error(error!),
                    LineStatus.TooLong => ControlProtocol.Error($"request longer than {ControlProtocol.MaxRequestBytes} bytes"),
                    LineStatus.TimedOut => ControlProtocol.Error($"no complete request line within {ControlProtocol.ReadTimeout.TotalSeconds:0} s"),
                    _ => [],
                };
                if (response.Length > 0)
                    Reply(client, response);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            // the client went away
        }
        catch (Exception e)
        {
            _log.Error($"control socket: request failed: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            Interlocked.Decrement(ref _connections);
        }
    }

    private void LogRefusal(int pid, uint uid)
    {
        long now = Environment.TickCount64;
        long last = Interlocked.Read(ref _lastRefusalLog);
        if (last != 0 && now - last < 60_000)
            return;
        Interlocked.Exchange(ref _lastRefusalLog, now);
        _log.Warning($"control socket: refused a caller that is not root (pid {pid}, uid {uid}); further refusals within a minute are not logged");
    }

    private static void Reply(Socket client, byte[] response)
    {
        try
        {
            client.Send(response);
            client.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _file.Remove();
        try
        {
            _listener.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        _listener.Dispose();
        _thread.Join(TimeSpan.FromSeconds(1));
    }
}
