using System.Net;
using KeepSharp.Linux;

namespace KeepSharp.IntegrationTests.Linux;

public sealed class LinkMonitorTests
{
    private static LinkEvent WaitForEvent(LinkMonitor monitor, Func<LinkEvent, bool> match, List<LinkEvent> seen)
    {
        using var poller = new Poller();
        int slot = poller.Register(monitor.FileDescriptor);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            while (monitor.TryRead(out LinkEvent e))
            {
                seen.Add(e);
                if (match(e))
                {
                    return e;
                }
            }

            TimeSpan left = deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero, "no matching event within 5 s; saw: " + string.Join(", ", seen));
            poller.Wait(left);
        }
    }

    [Fact]
    public void ReportsCarrierLossAndRecovery_WhenPeerGoesDownAndUp()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out string b);
        int va = NetnsFixture.IfIndex(a, "va");
        using LinkMonitor monitor = NetworkNamespace.Run(a, LinkMonitor.Open);
        Assert.False(monitor.TryRead(out _)); // nothing pending yet, non-blocking
        var seen = new List<LinkEvent>();

        Shell.Ip(b, "link", "set", "vb", "down");
        LinkEvent down = WaitForEvent(monitor, e => e.Kind == LinkEventKind.LinkChanged && e.InterfaceIndex == va && !e.IsRunning, seen);
        Assert.True(down.IsUp); // administratively still up, carrier lost

        Shell.Ip(b, "link", "set", "vb", "up");
        LinkEvent up = WaitForEvent(monitor, e => e.Kind == LinkEventKind.LinkChanged && e.InterfaceIndex == va && e.IsRunning, seen);
        Assert.True(up.IsUp);
    }

    [Fact]
    public void ReportsAddressAddedAndRemoved_AndLinkRemoval()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out _);
        int va = NetnsFixture.IfIndex(a, "va");
        using LinkMonitor monitor = NetworkNamespace.Run(a, LinkMonitor.Open);
        using RtNetlink rt = NetworkNamespace.Run(a, RtNetlink.Open);
        var seen = new List<LinkEvent>();
        IPAddress vip = IPAddress.Parse("10.77.0.100");

        Assert.Equal(0, rt.AddAddress(va, vip, 32));
        LinkEvent added = WaitForEvent(monitor, e => e.Kind == LinkEventKind.AddressAdded && vip.Equals(e.Address), seen);
        Assert.Equal(va, added.InterfaceIndex);
        Assert.Equal(32, added.PrefixLength);

        Assert.Equal(0, rt.DeleteAddress(va, vip, 32));
        WaitForEvent(monitor, e => e.Kind == LinkEventKind.AddressRemoved && vip.Equals(e.Address) && e.InterfaceIndex == va, seen);

        Shell.Ip(a, "link", "del", "va");
        WaitForEvent(monitor, e => e.Kind == LinkEventKind.LinkRemoved && e.InterfaceIndex == va, seen);
    }
}
