using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Vrrp.StateMachine;

/// <summary>Counters of one virtual router, in the spirit of the VRRP MIB (RFC 6527).</summary>
public sealed class VrrpRouterStatistics
{
    private readonly long[] _drops = new long[Enum.GetValues<VrrpDropReason>().Length];

    public long AdvertisementsReceived { get; internal set; }
    public long AdvertisementsSent { get; internal set; }
    public long PriorityZeroReceived { get; internal set; }
    public long PriorityZeroSent { get; internal set; }
    public long BecameMaster { get; internal set; }
    public long ReleasedMaster { get; internal set; }

    /// <summary>
    /// VRRPv3 advertisements accepted although their Max Adver Int differs from ours (keepalived's
    /// <c>vrrp_check_packet</c>: "advertisement interval mismatch", logged, not a drop; a v3 backup adopts the
    /// master's interval). VRRPv2 mismatches are drops: <see cref="VrrpDropReason.AdvertisementIntervalMismatch"/>.
    /// </summary>
    public long AdvertisementIntervalMismatches { get; internal set; }

    /// <summary>As master, advertisements of a lower priority (or equal priority from a lower address) heard.</summary>
    public long LowerPriorityReceived { get; internal set; }

    /// <summary>Gratuitous bursts sent because of <see cref="LowerPriorityReceived"/> (the immediate and the delayed ones).</summary>
    public long LowerPriorityGratuitousBursts { get; internal set; }

    /// <summary>
    /// As the address owner, another owner's (priority 255) advertisement heard: keepalived's
    /// "CONFIGURATION ERROR: local instance and a remote instance are both configured as address owner";
    /// the priority drops to 254.
    /// </summary>
    public long OwnerConflicts { get; internal set; }

    /// <summary>Times a backup started <see cref="VrrpRouterSettings.PreemptDelay"/> on a lower-priority master.</summary>
    public long PreemptDelaysStarted { get; internal set; }

    public long Dropped(VrrpDropReason reason) => _drops[(int)reason];

    public long TotalDropped
    {
        get
        {
            long total = 0;
            foreach (long n in _drops)
                total += n;
            return total;
        }
    }

    internal void CountDrop(VrrpDropReason reason) => _drops[(int)reason]++;

    /// <summary>Sets every counter back to zero (keepalived's SIGRTMAX-1, <c>vrrp_print_stats(true)</c>). On the router's thread.</summary>
    public void Clear()
    {
        Array.Clear(_drops);
        AdvertisementsReceived = AdvertisementsSent = PriorityZeroReceived = PriorityZeroSent = 0;
        BecameMaster = ReleasedMaster = AdvertisementIntervalMismatches = LowerPriorityReceived = 0;
        LowerPriorityGratuitousBursts = OwnerConflicts = PreemptDelaysStarted = 0;
    }
}
