using System.Text;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// keepalived's SIGUSR2 statistics dump (<c>/tmp/keepalived.stats</c>, written by <c>VrrpDaemon.DumpStatistics</c>): per instance, adverts, transitions,
/// priority-0 counts and every drop by reason; per interface, what the receive path dropped before a
/// router saw it; for the process, the bytes it has allocated and its collections (the per-packet path allocates nothing).
/// </summary>
internal static class StatisticsDump
{
    public const string FileName = "keepalived.stats";

    /// <summary>rw-r--r--, as keepalived leaves it with the usual umask.</summary>
    public const UnixFileMode Permissions = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Where the file goes: keepalived's tmp_dir, <c>$TMPDIR</c> when it is an absolute path, else <c>/tmp</c>
    /// (keepalived lib/utils.c set_tmp_dir, make_tmp_filename).
    /// </summary>
    public static string PathFromEnvironment()
    {
        string? tmp = Environment.GetEnvironmentVariable("TMPDIR");
        return Path.Combine(tmp is ['/', ..] ? tmp : "/tmp", FileName);
    }

    public static string Format(IEnumerable<InterfaceEndpoint> endpoints)
    {
        // Read before building the text, so the figures do not include this dump's own allocations.
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var text = new StringBuilder();
        text.Append("Process:\n");
        text.Append("  Allocated bytes: ").Append(allocated).Append('\n');
        text.Append("  GC collections: ").Append(GC.CollectionCount(0)).Append(' ')
            .Append(GC.CollectionCount(1)).Append(' ').Append(GC.CollectionCount(2)).Append('\n');
        foreach (InterfaceEndpoint endpoint in endpoints)
        {
            text.Append("Interface: ").Append(endpoint.Name).Append('\n');
            text.Append("  Received: ").Append(endpoint.Receiver.Received).Append('\n');
            AppendDrops(text, endpoint.Receiver.Dropped);
            foreach (VrrpInstanceRuntime instance in endpoint.Instances)
            {
                VrrpRouterStatistics s = instance.Router.Statistics;
                text.Append("VRRP Instance: ").Append(instance.Name).Append('\n');
                text.Append("  State: ").Append(instance.Router.State).Append('\n');
                text.Append("  Advertisements:\n");
                text.Append("    Received: ").Append(s.AdvertisementsReceived).Append('\n');
                text.Append("    Sent: ").Append(s.AdvertisementsSent).Append('\n');
                text.Append("  Became master: ").Append(s.BecameMaster).Append('\n');
                text.Append("  Released master: ").Append(s.ReleasedMaster).Append('\n');
                text.Append("  Priority Zero:\n");
                text.Append("    Received: ").Append(s.PriorityZeroReceived).Append('\n');
                text.Append("    Sent: ").Append(s.PriorityZeroSent).Append('\n');
                AppendDrops(text, s.Dropped);
            }
        }
        return text.ToString();
    }

    private static void AppendDrops(StringBuilder text, Func<VrrpDropReason, long> dropped)
    {
        text.Append("  Dropped:\n");
        foreach (VrrpDropReason reason in Enum.GetValues<VrrpDropReason>())
        {
            if (reason != VrrpDropReason.None)
                text.Append("    ").Append(reason).Append(": ").Append(dropped(reason)).Append('\n');
        }
    }
}
