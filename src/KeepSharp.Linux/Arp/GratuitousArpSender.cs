using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace KeepSharp.Linux;

/// <summary>
/// Sends gratuitous ARP exactly as keepalived's vrrp_arp.c does: an Ethernet broadcast carrying an ARP
/// REQUEST (opcode 1) with sender MAC = interface MAC, sender IP = target IP = the virtual address and
/// target MAC ff:ff:ff:ff:ff:ff. Uses an AF_PACKET SOCK_RAW socket with protocol 0, so it never receives.
/// </summary>
public sealed class GratuitousArpSender : IDisposable
{
    internal const int FrameLength = 14 + 28;
    private const ushort EtherTypeArp = 0x0806;
    private const int SenderIpOffset = 14 + 14;
    private const int TargetIpOffset = 14 + 24;

    private readonly Socket _socket;
    private readonly SocketAddress _destination;
    private readonly byte[] _frame = new byte[FrameLength];
    private PacketBatch? _batch;

    private GratuitousArpSender(Socket socket, SocketAddress destination, int ifIndex, ReadOnlySpan<byte> mac)
    {
        _socket = socket;
        _destination = destination;
        InterfaceIndex = ifIndex;
        BuildTemplate(_frame, mac);
    }

    /// <summary>Frames one <c>sendmmsg</c> carries in <see cref="SendMany"/>.</summary>
    public const int BatchFrames = PacketBatch.Capacity;

    public int InterfaceIndex { get; }

    /// <summary>The last send failure (Success after a successful send).</summary>
    public SocketError LastError { get; private set; }

    /// <summary>Opens the sender in the calling thread's network namespace.</summary>
    public static GratuitousArpSender Open(int ifIndex, ReadOnlySpan<byte> macAddress)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ifIndex);
        if (macAddress.Length != 6)
        {
            throw new ArgumentException("A 6-byte Ethernet address is required.", nameof(macAddress));
        }

        // Protocol 0: the socket is not hooked into the receive path at all.
        Socket socket = PacketSocket.OpenSendOnly(ifIndex);
        SocketAddress destination = PacketSocket.Address(ifIndex, EtherTypeArp, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
        return new GratuitousArpSender(socket, destination, ifIndex, macAddress);
    }

    /// <summary>Sends one gratuitous ARP for an IPv4 address. Never throws for send failures.</summary>
    public bool Send(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> ip = stackalloc byte[16];
        if (!address.TryWriteBytes(ip, out int written) || written != 4)
        {
            throw new ArgumentException("An IPv4 address is required.", nameof(address));
        }

        return Send(MemoryMarshal.Read<uint>(ip));
    }

    /// <summary>Sends one gratuitous ARP; the address bytes are in wire order. Zero allocation on success.</summary>
    public bool Send(uint addressNetworkOrder)
    {
        MemoryMarshal.Write(_frame.AsSpan(SenderIpOffset), in addressNetworkOrder);
        MemoryMarshal.Write(_frame.AsSpan(TargetIpOffset), in addressNetworkOrder);
        // libc sendto: a failed frame (a full queue under a flood) costs an errno, not an exception.
        bool sent = PacketSocket.TrySend(_socket, _frame, _destination, out SocketError error);
        LastError = error;
        return sent;
    }

    /// <summary>
    /// Sends one gratuitous ARP for each address (wire order), <see cref="BatchFrames"/> frames per <c>sendmmsg</c>.
    /// Returns how many were sent before the first that failed (<paramref name="addressesNetworkOrder"/>.Length when
    /// all were); <see cref="LastError"/> says why that one failed. Zero allocation after the first call.
    /// </summary>
    public int SendMany(ReadOnlySpan<uint> addressesNetworkOrder)
    {
        _batch ??= new PacketBatch(_frame, _destination);
        int done = 0;
        while (done < addressesNetworkOrder.Length)
        {
            int count = Math.Min(BatchFrames, addressesNetworkOrder.Length - done);
            for (int i = 0; i < count; i++)
            {
                Span<byte> frame = _batch.Frame(i);
                uint address = addressesNetworkOrder[done + i];
                MemoryMarshal.Write(frame[SenderIpOffset..], in address);
                MemoryMarshal.Write(frame[TargetIpOffset..], in address);
            }

            int sent = _batch.Send(_socket, count, out _);
            done += sent;
            if (sent < count)
            {
                // The kernel stopped at this frame and reports why only if it was the call's first: send it alone.
                if (!Send(addressesNetworkOrder[done]))
                {
                    return done;
                }

                done++;
            }
        }

        LastError = SocketError.Success;
        return done;
    }

    internal static void BuildTemplate(Span<byte> frame, ReadOnlySpan<byte> mac)
    {
        frame.Clear();
        frame[..6].Fill(0xFF);                       // Ethernet destination: broadcast
        mac.CopyTo(frame[6..]);                      // Ethernet source
        frame[12] = 0x08; frame[13] = 0x06;          // EtherType ARP
        Span<byte> arp = frame[14..];
        arp[0] = 0x00; arp[1] = 0x01;                // hardware type Ethernet
        arp[2] = 0x08; arp[3] = 0x00;                // protocol type IPv4
        arp[4] = 6; arp[5] = 4;                      // address lengths
        arp[6] = 0x00; arp[7] = 0x01;                // opcode REQUEST (as keepalived)
        mac.CopyTo(arp[8..]);                        // sender hardware address
        arp[18..24].Fill(0xFF);                      // target hardware address (keepalived: ff:ff:ff:ff:ff:ff)
    }


    public void Dispose()
    {
        _socket.Dispose();
        _batch?.Dispose();
    }

}
