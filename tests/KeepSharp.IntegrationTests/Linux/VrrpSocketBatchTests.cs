using System.Net;
using KeepSharp.Linux;

namespace KeepSharp.IntegrationTests.Linux;

/// <summary>Batched sends (one sendmmsg for the adverts of a loop pass): queued until EndBatch, then all sent intact.</summary>
public sealed class VrrpSocketBatchTests
{
    [Fact]
    public void Batch_IsHeldUntilEndBatch_ThenEveryDatagramArrivesIntactAndInOrder()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out string b);
        using VrrpSocket sender = NetworkNamespace.Run(a, () => VrrpSocket.OpenIPv4("va", NetnsFixture.VrrpGroup));
        using VrrpSocket receiver = NetworkNamespace.Run(b, () => VrrpSocket.OpenIPv4("vb", NetnsFixture.VrrpGroup));
        var buffer = new byte[2048];

        // More than one batch's worth, so a full batch is flushed on the way; multicast and unicast mixed.
        int count = DatagramBatch.Capacity + 10;
        sender.BeginBatch();
        for (int i = 0; i < count; i++)
        {
            bool unicast = i % 7 == 3;
            IPAddress destination = unicast ? IPAddress.Parse("10.77.0.2") : NetnsFixture.VrrpGroup;
            Assert.True(sender.Send(VrrpSocketTests.BuildAdvert(IPAddress.Parse("10.77.0.1"), destination, vrid: (byte)(i + 1)), destination));
        }

        Thread.Sleep(100);
        int early = 0;
        while (receiver.Receive(buffer) > 0)
        {
            early++;
        }

        Assert.Equal(DatagramBatch.Capacity, early); // the first full batch left; the rest waits for EndBatch
        Assert.Equal(0, sender.EndBatch());

        int vrid = DatagramBatch.Capacity + 1;
        using var poller = new Poller();
        int slot = poller.Register(receiver.FileDescriptor);
        long deadline = Environment.TickCount64 + 5000;
        while (vrid <= count && Environment.TickCount64 < deadline)
        {
            poller.Wait(TimeSpan.FromSeconds(1));
            int n;
            while (poller.IsReadable(slot) && (n = receiver.Receive(buffer)) > 0)
            {
                Assert.Equal(40, n);
                Assert.Equal(vrid++, buffer[21]);
                Assert.Equal(0, VrrpSocketTests.Checksum(buffer.AsSpan(20, 20)));
            }
        }

        Assert.Equal(count + 1, vrid);

        // After EndBatch a send leaves at once again.
        Assert.True(sender.Send(VrrpSocketTests.BuildAdvert(IPAddress.Parse("10.77.0.1"), NetnsFixture.VrrpGroup)));
        Assert.Equal(1, poller.Wait(TimeSpan.FromSeconds(5)));
        Assert.Equal(40, receiver.Receive(buffer));
    }

    [Fact]
    public void BatchedSends_DoNotAllocate_AndFailuresAreCounted()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out string b);
        using VrrpSocket sender = NetworkNamespace.Run(a, () => VrrpSocket.OpenIPv4("va", NetnsFixture.VrrpGroup));
        byte[] advert = VrrpSocketTests.BuildAdvert(IPAddress.Parse("10.77.0.1"), NetnsFixture.VrrpGroup);

        int failures = 0;

        void Round()
        {
            sender.BeginBatch();
            for (int i = 0; i < 5; i++)
            {
                Assert.True(sender.Send(advert));
            }

            failures += sender.EndBatch(); // no Assert.Equal here: it allocates
        }

        for (int i = 0; i < 20; i++)
        {
            Round(); // warm up
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            Round();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(0, failures);

        // A datagram the kernel refuses (a truncated header: EINVAL) is counted; the others in the batch still leave.
        sender.BeginBatch();
        Assert.True(sender.Send(advert));
        Assert.True(sender.Send(advert.AsSpan(0, 10), NetnsFixture.VrrpGroup));
        Assert.True(sender.Send(advert));
        Assert.Equal(1, sender.EndBatch());
        Assert.NotEqual(0, sender.LastSendError);
    }

    [Fact]
    public void ReceiveMany_ReadsAPendingBurstInBatches_InOrder_WithoutAllocating()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out string b);
        using VrrpSocket sender = NetworkNamespace.Run(a, () => VrrpSocket.OpenIPv4("va", NetnsFixture.VrrpGroup));
        using VrrpSocket receiver = NetworkNamespace.Run(b, () => VrrpSocket.OpenIPv4("vb", NetnsFixture.VrrpGroup));
        Assert.Equal(0, receiver.ReceiveMany()); // nothing pending

        byte[][] adverts = [.. Enumerable.Range(1, DatagramReceiveBatch.Capacity + 8)
            .Select(v => VrrpSocketTests.BuildAdvert(IPAddress.Parse("10.77.0.1"), NetnsFixture.VrrpGroup, vrid: (byte)v))];

        int Burst()
        {
            foreach (byte[] advert in adverts)
            {
                Assert.True(sender.Send(advert));
            }

            Thread.Sleep(50);
            int vrid = 1;
            int calls = 0;
            int n;
            while ((n = receiver.ReceiveMany()) > 0)
            {
                calls++;
                for (int i = 0; i < n; i++)
                {
                    ReadOnlySpan<byte> datagram = receiver.ReceivedDatagram(i);
                    if (datagram.Length != 40 || datagram[21] != vrid++)
                    {
                        return -1;
                    }
                }
            }

            return vrid == adverts.Length + 1 ? calls : -1;
        }

        Assert.Equal(2, Burst()); // a full batch, then the rest
        long before = GC.GetAllocatedBytesForCurrentThread();
        int calls = Burst();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(2, calls);
        Assert.Equal(0, allocated);
    }
}
