using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Failover;

/// <summary>The harness itself, without any VRRP daemon: topology, nginx, client probe, VIP watcher, cleanup.</summary>
public sealed class LabHarnessTests(ITestOutputHelper output)
{
    private static bool NetnsExists(string name) => File.Exists($"/var/run/netns/{name}");

    [Fact]
    public void Client_follows_the_vip_and_everything_is_removed_on_dispose()
    {
        Assert.True(Environment.IsPrivilegedProcess, "the netns tests need root (network namespaces)");
        var timeline = new Timeline(output.WriteLine);
        string[] namespaces;
        int[] inits;
        using (var lab = LabTopology.Create(timeline))
        {
            namespaces = [lab.LanNs, lab.ClientNs, lab.H171.Netns, lab.H172.Netns];
            inits = [lab.H171.InitPid, lab.H172.InitPid];
            Assert.All(namespaces, ns => Assert.True(NetnsExists(ns), $"namespace {ns} should exist"));
            Assert.All(namespaces, ns => Assert.StartsWith($"{LabTopology.Prefix}-{lab.RunId}-", ns));

            Nginx.Start(lab.H171);
            Nginx.Start(lab.H172);
            using var vip = new VipWatcher(lab, timeline);
            vip.Start();
            using var probe = new ClientProbe(lab.ClientNs, lab.Vip, timeline);
            probe.Start();

            double t0 = timeline.NowMs;
            lab.H171.Exec("ip", "addr", "add", $"{lab.Vip}/32", "dev", LabTopology.Interface);
            Assert.True(SpinWait.SpinUntil(() => probe.LastAnswersFrom("keep_171", 5), 3000), "client should get answers from keep_171");
            Assert.Equal(["keep_171"], vip.Current());

            // Move the VIP by hand; no gratuitous ARP here, so flush the client's neighbour entry instead.
            double t1 = timeline.NowMs;
            lab.H171.Exec("ip", "addr", "del", $"{lab.Vip}/32", "dev", LabTopology.Interface);
            lab.H172.Exec("ip", "addr", "add", $"{lab.Vip}/32", "dev", LabTopology.Interface);
            Sh.Run("ip", "-n", lab.ClientNs, "neigh", "flush", "to", lab.Vip);
            Assert.True(SpinWait.SpinUntil(() => probe.FirstAnswerFrom("keep_172", t1) is not null, 3000),
                "client should get answers from keep_172 after the VIP moved");
            Assert.Equal(["keep_172"], vip.Current());
            Assert.True(probe.FirstAnswerFrom("keep_171", t0) is not null);

            // The host's init reaps orphans: a zombie would still show in ps.
            lab.H171.Exec("sh", "-c", "sleep 0.2 >/dev/null 2>&1 & exit 0");
            Thread.Sleep(600);
            string ps = lab.H171.Exec("ps", "-eo", "pid=,stat=,comm=").StdOut;
            output.WriteLine(ps);
            Assert.DoesNotContain(ps.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1].StartsWith('Z'));
            Assert.Contains(ps.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Trim().StartsWith("1 ") && l.EndsWith("bash"));

            lab.CutLink(lab.H172);
            double t2 = timeline.NowMs;
            Thread.Sleep(300);
            Assert.Null(probe.FirstAnswerFrom("keep_172", t2 + 100));
            Assert.True(probe.LongestGap(t2, timeline.NowMs) >= 250, "no answers while the link is cut");
        }
        Assert.All(namespaces, ns => Assert.False(NetnsExists(ns), $"namespace {ns} should be removed"));
        Assert.All(inits, pid => Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z "),
            $"host init {pid} (and with it nginx) should be gone"));
    }
}
