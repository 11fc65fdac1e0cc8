using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace KeepSharp.Linux;

/// <summary>
/// Sends unsolicited Neighbour Advertisements exactly as keepalived's vrrp_ndisc.c does, the IPv6 counterpart
/// of <see cref="GratuitousArpSender"/>: an Ethernet frame to 33:33:00:00:00:01 from the interface (or virtual)
/// MAC, an IPv6 header with source = the virtual address itself, destination ff02::1, hop limit 255, and an
/// ICMPv6 Neighbour Advertisement (type 136, code 0) with the Override flag, the Router flag when
/// <see cref="Router"/> is set (keepalived: when net.ipv6.conf.IFNAME.forwarding is on, see
/// <see cref="IsForwardingEnabled"/>), Solicited clear, target = the virtual address and a Target Link-Layer
/// Address option carrying the MAC. The checksum covers the IPv6 pseudo-header (RFC 4443 §2.3).
/// Uses an AF_PACKET SOCK_RAW socket with protocol 0, so it never receives. The frame is built once;
/// each send patches the source, target and checksum: zero allocation. As in keepalived the caller should not
/// send on an IFF_NOARP interface, and is responsible for pacing (garp/gna intervals).
/// </summary>
public sealed class UnsolicitedNeighborAdvertSender : IDisposable
{
    internal const int FrameLength = 14 + 40 + 24 + 8;
    internal const int IpOffset = 14;
    internal const int SourceOffset = IpOffset + 8;
    internal const int DestinationOffset = IpOffset + 24;
    internal const int IcmpOffset = IpOffset + 40;
    internal const int IcmpLength = 24 + 8;
    internal const int ChecksumOffset = IcmpOffset + 2;
    internal const int FlagsOffset = IcmpOffset + 4;
    internal const int TargetOffset = IcmpOffset + 8;
    internal const byte FlagRouter = 0x80;
    internal const byte FlagSolicited = 0x40;
    internal const byte FlagOverride = 0x20;
    private const ushort EtherTypeIPv6 = 0x86DD;

    private readonly Socket _socket;
    private readonly SocketAddress _destination;
    private readonly byte[] _frame = new byte[FrameLength];
    private PacketBatch? _batch;

    /// <summary>Advertisements one <c>sendmmsg</c> carries in <see cref="SendMany"/>.</summary>
    public const int BatchFrames = PacketBatch.Capacity;

    private UnsolicitedNeighborAdvertSender(Socket socket, SocketAddress destination, int ifIndex, ReadOnlySpan<byte> mac, bool router)
    {
        _socket = socket;
        _destination = destination;
        InterfaceIndex = ifIndex;
        BuildTemplate(_frame, mac);
        Router = router;
    }

    public int InterfaceIndex { get; }

    /// <summary>Set the Router (R) flag in later advertisements (keepalived: the interface forwards IPv6).</summary>
    public bool Router
    {
        get => (_frame[FlagsOffset] & FlagRouter) != 0;
        set => _frame[FlagsOffset] = (byte)(value ? FlagOverride | FlagRouter : FlagOverride);
    }

    /// <summary>The last send failure (Success after a successful send).</summary>
    public SocketError LastError { get; private set; }

    /// <summary>
    /// Opens the sender in the calling thread's network namespace. <paramref name="macAddress"/> is the Ethernet
    /// source and the advertised link-layer address (the interface MAC, or the VRRP virtual MAC of a VMAC interface).
    /// </summary>
    public static UnsolicitedNeighborAdvertSender Open(int ifIndex, ReadOnlySpan<byte> macAddress, bool router = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ifIndex);
        if (macAddress.Length != 6)
        {
            throw new ArgumentException("A 6-byte Ethernet address is required.", nameof(macAddress));
        }

