using System.Net;
using System.Net.Sockets;
using KeepSharp.Linux;

namespace KeepSharp.IntegrationTests.Linux;

public sealed class GratuitousArpTests
{
    private static readonly IPAddress Vip = IPAddress.Parse("10.77.0.100");

    [Fact]
    public void Send_ProducesKeepalivedStyleFrame_AndPeerLearnsVip()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out string b);
        // Linux only creates neighbour entries from unsolicited ARP when arp_accept is set.
        Shell.Run("ip", "netns", "exec", b, "sysctl", "-qw", "net.ipv4.conf.vb.arp_accept=1");
        Assert.Equal("1", Shell.Run("ip", "netns", "exec", b, "sysctl", "-n", "net.ipv4.conf.vb.arp_accept").Trim());
        Assert.DoesNotContain("10.77.0.100", Shell.Ip(b, "neigh", "show", "dev", "vb"));

        LinkInfo linkA = NetworkNamespace.Run(a, () =>
        {
            using RtNetlink rt = RtNetlink.Open();
            return rt.GetLink("va")!;
        });

        // Capture every ARP frame arriving in B (AF_PACKET, ETH_P_ARP in network order).
        using Socket capture = NetworkNamespace.Run(b, () =>
            new Socket(AddressFamily.Packet, SocketType.Raw, (ProtocolType)System.Net.IPAddress.HostToNetworkOrder((short)0x0806)));
        capture.ReceiveTimeout = 5000;

        using GratuitousArpSender garp = NetworkNamespace.Run(a, () => GratuitousArpSender.Open(linkA.InterfaceIndex, linkA.MacAddress));
        Assert.True(garp.Send(Vip), "send failed: " + garp.LastError);

        var frame = new byte[1600];
        int n;
        do
        {
            n = capture.Receive(frame); // throws on timeout
        }
        while (!frame.AsSpan(6, 6).SequenceEqual(linkA.MacAddress));

        Assert.Equal(42, n);
        Span<byte> f = frame.AsSpan(0, n);
        Assert.True(f[..6].SequenceEqual(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }));   // broadcast
        Assert.Equal(new byte[] { 0x08, 0x06 }, f[12..14].ToArray());                             // ethertype ARP
        Span<byte> arp = f[14..];
        Assert.Equal(new byte[] { 0, 1, 8, 0, 6, 4, 0, 1 }, arp[..8].ToArray());                // Ethernet/IPv4, REQUEST
        Assert.True(arp.Slice(8, 6).SequenceEqual(linkA.MacAddress));                             // sender MAC
        Assert.Equal(Vip, new IPAddress(arp.Slice(14, 4)));                                       // sender IP
        Assert.True(arp.Slice(18, 6).SequenceEqual(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF })); // target MAC
        Assert.Equal(Vip, new IPAddress(arp.Slice(24, 4)));                                       // target IP

        string mac = string.Join(':', linkA.MacAddress.Select(x => x.ToString("x2")));
        RtNetlinkTests.WaitFor(
            () => Shell.Ip(b, "neigh", "show", "10.77.0.100", "dev", "vb"),
            s => s.Contains("lladdr " + mac, StringComparison.Ordinal));

        // A second send reuses the frame buffer and updates the address fields.
        Assert.True(garp.Send(IPAddress.Parse("10.77.0.101")));
        RtNetlinkTests.WaitFor(
            () => Shell.Ip(b, "neigh", "show", "10.77.0.101", "dev", "vb"),
            s => s.Contains("lladdr " + mac, StringComparison.Ordinal));
    }

    [Fact]
    public void Send_OnDownInterface_ReturnsFalse()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out _);
        LinkInfo linkA = NetworkNamespace.Run(a, () =>
        {
            using RtNetlink rt = RtNetlink.Open();
            return rt.GetLink("va")!;
        });
        using GratuitousArpSender garp = NetworkNamespace.Run(a, () => GratuitousArpSender.Open(linkA.InterfaceIndex, linkA.MacAddress));
        Shell.Ip(a, "link", "set", "va", "down");
        Assert.False(garp.Send(Vip));
        Assert.NotEqual(SocketError.Success, garp.LastError);
    }

    [Fact]
    public void SendMany_MoreThanOneSendmmsg_EveryAddressOnceInOrder_SameFrameAsSend()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out string b);
        LinkInfo linkA = NetworkNamespace.Run(a, () =>
        {
            using RtNetlink rt = RtNetlink.Open();
            return rt.GetLink("va")!;
        });
        using Socket capture = NetworkNamespace.Run(b, () =>
            new Socket(AddressFamily.Packet, SocketType.Raw, (ProtocolType)System.Net.IPAddress.HostToNetworkOrder((short)0x0806)));
        capture.ReceiveTimeout = 5000;
        using GratuitousArpSender garp = NetworkNamespace.Run(a, () => GratuitousArpSender.Open(linkA.InterfaceIndex, linkA.MacAddress));

        int count = GratuitousArpSender.BatchFrames * 2 + 5;
        uint[] addresses = [.. Enumerable.Range(0, count).Select(i => BitConverter.ToUInt32([10, 79, (byte)(i >> 8), (byte)i]))];
        Assert.Equal(count, garp.SendMany(addresses));
        Assert.Equal(SocketError.Success, garp.LastError);

        byte[] expected = new byte[42];
        GratuitousArpSender.BuildTemplate(expected, linkA.MacAddress);
        var frame = new byte[1600];
        for (int i = 0; i < count;)
        {
            int n = capture.Receive(frame); // throws on timeout
            if (!frame.AsSpan(6, 6).SequenceEqual(linkA.MacAddress))
            {
                continue;
            }

            BitConverter.TryWriteBytes(expected.AsSpan(28), addresses[i]);
            BitConverter.TryWriteBytes(expected.AsSpan(38), addresses[i]);
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(frame, 0, n));
            i++;
        }
    }

    [Fact]
    public void SendMany_OnDownInterface_SendsNone_AndSaysWhy()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out _);
        LinkInfo linkA = NetworkNamespace.Run(a, () =>
        {
            using RtNetlink rt = RtNetlink.Open();
            return rt.GetLink("va")!;
        });
        using GratuitousArpSender garp = NetworkNamespace.Run(a, () => GratuitousArpSender.Open(linkA.InterfaceIndex, linkA.MacAddress));
        Shell.Ip(a, "link", "set", "va", "down");
        Assert.Equal(0, garp.SendMany([1, 2, 3]));
        Assert.NotEqual(SocketError.Success, garp.LastError);
    }
}
