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
}
