using System.Net;
using System.Net.Sockets;

namespace KeepSharp.Lab;

/// <summary>A VRRP advertisement seen on the LAN (by the client): when, from whom, with what priority.</summary>
public readonly record struct Advert(double AtMs, IPAddress Source, int Vrid, int Priority, int AdvertIntSec);

/// <summary>
/// Listens for VRRP adverts (IP protocol 112 to 224.0.0.18, or ff02::12 when the local address is IPv6; unicast
/// adverts to the local address too) with a raw socket created in the given namespace (the client's, or a host's). Prints when the advertising router or its priority changes; lets a step start right
/// after an advert (worst case for a crash: the backup's Master_Down timer was just restarted).
/// </summary>
public sealed class AdvertWatcher : IDisposable
{
    private static readonly IPAddress VrrpGroup = IPAddress.Parse("224.0.0.18");
    private static readonly IPAddress VrrpGroup6 = IPAddress.Parse("ff02::12");
    private readonly string _netns;
    private readonly IPAddress _local;
    private readonly Timeline _timeline;
    private readonly Func<IPAddress, string> _nameOf;
    private readonly List<Advert> _adverts = [];
    private readonly Lock _lock = new();
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _started = new();
    private volatile bool _stop;
    private Exception? _error;
    private (IPAddress Source, int Priority)? _last;

    public AdvertWatcher(string netns, string localAddress, Timeline timeline, Func<IPAddress, string> nameOf)
    {
        _netns = netns;
        _local = IPAddress.Parse(localAddress);
        _timeline = timeline;
        _nameOf = nameOf;
        _thread = new Thread(Loop) { IsBackground = true, Name = "vrrp-adverts" };
    }

    public void Start()
    {
        _thread.Start();
        _started.Wait(TimeSpan.FromSeconds(5));
        if (_error is not null) throw new LabException($"advert watcher: {_error.Message}");
    }

    public IReadOnlyList<Advert> Snapshot() { lock (_lock) return [.. _adverts]; }

    private void Loop()
    {
        Socket socket;
        try
        {
            Native.EnterNetns(_netns);
            bool v6 = _local.AddressFamily == AddressFamily.InterNetworkV6;
            // .NET refuses unknown protocol numbers: create the raw socket with libc and wrap it.
            int fd = Native.socket(v6 ? 10 /* AF_INET6 */ : 2 /* AF_INET */, 3 /* SOCK_RAW */, 112 /* VRRP */);
            if (fd < 0) throw new LabException($"socket({(v6 ? "AF_INET6" : "AF_INET")}, SOCK_RAW, 112): errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
            socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
            if (v6)
            {
                uint index = Native.if_nametoindex(LabTopology.Interface);
                socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(VrrpGroup6, index));
            }
            else
            {
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(VrrpGroup, _local));
            }
            socket.ReceiveTimeout = 200;
        }
        catch (Exception e)
        {
            _error = e;
            _started.Set();
            return;
        }
        _started.Set();
        using (socket)
        {
            var buffer = new byte[2048];
            bool v6 = _local.AddressFamily == AddressFamily.InterNetworkV6;
            EndPoint from = new IPEndPoint(IPAddress.IPv6Any, 0);
            while (!_stop)
            {
                int n;
                try { n = v6 ? socket.ReceiveFrom(buffer, ref from) : socket.Receive(buffer); }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock) { continue; }
                catch (SocketException) { if (_stop) break; Thread.Sleep(50); continue; }
                // An IPv6 raw socket delivers the VRRP message without the IPv6 header; the source comes from recvfrom.
                if (v6 ? TryParseMessage(buffer.AsSpan(0, n), ((IPEndPoint)from).Address, _timeline.NowMs, out var advert)
                       : TryParse(buffer.AsSpan(0, n), _timeline.NowMs, out advert)) Add(advert);
            }
        }
    }

    /// <summary>Raw IPv4 packet: IP header, then VRRPv2 (version/type, vrid, priority, count, auth, adver_int ...).</summary>
    public static bool TryParse(ReadOnlySpan<byte> p, double atMs, out Advert advert)
    {
        advert = default;
        if (p.Length < 20 || p[0] >> 4 != 4) return false;
        int ihl = (p[0] & 0x0f) * 4;
        if (p[9] != 112 || p.Length < ihl + 8) return false;
        var v = p[ihl..];
        if (v[0] >> 4 is not (2 or 3) || (v[0] & 0x0f) != 1) return false;
        int interval = v[0] >> 4 == 2 ? v[5] : ((v[4] & 0x0f) << 8 | v[5]) / 100;
        advert = new Advert(atMs, new IPAddress(p.Slice(12, 4)), v[1], v[2], interval);
        return true;
    }

    /// <summary>A VRRP message without its IP header (IPv6 raw sockets): version/type, vrid, priority, count, interval ...</summary>
    public static bool TryParseMessage(ReadOnlySpan<byte> v, IPAddress source, double atMs, out Advert advert)
    {
        advert = default;
        if (v.Length < 8 || v[0] >> 4 is not (2 or 3) || (v[0] & 0x0f) != 1) return false;
        int interval = v[0] >> 4 == 2 ? v[5] : ((v[4] & 0x0f) << 8 | v[5]) / 100;
        // Without the scope id (recvfrom sets it on link-local sources): "fe80::1", as `ip addr` prints it.
        IPAddress plain = source.IsIPv4MappedToIPv6 ? source.MapToIPv4()
            : source.AddressFamily == AddressFamily.InterNetworkV6 ? new IPAddress(source.GetAddressBytes()) : source;
        advert = new Advert(atMs, plain, v[1], v[2], interval);
        return true;
    }

    private void Add(Advert a)
    {
        lock (_lock)
        {
            _adverts.Add(a);
            var key = (a.Source, a.Priority);
            if (_last is null || !_last.Value.Source.Equals(a.Source) || _last.Value.Priority != a.Priority)
                _timeline.LogAt(a.AtMs, "vrrp", a.Priority == 0
                    ? $"priority-0 advert from {_nameOf(a.Source)} (VRID {a.Vrid}): master resigns"
                    : $"adverts from {_nameOf(a.Source)} (VRID {a.Vrid}, priority {a.Priority}, every {a.AdvertIntSec} s)");
            _last = key;
        }
    }

    /// <summary>First advert after afterMs matching the filter, if seen yet.</summary>
    public Advert? First(double afterMs, Func<Advert, bool> match)
    {
        lock (_lock)
        {
            foreach (var a in _adverts)
                if (a.AtMs > afterMs && match(a)) return a;
        }
        return null;
    }

    /// <summary>Waits for the next (non-zero priority) advert from source after afterMs; returns its time or null.</summary>
    public double? WaitForAdvert(IPAddress source, double afterMs, TimeSpan timeout, CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            ct.ThrowIfCancellationRequested();
            if (First(afterMs, a => a.Source.Equals(source) && a.Priority > 0) is { } found) return found.AtMs;
            Thread.Sleep(1);
        }
        return null;
    }

    public void Dispose()
    {
        _stop = true;
        if (_thread.IsAlive) _thread.Join(2000);
        _started.Dispose();
    }
}
