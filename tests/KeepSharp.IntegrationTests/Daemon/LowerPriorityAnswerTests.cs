using System.Diagnostics;
using System.Text;
using KeepSharp.Lab;
using KeepSharp.Linux;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.Wire;
using Xunit.Abstractions;
using static KeepSharp.IntegrationTests.Daemon.Injector;

namespace KeepSharp.IntegrationTests.Daemon;

/// <summary>
/// A master hearing a lower priority, on the wire: an advert at once and a gratuitous ARP burst
/// (garp_lower_prio_repeat, default 5); under a flood of lower-priority adverts the bursts stay bounded.
/// </summary>
public sealed class LowerPriorityAnswerTests(ITestOutputHelper output)
{
    private static int GarpsForVip(string capture) =>
        capture.Split('\n').Count(l => l.Contains("ARP", StringComparison.Ordinal) && l.Contains("10.51.0.161", StringComparison.Ordinal));

    /// <summary>Waits for one of the master's own adverts; returns false on timeout.</summary>
    private static bool NextMasterAdvert(VrrpSocket socket, byte[] buffer, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            int n;
            while ((n = socket.Receive(buffer)) > 0)
            {
                if (VrrpReceiver.Read(buffer.AsSpan(0, n), out VrrpAdvertisement advert) == VrrpDropReason.None
                    && advert.Source == H171 && advert.Priority == 100)
                    return true;
            }
            Thread.SpinWait(200);
        }
        return false;
    }

    [Fact]
    public void One_lower_priority_advert_gets_an_advert_at_once_and_one_burst_and_a_flood_gets_few()
    {
        using var lab = new DaemonLab(output);
        LabHost host = lab.Topology.H171;
        LabDaemon daemon = lab.StartKeepSharp(host, DaemonLab.Config("keep_171", "MASTER", 100));
        Assert.True(DaemonLab.WaitFor(() => lab.Topology.HoldsVip(host), TimeSpan.FromSeconds(6)), $"no master:\n{lab.Log(daemon)}");
        // The bursts of becoming master: at once and garp_master_delay (5 s) later; wait them out.
        Thread.Sleep(5600);
        using VrrpSocket socket = OpenMulticast4(lab);
        byte[] buffer = new byte[2048];
        byte[] lower = V2(Client, Group4, 50);

        var capture = new StringBuilder();
        using (Process tcpdump = StartCapture(lab, 2.5, "arp", capture))
        {
            // Right after a regular advert, so the next regular one is a second away.
            Assert.True(NextMasterAdvert(socket, buffer, TimeSpan.FromSeconds(2)), "no advert from the master");
            var clock = Stopwatch.StartNew();
            Assert.True(socket.Send(lower));
            Assert.True(NextMasterAdvert(socket, buffer, TimeSpan.FromMilliseconds(500)), "no advert from the master after the lower priority");
            double answer = clock.Elapsed.TotalMilliseconds;
            output.WriteLine($"advert {answer:0.0} ms after one lower-priority advert");
            Assert.True(answer < 50, $"the master answered a lower priority after {answer:0.0} ms, not at once");
            tcpdump.WaitForExit(5000);
        }
        int single = GarpsForVip(capture.ToString());
        output.WriteLine($"one lower-priority advert: {single} gratuitous ARPs for the VIP in 2.5 s\n{capture}");
        Assert.True(single == 5, $"{single} gratuitous ARPs for the VIP after one lower-priority advert, expected 5 (garp_lower_prio_repeat)");

        // A flood: 1,000 lower-priority adverts in one second. The delayed burst of the single advert above
        // (garp_lower_prio_delay, 5 s) may fall in this window too.
        capture.Clear();
        int adverts = 0;
        using (Process tcpdump = StartCapture(lab, 3, "arp", capture))
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < 1000; i++)
            {
                Assert.True(socket.Send(lower));
                if (i % 10 == 9)
                {
                    while (clock.Elapsed.TotalMilliseconds < i + 1)
                        Thread.Sleep(1);
                    int n;
                    while ((n = socket.Receive(buffer)) > 0)
                    {
                        if (VrrpReceiver.Read(buffer.AsSpan(0, n), out VrrpAdvertisement a) == VrrpDropReason.None && a.Source == H171)
                            adverts++;
                    }
                }
            }
            tcpdump.WaitForExit(6000);
        }
        int flood = GarpsForVip(capture.ToString());
        output.WriteLine($"1,000 lower-priority adverts in 1 s: {flood} gratuitous ARPs for the VIP in 3 s, {adverts} adverts from the master during the flood");
        Assert.True(daemon.Running, $"keepsharp died:\n{lab.Log(daemon)}");
        Assert.True(flood >= 5, $"no burst at all under the flood ({flood} ARPs)");
        Assert.True(flood <= 20, $"{flood} gratuitous ARPs under a flood of 1,000 lower-priority adverts: the bursts are not bounded");
        // keepalived's vrrp_state_master_rx sends an advert for every lower-priority advert ("forcing new election"),
        // unthrottled: the adverts may match the flood one for one, never exceed it.
        Assert.True(adverts <= 1000 + 5, $"{adverts} adverts from the master during 1 s of 1,000 lower priorities: more than one per advert heard");
        Assert.True(lab.Topology.HoldsVip(host));
    }
}
