using System.Text;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Daemon.Runtime.Dumps;

/// <summary>
/// keepalived.stats (SIGUSR2): first keepalived 2.2.7's layout exactly (vrrp_print.c vrrp_print_stats: same headings,
/// labels, indentation and order, so scripts that parse keepalived's file keep working), then, after a blank line and a
/// "KeepSharp details:" heading, what KeepSharp adds: the process's allocations and collections, each receive socket's
/// drops by reason, and each instance's drops by reason.
/// </summary>
internal static class StatsFormat
{
    public const string DetailsHeading = "KeepSharp details:";

    public static string Format(DumpSnapshot snapshot)
    {
        var text = new StringBuilder();
        foreach (InstanceSnapshot instance in snapshot.Instances)
            AppendKeepalived(text, instance.Name, instance.Statistics);
        text.Append('\n').Append(DetailsHeading).Append('\n');
        ProcessSnapshot p = snapshot.Process;
        text.Append("Process:\n");
        text.Append("  Allocated bytes: ").Append(p.AllocatedBytes).Append('\n');
        text.Append("  GC collections: ").Append(p.Gen0Collections).Append(' ').Append(p.Gen1Collections).Append(' ').Append(p.Gen2Collections).Append('\n');
        foreach (InterfaceSnapshot endpoint in snapshot.Interfaces)
        {
            text.Append("Interface: ").Append(endpoint.Name).Append('\n');
            text.Append("  Received: ").Append(endpoint.Received).Append('\n');
            AppendDrops(text, endpoint.Drops);
        }
        foreach (InstanceSnapshot instance in snapshot.Instances)
        {
            StatisticsSnapshot s = instance.Statistics;
            text.Append("Instance: ").Append(instance.Name).Append('\n');
            text.Append("  State: ").Append(DataFormat.StateName(instance.State)).Append('\n');
            text.Append("  Interval mismatches accepted: ").Append(s.IntervalMismatchesAccepted).Append('\n');
            text.Append("  Lower priority adverts as master: ").Append(s.LowerPriorityReceived).Append('\n');
            text.Append("  Address owner conflicts: ").Append(s.OwnerConflicts).Append('\n');
            text.Append("  Preempt delays started: ").Append(s.PreemptDelaysStarted).Append('\n');
            AppendDrops(text, s.Drops);
        }
        return text.ToString();
    }

    /// <summary>One instance in keepalived's layout (built with _WITH_VRRP_AUTH_, as Debian's keepalived is).</summary>
    public static void AppendKeepalived(StringBuilder text, string name, StatisticsSnapshot s)
    {
        text.Append("VRRP Instance: ").Append(name).Append('\n');
        text.Append("  Advertisements:\n");
        text.Append("    Received: ").Append(s.AdvertisementsReceived).Append('\n');
        text.Append("    Sent: ").Append(s.AdvertisementsSent).Append('\n');
        text.Append("  Became master: ").Append(s.BecameMaster).Append('\n');
        text.Append("  Released master: ").Append(s.ReleasedMaster).Append('\n');
        text.Append("  Packet Errors:\n");
        text.Append("    Length: ").Append(s.PacketLengthErrors).Append('\n');
        text.Append("    TTL: ").Append(s.TtlErrors).Append('\n');
        text.Append("    Invalid Type: ").Append(s.InvalidType).Append('\n');
        text.Append("    Advertisement Interval: ").Append(s.AdvertisementIntervalErrors).Append('\n');
        text.Append("    Address List: ").Append(s.AddressListErrors).Append('\n');
        text.Append("  Authentication Errors:\n");
        text.Append("    Invalid Type: ").Append(s.InvalidAuthenticationType).Append('\n');
        text.Append("    Type Mismatch: ").Append(s.AuthenticationTypeMismatch).Append('\n');
        text.Append("    Failure: ").Append(s.AuthenticationFailure).Append('\n');
        text.Append("  Priority Zero:\n");
        text.Append("    Received: ").Append(s.PriorityZeroReceived).Append('\n');
        text.Append("    Sent: ").Append(s.PriorityZeroSent).Append('\n');
    }

    private static void AppendDrops(StringBuilder text, IReadOnlyList<long> drops)
    {
        text.Append("  Dropped:\n");
        foreach (VrrpDropReason reason in Enum.GetValues<VrrpDropReason>())
        {
            if (reason != VrrpDropReason.None)
                text.Append("    ").Append(reason).Append(": ").Append(drops[(int)reason]).Append('\n');
        }
    }
}
