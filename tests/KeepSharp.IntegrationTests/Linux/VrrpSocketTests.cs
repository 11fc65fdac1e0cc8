using System.Buffers.Binary;
using System.Net;
using KeepSharp.Linux;

namespace KeepSharp.IntegrationTests.Linux;

public sealed class VrrpSocketTests
{
    private static readonly IPAddress SourceA = IPAddress.Parse("10.77.0.1");

    /// <summary>IPv4 header (TTL 255, protocol 112, TOS 0xc0) + VRRPv2 advertisement for VRID 51, one VIP.</summary>
    internal static byte[] BuildAdvert(IPAddress source, IPAddress destination, byte vrid = 51)
    {
        var packet = new byte[40];
        Span<byte> ip = packet.AsSpan(0, 20);
        ip[0] = 0x45;
        ip[1] = 0xC0;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], 40);
        ip[8] = 255;
        ip[9] = 112;
        source.TryWriteBytes(ip[12..], out _);
        destination.TryWriteBytes(ip[16..], out _);

        Span<byte> vrrp = packet.AsSpan(20);
        vrrp[0] = 0x21;       // version 2, type advertisement
        vrrp[1] = vrid;
        vrrp[2] = 100;        // priority
        vrrp[3] = 1;          // address count
        vrrp[4] = 0;          // auth type
        vrrp[5] = 1;          // advert interval
        IPAddress.Parse("10.77.0.100").TryWriteBytes(vrrp[8..], out _);
        BinaryPrimitives.WriteUInt16BigEndian(vrrp[6..], Checksum(vrrp));
        return packet;
    }

    internal static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if ((data.Length & 1) != 0)
        {
            sum += (uint)data[^1] << 8;
        }

        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    private static int ReceiveWithin(VrrpSocket socket, Span<byte> buffer, TimeSpan timeout)
    {
        using var poller = new Poller();
        int slot = poller.Register(socket.FileDescriptor);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            poller.Wait(deadline - DateTime.UtcNow);
            if (poller.IsReadable(slot))
            {
                int n = socket.Receive(buffer);
                if (n != 0)
                {
                    return n;
                }
            }
        }

        return socket.Receive(buffer);
    }

    [Fact]
    public void Advertisement_ArrivesIntactAtPeer_NotLoopedBack_NotOnOtherInterface()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out string b);
        // A second link in B (veth pair to a third namespace) whose socket must not see A's adverts.
        string c = net.NewNamespace();
        NetnsFixture.AddVeth(b, "vb2", c, "vc");
        Shell.Ip(b, "addr", "add", "10.78.0.2/24", "dev", "vb2");

        using VrrpSocket sender = NetworkNamespace.Run(a, () => VrrpSocket.OpenIPv4("va", NetnsFixture.VrrpGroup));
        using VrrpSocket listenerA = NetworkNamespace.Run(a, () => VrrpSocket.OpenIPv4("va", NetnsFixture.VrrpGroup));
        using VrrpSocket receiver = NetworkNamespace.Run(b, () => VrrpSocket.OpenIPv4("vb", NetnsFixture.VrrpGroup));
        using VrrpSocket otherInterface = NetworkNamespace.Run(b, () => VrrpSocket.OpenIPv4("vb2", NetnsFixture.VrrpGroup));
        Assert.True(sender.FileDescriptor > 0);
        Assert.Equal(NetnsFixture.IfIndex(a, "va"), sender.InterfaceIndex);

        byte[] advert = BuildAdvert(SourceA, NetnsFixture.VrrpGroup);
        Assert.True(sender.Send(advert), "send failed: " + Errno.Describe(sender.LastSendError));

        var buffer = new byte[2048];
        int n = ReceiveWithin(receiver, buffer, TimeSpan.FromSeconds(5));
        Assert.Equal(40, n);
        Span<byte> ip = buffer.AsSpan(0, n);
        Assert.Equal(0x45, ip[0]);
        Assert.Equal(255, ip[8]);                                  // TTL
        Assert.Equal(112, ip[9]);                                  // protocol
        Assert.Equal(40, BinaryPrimitives.ReadUInt16BigEndian(ip[2..]));
        Assert.Equal(SourceA, new IPAddress(ip.Slice(12, 4)));
        Assert.Equal(NetnsFixture.VrrpGroup, new IPAddress(ip.Slice(16, 4)));
        Assert.Equal(0, Checksum(ip[..20]));                       // kernel filled a valid header checksum
        Assert.True(ip[20..].SequenceEqual(advert.AsSpan(20)));   // payload intact
        Assert.Equal(0, Checksum(ip[20..]));

        // IP_MULTICAST_LOOP 0: nothing comes back to any socket in A; SO_BINDTODEVICE: nothing on vb2.
        Assert.Equal(0, ReceiveWithin(sender, buffer, TimeSpan.FromMilliseconds(300)));
        Assert.Equal(0, listenerA.Receive(buffer));
        Assert.Equal(0, ReceiveWithin(otherInterface, buffer, TimeSpan.FromMilliseconds(300)));
        Assert.Equal(0, receiver.Receive(buffer));                 // exactly one datagram

        // Unicast destination (unicast_peer style) also works.
        byte[] unicast = BuildAdvert(SourceA, IPAddress.Parse("10.77.0.2"));
        Assert.True(sender.Send(unicast, IPAddress.Parse("10.77.0.2")));
        n = ReceiveWithin(receiver, buffer, TimeSpan.FromSeconds(5));
        Assert.Equal(40, n);
        Assert.Equal(IPAddress.Parse("10.77.0.2"), new IPAddress(buffer.AsSpan(16, 4)));
        // Group membership already filters multicast per interface; for unicast only SO_BINDTODEVICE does.
        Assert.Equal(0, ReceiveWithin(otherInterface, buffer, TimeSpan.FromMilliseconds(300)));

        sender.LeaveGroup();
        sender.LeaveGroup(); // idempotent
    }

    [Fact]
    public void ZeroSourceAddress_IsFilledByKernelFromInterface()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out string b);
        using VrrpSocket sender = NetworkNamespace.Run(a, () => VrrpSocket.OpenIPv4("va", NetnsFixture.VrrpGroup));
        using VrrpSocket receiver = NetworkNamespace.Run(b, () => VrrpSocket.OpenIPv4("vb", NetnsFixture.VrrpGroup));

        Assert.True(sender.Send(BuildAdvert(IPAddress.Any, NetnsFixture.VrrpGroup)));
        var buffer = new byte[2048];
        int n = ReceiveWithin(receiver, buffer, TimeSpan.FromSeconds(5));
        Assert.Equal(40, n);
        Assert.Equal(SourceA, new IPAddress(buffer.AsSpan(12, 4)));
        Assert.NotEqual(0, BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(4))); // kernel chose an IP id
    }

    [Fact]
    public void Send_OnDownInterface_ReturnsFalseWithErrno()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out _);
        using VrrpSocket sender = NetworkNamespace.Run(a, () => VrrpSocket.OpenIPv4("va", NetnsFixture.VrrpGroup));
        Shell.Ip(a, "link", "set", "va", "down");
        Assert.False(sender.Send(BuildAdvert(SourceA, NetnsFixture.VrrpGroup)));
        Assert.NotEqual(0, sender.LastSendError);
    }

    [Fact]
    public void Open_UnknownInterface_ThrowsWithErrnoName()
    {
        using var net = new NetnsFixture();
        string a = net.NewNamespace();
        var e = Assert.Throws<LinuxNetworkException>(() => NetworkNamespace.Run(a, () => VrrpSocket.OpenIPv4("nope0", NetnsFixture.VrrpGroup)));
        Assert.Equal(Errno.ENODEV, e.Errno);
        Assert.Contains("ENODEV", e.Message);
    }
}
