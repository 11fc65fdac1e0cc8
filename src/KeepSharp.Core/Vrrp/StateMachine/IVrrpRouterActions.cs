namespace KeepSharp.Vrrp.StateMachine;

/// <summary>
/// What a <see cref="VrrpRouter"/> asks the outside world to do. The router passes itself so one
/// implementation can serve every instance without per-call allocation. Implementations must not call
/// back into the router.
/// </summary>
public interface IVrrpRouterActions
{
    /// <summary>Send one advertisement with <paramref name="priority"/> (0 when resigning).</summary>
    void SendAdvertisement(VrrpRouter router, byte priority);

    /// <summary>Install the virtual addresses (becoming master).</summary>
    void AddVirtualAddresses(VrrpRouter router);

    /// <summary>Remove the virtual addresses (leaving master).</summary>
    void RemoveVirtualAddresses(VrrpRouter router);

    /// <summary>Announce every virtual address <paramref name="repeat"/> times (gratuitous ARP / unsolicited NA).</summary>
    void SendGratuitousAnnouncements(VrrpRouter router, int repeat);

    /// <summary>The router moved from <paramref name="from"/> to <paramref name="to"/>.</summary>
    void StateChanged(VrrpRouter router, VrrpState from, VrrpState to, VrrpTransitionReason reason);
}
