using System.Net;
using KeepSharp.Linux;

namespace KeepSharp.IntegrationTests.Linux;

/// <summary>The per-packet path (send, receive, poll, wake, GARP) must not allocate.</summary>
public sealed class HotPathAllocationTests
{
    [Fact]
    public void SendReceivePollWakeAndGarp_DoNotAllocate()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out string b);
        using VrrpSocket sender = NetworkNamespace.Run(a, () => VrrpSocket.OpenIPv4("va", NetnsFixture.VrrpGroup));
        using VrrpSocket receiver = NetworkNamespace.Run(b, () => VrrpSocket.OpenIPv4("vb", NetnsFixture.VrrpGroup));
        LinkInfo link = NetworkNamespace.Run(a, () =>
        {
            using RtNetlink rt = RtNetlink.Open();
            return rt.GetLink("va")!;
        });
        using GratuitousArpSender garp = NetworkNamespace.Run(a, () => GratuitousArpSender.Open(link.InterfaceIndex, link.MacAddress));
        using var poller = new Poller();
        int slot = poller.Register(receiver.FileDescriptor);

        byte[] advert = VrrpSocketTests.BuildAdvert(IPAddress.Parse("10.77.0.1"), NetnsFixture.VrrpGroup);
        byte[] buffer = new byte[1500];
        IPAddress vip = IPAddress.Parse("10.77.0.100");
        IPAddress peer = IPAddress.Parse("10.77.0.2");
        int received = 0;

        int wakes = 0;

        void Round()
        {
            Assert.True(sender.Send(advert));
            Assert.True(sender.Send(advert, peer));
            Assert.True(garp.Send(vip));
            poller.Wake();
            int target = received + 2;
            long deadline = Environment.TickCount64 + 5000;
            while (received < target && Environment.TickCount64 < deadline)
            {
                poller.Wait(TimeSpan.FromSeconds(1));
                wakes += poller.WasWoken ? 1 : 0;
                if (poller.IsReadable(slot))
                {
                    while (receiver.Receive(buffer) > 0)
                    {
                        received++;
                    }
                }
            }
        }

        for (int i = 0; i < 20; i++)
        {
            Round(); // warm up (JIT, tiering, lazy socket state)
        }

        received = 0;
        wakes = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            Round();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(400, received);
        Assert.Equal(0, allocated);
        Assert.InRange(wakes, 1, 200);
    }
}
