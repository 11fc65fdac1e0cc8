using KeepSharp.Tests.Vrrp;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Tests.Status;

/// <summary>The table of routers heard on the wire per VRID: capacity, replacement of the least recently heard, no allocation.</summary>
public class HeardRoutersTests
{
    private static readonly VrrpAddress Group4 = VrrpAddress.Parse("224.0.0.18");

    private static VrrpAddress Peer(int n) => VrrpAddress.Parse($"10.0.0.{n}");

    [Fact]
    public void A_source_heard_again_updates_its_entry_and_keeps_its_first_time()
    {
        var table = new HeardRouters(TimeProvider.System);
        table.Record(Peer(3), 2, 100, 100, 1, VrrpDropReason.None, 10);
        table.Record(Peer(3), 2, 90, 200, 1, VrrpDropReason.AuthenticationFailure, 20);
        Assert.Equal(1, table.Count);
        HeardRouter h = table[0];
        Assert.Equal((Peer(3), (byte)90, 200, 2L, VrrpDropReason.AuthenticationFailure, 10L, 20L),
            (h.Source, h.Priority, h.IntervalCentiseconds, h.Adverts, h.LastDrop, h.FirstHeard, h.LastHeard));
    }

    [Fact]
    public void A_full_table_replaces_the_source_heard_least_recently()
    {
        var table = new HeardRouters(TimeProvider.System, capacity: 3);
        table.Record(Peer(1), 2, 100, 100, 1, VrrpDropReason.None, 10);
        table.Record(Peer(2), 2, 100, 100, 1, VrrpDropReason.None, 5); // least recent
        table.Record(Peer(3), 2, 100, 100, 1, VrrpDropReason.None, 30);
        table.Record(Peer(4), 2, 50, 100, 1, VrrpDropReason.None, 40);
        Assert.Equal(3, table.Count);
        Assert.Equal(1, table.Replaced);
        VrrpAddress[] sources = [.. Enumerable.Range(0, table.Count).Select(i => table[i].Source)];
        Assert.DoesNotContain(Peer(2), sources);
        Assert.Contains(Peer(4), sources);
        Assert.Throws<ArgumentOutOfRangeException>(() => table[3]);
    }

    [Fact]
    public void Our_own_looped_back_adverts_are_not_recorded()
    {
        var table = new HeardRouters(TimeProvider.System);
        table.Record(Peer(2), 2, 100, 100, 1, VrrpDropReason.OwnPacket, 10);
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void The_receive_path_records_accepted_and_dropped_adverts_with_their_reason()
    {
        var time = new VirtualTimeProvider(RouterHarness.T0);
        VrrpRouterSettings self = Settings(RouterHarness.Self, 100, "1111");
        var router = new VrrpRouter(self, time, new RecordingActions(time));
        var receiver = new VrrpReceiver();
        receiver.Add(router, VrrpTransportSettings.Multicast(Group4));
        router.Start();

        Assert.Equal(VrrpDropReason.None, receiver.Receive(Datagram(Settings(Peer(3), 200, "1111"))));
        Assert.Equal(VrrpDropReason.AuthenticationFailure, receiver.Receive(Datagram(Settings(Peer(4), 150, "wrong"))));
        Assert.Equal(2, router.HeardRouters.Count);
        HeardRouter[] heard = [.. Enumerable.Range(0, 2).Select(i => router.HeardRouters[i]).OrderBy(h => h.Source)];
        Assert.Equal((Peer(3), (byte)200, 100, VrrpDropReason.None), (heard[0].Source, heard[0].Priority, heard[0].IntervalCentiseconds, heard[0].LastDrop));
        Assert.Equal((Peer(4), (byte)150, VrrpDropReason.AuthenticationFailure), (heard[1].Source, heard[1].Priority, heard[1].LastDrop));
        Assert.Equal(time.GetTimestamp(), heard[0].LastHeard);
    }

    [Fact]
    public void Recording_on_the_receive_path_allocates_nothing_even_when_sources_keep_replacing_each_other()
    {
        var time = new VirtualTimeProvider(RouterHarness.T0);
        var router = new VrrpRouter(Settings(RouterHarness.Self, 100, "1111"), time, new RecordingActions(time));
        var receiver = new VrrpReceiver();
        receiver.Add(router, VrrpTransportSettings.Multicast(Group4));
        router.Start();
        byte[][] datagrams = [.. Enumerable.Range(10, 2 * HeardRouters.Capacity).Select(n => Datagram(Settings(Peer(n), 50, n % 2 == 0 ? "1111" : "wrong")))];
        Round(2_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Round(10_000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(HeardRouters.Capacity, router.HeardRouters.Count);
        Assert.True(router.HeardRouters.Replaced > 10_000);

        void Round(int count)
        {
            for (int i = 0; i < count; i++)
            {
                time.AdvanceTo(time.Now + 1); // least recently heard = the one heard longest ago
                receiver.Receive(datagrams[i % datagrams.Length]);
            }
        }
    }

    private static VrrpRouterSettings Settings(VrrpAddress source, byte priority, string password) => new()
    {
        Name = "heard",
        VirtualRouterId = 51,
        Priority = priority,
        Version = 2,
        AdvertisementInterval = TimeSpan.FromSeconds(1),
        PrimaryAddress = source,
        VirtualAddresses = [RouterHarness.Vip1, RouterHarness.Vip2],
        AuthenticationType = VrrpAuthenticationType.SimpleTextPassword,
        AuthenticationData = VrrpGoldenBytesTests.PaddedPassword(password),
    };

    private static byte[] Datagram(VrrpRouterSettings sender)
    {
        var writer = new VrrpDatagramWriter(sender, VrrpTransportSettings.Multicast(Group4));
        writer.WriteMessage(sender.Priority);
        return writer.Datagram(0, 7).ToArray();
    }
}
