using System.Net;
using KeepSharp.Linux;

namespace KeepSharp.IntegrationTests.Linux;

/// <summary>IPv4: receive metadata from IP_PKTINFO and the header, and the unicast (no group) mode.</summary>
public sealed class VrrpSocketReceiveInfoTests
{
    private static readonly IPAddress SourceA = IPAddress.Parse("10.77.0.1");
    private static readonly IPAddress PeerB = IPAddress.Parse("10.77.0.2");

    private static int ReceiveWithin(VrrpSocket socket, Span<byte> buffer, out ReceivedPacketInfo info, TimeSpan timeout)
    {
        using var poller = new Poller();
        int slot = poller.Register(socket.FileDescriptor);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            poller.Wait(deadline - DateTime.UtcNow);
            if (poller.IsReadable(slot))
            {
                int n = socket.Receive(buffer, out info);
                if (n != 0)
                {
                    return n;
                }
            }
        }

        return socket.Receive(buffer, out info);
    }

    [Fact]
    public void VrrpSocketReceiveInfo_MulticastAndUnicast_ReportIfIndexDestinationSourceAndTtl()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out string b);
        using VrrpSocket sender = NetworkNamespace.Run(a, () => VrrpSocket.OpenIPv4("va", NetnsFixture.VrrpGroup));
        using VrrpSocket receiver = NetworkNamespace.Run(b, () => VrrpSocket.OpenIPv4("vb", NetnsFixture.VrrpGroup));
        int ifIndexB = NetnsFixture.IfIndex(b, "vb");

        byte[] advert = VrrpSocketTests.BuildAdvert(SourceA, NetnsFixture.VrrpGroup);
        Assert.True(sender.Send(advert));
        var buffer = new byte[2048];
        int n = ReceiveWithin(receiver, buffer, out ReceivedPacketInfo info, TimeSpan.FromSeconds(5));
        Assert.Equal(40, n);                                             // the IPv4 header still comes in the buffer
        Assert.True(buffer.AsSpan(20, 20).SequenceEqual(advert.AsSpan(20)));
        Assert.False(info.IsIPv6);
        Assert.False(info.Truncated);
        Assert.Equal(ifIndexB, info.InterfaceIndex);
        Assert.Equal(NetnsFixture.VrrpGroup, info.GetDestinationAddress());
        Assert.Equal(0xE0000012u, (uint)info.Destination);
        Assert.True(info.IsMulticastDestination);
        Assert.Equal(SourceA, info.GetSourceAddress());
        Assert.Equal(255, info.HopLimit);
        Span<byte> dst = stackalloc byte[16];
        Assert.Equal(4, info.WriteDestination(dst));
        Assert.True(dst[..4].SequenceEqual(NetnsFixture.VrrpGroup.GetAddressBytes()));

        // Unicast to the peer on the same (multicast-mode) socket.
        Assert.True(sender.Send(VrrpSocketTests.BuildAdvert(SourceA, PeerB), PeerB));
        n = ReceiveWithin(receiver, buffer, out info, TimeSpan.FromSeconds(5));
        Assert.Equal(40, n);
        Assert.Equal(PeerB, info.GetDestinationAddress());
        Assert.False(info.IsMulticastDestination);
        Assert.Equal(ifIndexB, info.InterfaceIndex);

        // The plain Receive(Span) still works beside IP_PKTINFO.
        Assert.True(sender.Send(advert));
        var plain = new byte[2048];
        long deadline = Environment.TickCount64 + 5000;
        while ((n = receiver.Receive(plain)) == 0 && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(10);
        }

        Assert.Equal(40, n);

        // Truncated datagram: copy clamped to the buffer, flag set.
        Assert.True(sender.Send(advert));
        n = ReceiveWithin(receiver, buffer.AsSpan(0, 24), out info, TimeSpan.FromSeconds(5));
        Assert.Equal(24, n);
        Assert.True(info.Truncated);
        Assert.Equal(ifIndexB, info.InterfaceIndex);
    }

    [Fact]
    public void VrrpSocketReceiveInfo_UnicastMode_NoGroup_HeaderTtlAndDestinationKept()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out string b);
        using VrrpSocket sender = NetworkNamespace.Run(a, () => VrrpSocket.OpenIPv4Unicast("va"));
        using VrrpSocket receiver = NetworkNamespace.Run(b, () => VrrpSocket.OpenIPv4Unicast("vb", PeerB));
        using VrrpSocket groupSender = NetworkNamespace.Run(a, () => VrrpSocket.OpenIPv4("va", NetnsFixture.VrrpGroup));
        Assert.Equal(IPAddress.Any, sender.MulticastGroup);
        int ifIndexB = NetnsFixture.IfIndex(b, "vb");

        // unicast_ttl: IP_HDRINCL keeps the TTL the caller wrote; Send(datagram) goes to the header's destination.
        byte[] advert = VrrpSocketTests.BuildAdvert(SourceA, PeerB);
        advert[8] = 64;
        advert[10] = advert[11] = 0; // the kernel recomputes the header checksum anyway
        Assert.True(sender.Send(advert), "send failed: " + Errno.Describe(sender.LastSendError));
        var buffer = new byte[2048];
        int n = ReceiveWithin(receiver, buffer, out ReceivedPacketInfo info, TimeSpan.FromSeconds(5));
        Assert.Equal(40, n);
        Assert.Equal(64, buffer[8]);
        Assert.Equal(64, info.HopLimit);
        Assert.Equal(PeerB, info.GetDestinationAddress());
        Assert.Equal(SourceA, info.GetSourceAddress());
        Assert.Equal(ifIndexB, info.InterfaceIndex);

        // Explicit destination as well.
        Assert.True(sender.Send(advert, PeerB));
        Assert.Equal(40, ReceiveWithin(receiver, buffer, out info, TimeSpan.FromSeconds(5)));

        // Bound to unicast_src and in no group: the multicast advert is not delivered to it.
        Assert.True(groupSender.Send(VrrpSocketTests.BuildAdvert(SourceA, NetnsFixture.VrrpGroup)));
        Assert.Equal(0, ReceiveWithin(receiver, buffer, out _, TimeSpan.FromMilliseconds(300)));

        // A truncated header-less datagram cannot be sent to "its header destination".
        Assert.False(sender.Send(advert.AsSpan(0, 10)));
        Assert.Equal(Errno.EINVAL, sender.LastSendError);
    }

    [Fact]
    public void VrrpSocketReceiveInfo_ReceiveWithInfo_DoesNotAllocate()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out string b);
        using VrrpSocket sender = NetworkNamespace.Run(a, () => VrrpSocket.OpenIPv4("va", NetnsFixture.VrrpGroup));
        using VrrpSocket receiver = NetworkNamespace.Run(b, () => VrrpSocket.OpenIPv4("vb", NetnsFixture.VrrpGroup));
        using var poller = new Poller();
        int slot = poller.Register(receiver.FileDescriptor);
        byte[] advert = VrrpSocketTests.BuildAdvert(SourceA, NetnsFixture.VrrpGroup);
        byte[] buffer = new byte[1500];
        int received = 0;
        int withIndex = 0;

        void Round()
        {
            Assert.True(sender.Send(advert));
            long deadline = Environment.TickCount64 + 5000;
            int target = received + 1;
            while (received < target && Environment.TickCount64 < deadline)
            {
                poller.Wait(TimeSpan.FromSeconds(1));
                if (poller.IsReadable(slot))
                {
                    while (receiver.Receive(buffer, out ReceivedPacketInfo info) > 0)
                    {
                        received++;
                        withIndex += info.InterfaceIndex > 0 ? 1 : 0;
                    }
                }
            }
        }

        for (int i = 0; i < 50; i++)
        {
            Round();
        }

        received = 0;
        withIndex = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            Round();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1000, received);
        Assert.Equal(1000, withIndex);
        Assert.Equal(0, allocated);
    }
}
