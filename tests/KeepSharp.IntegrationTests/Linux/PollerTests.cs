using System.Diagnostics;
using System.Net;
using KeepSharp.Linux;

namespace KeepSharp.IntegrationTests.Linux;

public sealed class PollerTests
{
    [Fact]
    public void Wake_FromAnotherThread_ReturnsPromptly()
    {
        using var poller = new Poller();
        var stopwatch = Stopwatch.StartNew();
        var waker = new Thread(() =>
        {
            Thread.Sleep(100);
            poller.Wake();
        });
        waker.Start();
        int ready = poller.Wait(TimeSpan.FromSeconds(10));
        stopwatch.Stop();
        waker.Join();

        Assert.Equal(0, ready);
        Assert.True(poller.WasWoken);
        Assert.InRange(stopwatch.ElapsedMilliseconds, 50, 2000);

        // The wake-up is consumed: the next wait times out.
        stopwatch.Restart();
        Assert.Equal(0, poller.Wait(TimeSpan.FromMilliseconds(100)));
        Assert.False(poller.WasWoken);
        Assert.InRange(stopwatch.ElapsedMilliseconds, 90, 2000);

        // Wake before Wait is not lost.
        poller.Wake();
        poller.Wake();
        Assert.Equal(0, poller.Wait(TimeSpan.FromSeconds(5)));
        Assert.True(poller.WasWoken);
    }

    [Fact]
    public void ReportsReadableFd_AndOnlyThatSlot()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out string b);
        using VrrpSocket sender = NetworkNamespace.Run(a, () => VrrpSocket.OpenIPv4("va", NetnsFixture.VrrpGroup));
        using VrrpSocket quiet = NetworkNamespace.Run(b, () => VrrpSocket.OpenIPv4("lo", NetnsFixture.VrrpGroup));
        using VrrpSocket receiver = NetworkNamespace.Run(b, () => VrrpSocket.OpenIPv4("vb", NetnsFixture.VrrpGroup));
        using LinkMonitor monitor = NetworkNamespace.Run(b, LinkMonitor.Open);

        using var poller = new Poller(initialCapacity: 1); // forces growth
        int quietSlot = poller.Register(quiet.FileDescriptor);
        int monitorSlot = poller.Register(monitor.FileDescriptor);
        int receiverSlot = poller.Register(receiver.FileDescriptor);
        Assert.Equal(0, poller.Wait(TimeSpan.FromMilliseconds(50)));
        Assert.False(poller.IsReadable(receiverSlot));

        Assert.True(sender.Send(VrrpSocketTests.BuildAdvert(IPAddress.Parse("10.77.0.1"), NetnsFixture.VrrpGroup)));
        Assert.Equal(1, poller.Wait(TimeSpan.FromSeconds(5)));
        Assert.True(poller.IsReadable(receiverSlot));
        Assert.False(poller.IsReadable(quietSlot));
        Assert.False(poller.IsReadable(monitorSlot));
        Assert.False(poller.HasError(receiverSlot));
        Assert.Equal(40, receiver.Receive(new byte[1500]));

        // Unregistered slots are ignored and reused.
        poller.Unregister(receiverSlot);
        Assert.True(sender.Send(VrrpSocketTests.BuildAdvert(IPAddress.Parse("10.77.0.1"), NetnsFixture.VrrpGroup)));
        Assert.Equal(0, poller.Wait(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(receiverSlot, poller.Register(receiver.FileDescriptor));
        Assert.Equal(1, poller.Wait(TimeSpan.FromSeconds(5)));
        Assert.True(poller.IsReadable(receiverSlot));
    }
}