        Socket socket = PacketSocket.OpenSendOnly(ifIndex);
        SocketAddress destination = PacketSocket.Address(ifIndex, EtherTypeIPv6, [0x33, 0x33, 0x00, 0x00, 0x00, 0x01]);
        return new UnsolicitedNeighborAdvertSender(socket, destination, ifIndex, macAddress, router);
    }

    /// <summary>
    /// keepalived's test for the Router flag: /proc/sys/net/ipv6/conf/IFNAME/forwarding is non-zero (read in the
    /// calling thread's network namespace; keepalived re-reads it at most every 5 s). False when unreadable.
    /// </summary>
    public static bool IsForwardingEnabled(string interfaceName)
    {
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        try
        {
            string text = File.ReadAllText("/proc/sys/net/ipv6/conf/" + interfaceName + "/forwarding").Trim();
            return text.Length > 0 && text != "0";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Sends one unsolicited NA for an IPv6 address. Never throws for send failures.</summary>
    public bool Send(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> b = stackalloc byte[16];
        if (!address.TryWriteBytes(b, out int written) || written != 16)
        {
            throw new ArgumentException("An IPv6 address is required.", nameof(address));
        }

        return Send(b);
    }

    /// <summary>Sends one unsolicited NA; <paramref name="target16"/> is the address in wire order. Zero allocation on success.</summary>
    public bool Send(ReadOnlySpan<byte> target16)
    {
        if (target16.Length != 16)
        {
            throw new ArgumentException("A 16-byte IPv6 address is required.", nameof(target16));
        }

        Patch(_frame, target16);
        // libc sendto: a failed frame (a full queue under a flood) costs an errno, not an exception.
        bool sent = PacketSocket.TrySend(_socket, _frame, _destination, out SocketError error);
        LastError = error;
        return sent;
    }

    /// <summary>
    /// Sends one unsolicited NA for each address in <paramref name="targets"/> (16 bytes each, wire order),
    /// <see cref="BatchFrames"/> frames per <c>sendmmsg</c>. Returns how many were sent before the first that failed
    /// (all of them when none did); <see cref="LastError"/> says why that one failed. Zero allocation after the first call.
    /// </summary>
    public int SendMany(ReadOnlySpan<byte> targets)
    {
        if (targets.Length % 16 != 0)
        {
            throw new ArgumentException("16-byte IPv6 addresses are required.", nameof(targets));
        }

        _batch ??= new PacketBatch(_frame, _destination);
        int total = targets.Length / 16;
        int done = 0;
        while (done < total)
        {
            int count = Math.Min(BatchFrames, total - done);
            for (int i = 0; i < count; i++)
            {
                Span<byte> frame = _batch.Frame(i);
                frame[FlagsOffset] = _frame[FlagsOffset]; // Router may have changed since the batch was built
                Patch(frame, targets.Slice((done + i) * 16, 16));
            }

            int sent = _batch.Send(_socket, count, out _);
            done += sent;
            if (sent < count)
            {
                // The kernel stopped at this frame and reports why only if it was the call's first: send it alone.
                if (!Send(targets.Slice(done * 16, 16)))
                {
                    return done;
                }

                done++;
            }
        }

        LastError = SocketError.Success;
        return done;
    }

    /// <summary>Writes the constant parts of the frame (addresses and checksum are patched per send).</summary>
    internal static void BuildTemplate(Span<byte> frame, ReadOnlySpan<byte> mac)
    {
        frame.Clear();
        frame[0] = 0x33; frame[1] = 0x33; frame[5] = 0x01;       // Ethernet destination: 33:33:00:00:00:01 (RFC 2464 §7)
        mac.CopyTo(frame[6..]);                                   // Ethernet source
        frame[12] = 0x86; frame[13] = 0xDD;                       // EtherType IPv6
        Span<byte> ip = frame[IpOffset..];
        ip[0] = 0x60;                                             // version 6, traffic class 0, flow label 0
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], IcmpLength); // payload length 32
        ip[6] = 58;                                               // next header ICMPv6
        ip[7] = 255;                                              // hop limit (RFC 4861 §7.1.2)
        frame[DestinationOffset] = 0xFF; frame[DestinationOffset + 1] = 0x02;
        frame[DestinationOffset + 15] = 0x01;                     // ff02::1
        Span<byte> icmp = frame[IcmpOffset..];
        icmp[0] = 136;                                            // Neighbour Advertisement
        icmp[1] = 0;                                              // code
        icmp[4] = FlagOverride;                                   // R and S clear (R set via Router)
        icmp[24] = 2;                                             // option: Target Link-Layer Address
        icmp[25] = 1;                                             // length in units of 8 octets
        mac.CopyTo(icmp[26..]);
    }

    /// <summary>Sets the IPv6 source and NA target to <paramref name="target16"/> and recomputes the checksum.</summary>
    internal static void Patch(Span<byte> frame, ReadOnlySpan<byte> target16)
    {
        target16.CopyTo(frame[SourceOffset..]);
        target16.CopyTo(frame[TargetOffset..]);
        frame[ChecksumOffset] = 0;
        frame[ChecksumOffset + 1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(frame[ChecksumOffset..], Checksum(frame));
    }

    /// <summary>ICMPv6 checksum of the frame's NA over the pseudo-header (source, destination, length, next header).</summary>
    internal static ushort Checksum(ReadOnlySpan<byte> frame)
    {
        uint sum = Sum(frame.Slice(SourceOffset, 32));            // source and destination addresses
        sum += IcmpLength;                                        // upper-layer packet length
        sum += 58;                                                // next header
        sum += Sum(frame.Slice(IcmpOffset, IcmpLength));
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    private static uint Sum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        return sum;
    }


    public void Dispose()
    {
        _socket.Dispose();
        _batch?.Dispose();
    }

}
