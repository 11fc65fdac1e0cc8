using System.Text;
using KeepSharp.Tests.Simulation;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Tests.Vrrp;

/// <summary>A router configured like the captured keepalived instance accepts keepalived's real adverts.</summary>
public class KeepalivedInteropTests
{
    // From VrrpGoldenBytesTests: keepalived 2.2.7, vrid 51, priority 100, PASS 1111, VIP 10.99.0.100.
    private const string Advert = "45c0002800010000ff70d02e0a630001e0000012213364010101" + "0ca10a6300643131313100000000";
    private const string Resign = "45c0002800050000ff70d02a0a630001e0000012213300010101" + "70a10a6300643131313100000000";

    private static (VrrpRouter Router, VirtualTimeProvider Time) Peer(byte[] password, byte priority = 50)
    {
        var time = new VirtualTimeProvider(TimeSpan.FromSeconds(100).Ticks);
        var router = new VrrpRouter(new VrrpRouterSettings
        {
            Name = "peer",
            VirtualRouterId = 51,
            Priority = priority,
            PrimaryAddress = VrrpAddress.Parse("10.99.0.2"),
            VirtualAddresses = [VrrpAddress.Parse("10.99.0.100")],
            AuthenticationType = VrrpAuthenticationType.SimpleTextPassword,
            AuthenticationData = password,
        }, time, new RecordingActions(time));
        router.Start();
        return (router, time);
    }

    private static VrrpDropReason Feed(VrrpRouter router, string hex)
    {
        byte[] datagram = Convert.FromHexString(hex);
        Assert.Equal(VrrpDropReason.None, VrrpReceiver.Read(datagram, out VrrpAdvertisement advert));
        return router.ReceiveAdvertisement(advert);
    }

    [Fact]
    public void Backup_follows_keepalived_and_takes_over_when_it_resigns()
    {
        (VrrpRouter router, VirtualTimeProvider time) = Peer(VrrpGoldenBytesTests.PaddedPassword("1111"));
        long t = time.Now;
        Assert.Equal(VrrpDropReason.None, Feed(router, Advert));
        Assert.Equal(VrrpAddress.Parse("10.99.0.1"), router.MasterAddress);
        // Master_Down_Interval for priority 50: 3 + 206/256 s.
        Assert.Equal(t + TimeSpan.FromSeconds(3 + 206 / 256.0).Ticks, router.NextDeadline);
        Assert.Equal(VrrpDropReason.None, Feed(router, Resign));
        Assert.Equal(t + TimeSpan.FromSeconds(206 / 256.0).Ticks, router.NextDeadline);
    }

    [Theory]
    [InlineData("1111")]      // keepalived's auth_pass as written in keepalived.conf: 4 bytes, not padded
    [InlineData("1111\0\0\0\0")]
    public void Password_is_compared_as_the_zero_padded_8_bytes_the_writer_sends(string password)
    {
        // The writer pads (and cuts) the password to 8 bytes; the check must compare the same 8 bytes,
        // or a router rejects exactly the adverts it sends itself.
        (VrrpRouter router, _) = Peer(Encoding.ASCII.GetBytes(password));
        Assert.Equal(VrrpDropReason.None, Feed(router, Advert));
    }

    [Fact]
    public void Password_longer_than_8_bytes_is_cut_like_the_writer_does()
    {
        // keepalived truncates auth_pass to 8 characters; so does VrrpAdvertisementWriter.
        byte[] password = "1111\0\0\0\0tail"u8.ToArray();
        (VrrpRouter router, _) = Peer(password);
        Assert.Equal(VrrpDropReason.None, Feed(router, Advert));
    }
}
