using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace KeepSharp.Linux;

/// <summary>
/// Gratuitous ARP on one interface through an AF_PACKET socket: a broadcast ARP request whose sender and
/// target protocol addresses are both the virtual address, from the interface's MAC, so every host and
/// switch on the segment learns where the address now lives. The frame is built once per send into a
/// reused buffer; the link-layer destination is built once.
/// </summary>
public sealed class GratuitousArpSender : IDisposable
{
    private const ushort EtherTypeArp = 0x0806;
    private const ushort EtherTypeIPv4 = 0x0800;
    private const int FrameLength = 42; // Ethernet + ARP, as keepalived sends it; a NIC pads to 60 on the wire

    private readonly Socket _socket;
    private readonly SocketAddress _destination;
    private readonly byte[] _frame = new byte[FrameLength];

    private GratuitousArpSender(Socket socket, SocketAddress destination, ReadOnlySpan<byte> macAddress)
    {
        _socket = socket;
        _destination = destination;
        Span<byte> f = _frame;
        f[..6].Fill(0xFF);                                       // Ethernet destination: broadcast
        macAddress.CopyTo(f[6..12]);                              // Ethernet source
        BinaryPrimitives.WriteUInt16BigEndian(f[12..], EtherTypeArp);
        BinaryPrimitives.WriteUInt16BigEndian(f[14..], 1);        // hardware type: Ethernet
        BinaryPrimitives.WriteUInt16BigEndian(f[16..], EtherTypeIPv4);
        f[18] = 6;                                                // hardware address length
        f[19] = 4;                                                // protocol address length
        BinaryPrimitives.WriteUInt16BigEndian(f[20..], 1);        // ARP request
        macAddress.CopyTo(f[22..28]);                             // sender hardware address
        f[32..38].Fill(0xFF);                                     // target hardware address: broadcast
    }

    public static GratuitousArpSender Open(int ifIndex, ReadOnlySpan<byte> macAddress)
    {
        if (macAddress.Length != 6)
            throw new ArgumentException("gratuitous ARP needs a 6-byte Ethernet address", nameof(macAddress));
        var socket = new Socket(AddressFamily.Packet, SocketType.Raw, ProtocolType.Unspecified);
        // struct sockaddr_ll: family, protocol (network order), ifindex, hatype, pkttype, halen, addr[8].
        var destination = new SocketAddress(AddressFamily.Packet, 20);
        Span<byte> ll = destination.Buffer.Span;
        BinaryPrimitives.WriteUInt16BigEndian(ll[2..], EtherTypeArp);
        BinaryPrimitives.WriteInt32LittleEndian(ll[4..], ifIndex);
        ll[11] = 6;
        ll[12..18].Fill(0xFF);
        return new GratuitousArpSender(socket, destination, macAddress);
    }

    /// <summary>Sends one gratuitous ARP for <paramref name="address"/>. False when the kernel refused it.</summary>
    public bool Send(IPAddress address)
    {
        Span<byte> f = _frame;
        if (!address.TryWriteBytes(f[28..32], out int written) || written != 4)
            return false;
        f[28..32].CopyTo(f[38..42]);                              // target protocol address = sender's
        try
        {
            return _socket.SendTo(_frame, SocketFlags.None, _destination) == FrameLength;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();
}
