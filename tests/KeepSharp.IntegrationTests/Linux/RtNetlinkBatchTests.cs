using System.Net;
using KeepSharp.Linux;

namespace KeepSharp.IntegrationTests.Linux;

/// <summary>Batched RTM_NEWADDR / RTM_DELADDR: several datagrams of requests, each failure reported for its own address.</summary>
public sealed class RtNetlinkBatchTests
{
    private static IPAddress V4(int i) => new([10, 78, (byte)(i / 250), (byte)(1 + i % 250)]);

    [Fact]
    public void AddAddresses_MoreThanOneChunk_EachFailureOnItsAddress_OthersInstalled()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out _);
        int ifIndex = NetnsFixture.IfIndex(a, "va");
        Shell.Ip(a, "addr", "add", V4(300).ToString() + "/32", "dev", "va"); // already there: -EEXIST
        using RtNetlink rt = NetworkNamespace.Run(a, RtNetlink.Open);

        int count = RtNetlink.BatchRequests * 2 + 17;
        var changes = new AddressChange[count];
        for (int i = 0; i < count; i++)
        {
            changes[i] = new AddressChange(ifIndex, V4(i), 32);
        }

        changes[5] = changes[5] with { InterfaceIndex = 4242 };                       // no such link
        changes[count - 1] = changes[count - 1] with { InterfaceIndex = 4242 };       // the last of the last chunk fails too
        changes[RtNetlink.BatchRequests - 1] = changes[RtNetlink.BatchRequests - 1] with { InterfaceIndex = 4242 }; // last of a chunk
        changes[400] = new AddressChange(ifIndex, IPAddress.Parse("2001:db8:78::1"), 64, NoDad: true);
        var results = new int[count];

        rt.AddAddresses(changes, results);

        string shown = Shell.Ip(a, "-o", "addr", "show", "dev", "va");
        for (int i = 0; i < count; i++)
        {
            if (changes[i].InterfaceIndex == 4242)
            {
                Assert.Equal(-Errno.ENODEV, results[i]);
            }
            else if (changes[i].Address.Equals(V4(300)))
            {
                Assert.Equal(-Errno.EEXIST, results[i]);
            }
            else
            {
                Assert.True(results[i] == 0, $"{changes[i].Address}: {results[i]}");
                Assert.Contains($" {changes[i].Address}/{changes[i].PrefixLength} ", shown);
            }
        }

        Assert.DoesNotContain($" {V4(5)}/", shown);
        Assert.DoesNotContain("tentative", shown.Split('\n').Single(l => l.Contains("2001:db8:78::1", StringComparison.Ordinal)));

        // Deleting: the ones never installed answer -EADDRNOTAVAIL (or -ENODEV for the missing link), the rest 0.
        rt.DeleteAddresses(changes, results);
        for (int i = 0; i < count; i++)
        {
            int expected = changes[i].InterfaceIndex == 4242 ? -Errno.ENODEV : 0;
            Assert.True(results[i] == expected || (expected == -Errno.ENODEV && results[i] == -Errno.EADDRNOTAVAIL), $"{changes[i].Address}: {results[i]}");
        }

        Assert.DoesNotContain("10.78.", Shell.Ip(a, "-o", "addr", "show", "dev", "va"));
        Assert.DoesNotContain("2001:db8:78::1", Shell.Ip(a, "-o", "addr", "show", "dev", "va"));
    }

    [Fact]
    public void AddAddresses_EveryRequestFails_EveryResultIsTheError_ThenASingleRequestStillWorks()
    {
        using NetnsFixture net = NetnsFixture.TwoHosts(out string a, out _);
        int ifIndex = NetnsFixture.IfIndex(a, "va");
        using RtNetlink rt = NetworkNamespace.Run(a, RtNetlink.Open);

        int count = RtNetlink.BatchRequests * 3;
        var changes = Enumerable.Range(0, count).Select(i => new AddressChange(4242, V4(i), 32, Label: "va:vip")).ToArray();
        var results = new int[count];
        rt.AddAddresses(changes, results);
        Assert.All(results, r => Assert.Equal(-Errno.ENODEV, r));

        // Nothing of the batch is left to confuse the next request/ACK exchange.
        Assert.Equal(0, rt.AddAddress(ifIndex, V4(1), 32));
        Assert.Equal(-Errno.EEXIST, rt.AddAddress(ifIndex, V4(1), 32));
        Assert.Contains(rt.GetAddresses(ifIndex), x => x.Address.Equals(V4(1)));
    }
}
