using System.Net;
using KeepSharp.Daemon.Logging;
using KeepSharp.Daemon.Runtime;
using KeepSharp.Daemon.Runtime.Announcements;

namespace KeepSharp.Tests.Daemon.Announcements;

/// <summary>Unpaced bursts: keepalived's order (every address, then again), runs per announcer, failures by address.</summary>
public class AnnouncementPacerTests
{
    /// <summary>Records what was sent and how; refuses the addresses in <see cref="Refused"/>.</summary>
    private sealed class FakeAnnouncer(string name) : AddressAnnouncer
    {
        public readonly List<string> Sent = [];
        public readonly List<int> Calls = [];
        public readonly HashSet<IPAddress> Refused = [];

        public override string Kind => name;

        public override bool Send(IPAddress address)
        {
            if (Refused.Contains(address))
                return false;
            Sent.Add(address.ToString());
            return true;
        }

        public override int SendMany(IReadOnlyList<VirtualAddressBinding> vips, int start, int end)
        {
            Calls.Add(end - start);
            return base.SendMany(vips, start, end);
        }
    }

    private static VirtualAddressBinding Vip(string address, AddressAnnouncer? announcer) =>
        new(IPAddress.Parse(address), 32, 2, "eth0", null, null, 0, announcer);

    [Fact]
    public void Announce_EveryAddressOnceBeforeAnyRepeat_RunsOfOneAnnouncerTogether()
    {
        var arp = new FakeAnnouncer("gratuitous ARP");
        var na = new FakeAnnouncer("unsolicited NA");
        VirtualAddressBinding[] vips =
        [
            Vip("10.0.0.1", arp), Vip("10.0.0.2", arp), Vip("2001:db8::1", na), Vip("10.0.0.3", arp), Vip("10.0.0.4", null),
        ];
        var pacer = new AnnouncementPacer("VI_1", TimeSpan.Zero, TimeSpan.Zero, new Log([], detail: false));

        pacer.Announce(vips, repeat: 2);

        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.1", "10.0.0.2", "10.0.0.3"], arp.Sent);
        Assert.Equal(["2001:db8::1", "2001:db8::1"], na.Sent);
        Assert.Equal([2, 1, 2, 1], arp.Calls); // the run 10.0.0.1-2, then 10.0.0.3 after the NA, each round
    }

    [Fact]
    public void Announce_AFailedAddress_IsLoggedByName_TheRestStillGo()
    {
        var arp = new FakeAnnouncer("gratuitous ARP");
        arp.Refused.Add(IPAddress.Parse("10.0.0.2"));
        var sink = new RecordingSink();
        var log = new Log([sink], detail: false);
        var pacer = new AnnouncementPacer("VI_1", TimeSpan.Zero, TimeSpan.Zero, log);

        pacer.Announce([Vip("10.0.0.1", arp), Vip("10.0.0.2", arp), Vip("10.0.0.3", arp)], repeat: 1);
        log.Dispose(); // the writer thread has written everything

        Assert.Equal(["10.0.0.1", "10.0.0.3"], arp.Sent);
        Assert.Equal([3, 1], arp.Calls); // the run, then what follows the failed address
        string warning = Assert.Single(sink.Lines, l => l.Contains("cannot send", StringComparison.Ordinal));
        Assert.Contains("(VI_1) cannot send gratuitous ARP on eth0 for 10.0.0.2", warning);
    }
}
