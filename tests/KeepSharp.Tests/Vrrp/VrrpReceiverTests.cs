using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Tests.Vrrp;

/// <summary>The receive path of one interface: IP-level checks, dispatch by VRID, counting by reason.</summary>
public class VrrpReceiverTests
{
    [Fact]
    public void Dispatches_by_vrid_to_the_router_that_owns_it()
    {
        var a = new RouterHarness(priority: 100);
        var b = new RouterHarness(priority: 100, configure: s => Reconfigure(s, vrid: 52));
        var receiver = new VrrpReceiver();
        receiver.Add(a.Router);
        receiver.Add(b.Router);
        a.Router.Start();
        b.Router.Start();

        Assert.Equal(VrrpDropReason.None, receiver.Receive(Advert(vrid: 52)));
        Assert.Equal(0, a.Router.Statistics.AdvertisementsReceived);
        Assert.Equal(1, b.Router.Statistics.AdvertisementsReceived);
        Assert.Same(b.Router, receiver.Find(52));
    }

    [Fact]
    public void Unknown_vrid_is_counted_and_dropped()
    {
        var a = new RouterHarness();
        var receiver = new VrrpReceiver();
        receiver.Add(a.Router);

        Assert.Equal(VrrpDropReason.UnknownVirtualRouterId, receiver.Receive(Advert(vrid: 7)));
        Assert.Equal(1, receiver.Dropped(VrrpDropReason.UnknownVirtualRouterId));
        Assert.Equal(0, a.Router.Statistics.AdvertisementsReceived);
    }

    [Fact]
    public void Ip_level_drops_are_counted_by_the_receiver_and_router_level_drops_by_the_router_whose_rules_they_break()
    {
        var a = new RouterHarness();
        var receiver = new VrrpReceiver();
        receiver.Add(a.Router);

        byte[] ttl64 = Advert(vrid: 51);
        ttl64[8] = 64;
        Assert.Equal(VrrpDropReason.TtlNot255, receiver.Receive(ttl64));
        Assert.Equal(VrrpDropReason.MalformedIpHeader, receiver.Receive(new byte[3]));
        Assert.Equal(VrrpDropReason.AuthenticationFailure, receiver.Receive(Advert(vrid: 51, password: "wrong")));

        Assert.Equal(3, receiver.Received);
        // TTL 255 is the rule of a multicast router (a unicast one accepts any): the router counts it.
        Assert.Equal(0, receiver.Dropped(VrrpDropReason.TtlNot255));
        Assert.Equal(1, a.Router.Statistics.Dropped(VrrpDropReason.TtlNot255));
        Assert.Equal(1, receiver.Dropped(VrrpDropReason.MalformedIpHeader));
        Assert.Equal(0, receiver.Dropped(VrrpDropReason.AuthenticationFailure));
        Assert.Equal(1, a.Router.Statistics.Dropped(VrrpDropReason.AuthenticationFailure));
    }

    [Fact]
    public void A_router_that_has_not_started_ignores_adverts()
    {
        var a = new RouterHarness();
        var receiver = new VrrpReceiver();
        receiver.Add(a.Router);

        Assert.Equal(VrrpDropReason.None, receiver.Receive(Advert(vrid: 51)));
        Assert.Equal(VrrpState.Initialize, a.Router.State);
        Assert.Equal(0, a.Router.Statistics.AdvertisementsReceived);
        Assert.Equal(VrrpRouter.Never, a.Router.NextDeadline);
    }

    [Fact]
    public void Two_instances_with_one_vrid_on_one_interface_are_refused()
    {
        var receiver = new VrrpReceiver();
        receiver.Add(new RouterHarness().Router);
        var e = Assert.Throws<InvalidOperationException>(() => receiver.Add(new RouterHarness().Router));
        Assert.Contains("virtual_router_id 51", e.Message);
    }

    [Fact]
    public void Receiving_does_not_allocate()
    {
        var a = new RouterHarness();
        var receiver = new VrrpReceiver();
        receiver.Add(a.Router);
        a.Router.Start();
        byte[] good = Advert(vrid: 51);
        byte[] bad = Advert(vrid: 51);
        bad[^1] ^= 0xFF;
        receiver.Receive(good);
        receiver.Receive(bad);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            receiver.Receive(good);
            receiver.Receive(bad);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(10_001, a.Router.Statistics.AdvertisementsReceived);
    }

    private static byte[] Advert(byte vrid, string password = RouterHarness.Password) => new RouterHarness.Advert
    {
        Version = 2,
        VirtualRouterId = vrid,
        Priority = 200,
        Source = RouterHarness.Higher,
        AuthenticationType = VrrpAuthenticationType.SimpleTextPassword,
        Password = password,
        IntervalCentiseconds = 100,
        Addresses = [RouterHarness.Vip1, RouterHarness.Vip2],
    }.Encode();

    private static VrrpRouterSettings Reconfigure(VrrpRouterSettings s, byte vrid) => new()
    {
        Name = s.Name,
        VirtualRouterId = vrid,
        Priority = s.Priority,
        Version = s.Version,
        PrimaryAddress = s.PrimaryAddress,
        VirtualAddresses = s.VirtualAddresses,
        AuthenticationType = s.AuthenticationType,
        AuthenticationData = s.AuthenticationData,
    };
}
