using System.Net.Sockets;
using System.Text;

namespace KeepSharp.Tests.Operations;

/// <summary>A real AF_UNIX datagram socket standing in for systemd's notify socket: at a temporary path, or abstract.</summary>
internal sealed class NotifyListener : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly string? _directory;

    private NotifyListener(string name, string endpoint, string? directory)
    {
        Name = name;
        _directory = directory;
        _socket.Bind(new UnixDomainSocketEndPoint(endpoint));
        _socket.ReceiveTimeout = 3000;
    }

    /// <summary>$NOTIFY_SOCKET as systemd would set it for this listener.</summary>
    public string Name { get; }

    public static NotifyListener AtPath()
    {
        string directory = Directory.CreateTempSubdirectory("keepsharp-notify-").FullName;
        string path = Path.Combine(directory, "notify");
        return new NotifyListener(path, path, directory);
    }

    public static NotifyListener Abstract()
    {
        string name = $"keepsharp-test-{Environment.ProcessId}-{Guid.NewGuid():N}";
        return new NotifyListener("@" + name, "\0" + name, null);
    }

    /// <summary>The next datagram's bytes; fails after 3 s.</summary>
    public byte[] Receive()
    {
        var buffer = new byte[4096];
        int n = _socket.Receive(buffer);
        return buffer[..n];
    }

    public string ReceiveText() => Encoding.ASCII.GetString(Receive());

    /// <summary>True when nothing arrives within <paramref name="wait"/>.</summary>
    public bool IsQuiet(TimeSpan wait) => !_socket.Poll(wait, SelectMode.SelectRead);

    public void Dispose()
    {
        _socket.Dispose();
        if (_directory is not null)
            Directory.Delete(_directory, recursive: true);
    }
}
