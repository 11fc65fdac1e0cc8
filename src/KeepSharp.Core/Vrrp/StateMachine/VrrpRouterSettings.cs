using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Vrrp.StateMachine;

/// <summary>
/// The configuration one virtual router runs with: what RFC 3768 §6.1 / RFC 9568 §6.1 call its parameters,
/// plus keepalived's additions. Defaults are keepalived's (without <c>vrrp_strict</c>). A record, so a
/// variant is <c>settings with { ... }</c>.
/// </summary>
public sealed record VrrpRouterSettings
{
    /// <summary>keepalived's <c>VRRP_DOWN_TIMER_ADVERTS</c>: the 3 of RFC 3768 §6.1 / RFC 9568 §6.1.</summary>
    public const int DefaultDownTimerAdverts = 3;

    /// <summary>The range keepalived accepts for <c>down_timer_adverts</c>.</summary>
    public const int MinDownTimerAdverts = 1, MaxDownTimerAdverts = 100;

    /// <summary>The instance name (keepalived's <c>vrrp_instance NAME</c>), used in logs.</summary>
    public required string Name { get; init; }

    public required byte VirtualRouterId { get; init; }

    /// <summary>Configured priority, 1..255 (255: the address owner).</summary>
    public required byte Priority { get; init; }

    /// <summary>2 (RFC 3768) or 3 (RFC 9568).</summary>
    public int Version { get; init; } = 2;

    public TimeSpan AdvertisementInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Preempt_Mode: a higher-priority backup takes over from a lower-priority master. keepalived's <c>nopreempt</c> clears it.</summary>
    public bool Preempt { get; init; } = true;

    /// <summary>
    /// keepalived's <c>preempt_delay</c> (default 0: none). A backup that hears a lower-priority master keeps
    /// treating it as its master (resetting Master_Down_Timer) until this long after the first such
    /// advertisement; only then does it ignore them and take over when Master_Down_Timer runs out
    /// (vrrp.c <c>vrrp_state_backup</c>, <c>preempt_time</c>). An advertisement of equal or higher priority
    /// cancels the running delay; entering BACKUP clears it. No effect without <see cref="Preempt"/>.
    /// </summary>
    public TimeSpan PreemptDelay { get; init; }

    /// <summary>The primary address of the interface: the source of advertisements, the tie-breaker.</summary>
    public VrrpAddress PrimaryAddress { get; init; }

    /// <summary>The virtual addresses, in configuration order (the order they are advertised in).</summary>
    public VrrpAddress[] VirtualAddresses { get; init; } = [];

    public VrrpAuthenticationType AuthenticationType { get; init; } = VrrpAuthenticationType.None;

    /// <summary>The VRRPv2 authentication data: the PASS password, zero-padded to 8 bytes.</summary>
    public byte[] AuthenticationData { get; init; } = new byte[VrrpWire.AuthenticationDataLength];

    /// <summary>Accept advertisements whose address list differs (keepalived's <c>vrrp_skip_check_adv_addr</c>).</summary>
    public bool SkipCheckAdvertisementAddresses { get; init; }

    /// <summary>Gratuitous announcements sent per address on becoming master (keepalived's <c>garp_master_repeat</c>).</summary>
    public int GarpMasterRepeat { get; init; } = 5;

    /// <summary>Delay of the second burst after becoming master (keepalived's <c>garp_master_delay</c>); zero disables it.</summary>
    public TimeSpan GarpMasterDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Period of repeated bursts while master (keepalived's <c>garp_master_refresh</c>); zero disables them.</summary>
    public TimeSpan GarpMasterRefresh { get; init; }

    /// <summary>Bursts per refresh (keepalived's <c>garp_master_refresh_repeat</c>).</summary>
    public int GarpMasterRefreshRepeat { get; init; } = 1;

    /// <summary>
    /// keepalived's <c>garp_lower_prio_delay</c>: after a master hears a lower-priority advertisement it sends
    /// a burst of <see cref="GarpLowerPriorityRepeat"/> at once and another this long after; zero: no second
    /// burst. keepalived's default is <c>vrrp_garp_lower_prio_delay</c>, itself defaulting to
    /// <c>vrrp_garp_master_delay</c> (5 s).
    /// </summary>
    public TimeSpan GarpLowerPriorityDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// keepalived's <c>garp_lower_prio_repeat</c>: announcements per address in each lower-priority burst; zero
    /// disables both bursts. Default <c>vrrp_garp_lower_prio_repeat</c>, itself defaulting to
    /// <c>vrrp_garp_master_repeat</c> (5).
    /// </summary>
    public int GarpLowerPriorityRepeat { get; init; } = 5;

    /// <summary>
    /// keepalived's <c>lower_prio_no_advert</c> (default false; true under <c>vrrp_strict</c>, as the RFCs
    /// have it): a master that hears a lower priority does not answer with an advertisement of its own.
    /// </summary>
    public bool LowerPriorityNoAdvert { get; init; }

    /// <summary>
    /// keepalived's <c>higher_prio_send_advert</c> (default false): a master that hears a higher priority sends
    /// one advertisement of its own before it becomes backup, so the other master (seeing a lower priority)
    /// re-announces its addresses with <see cref="GarpLowerPriorityRepeat"/>.
    /// </summary>
    public bool HigherPrioritySendAdvert { get; init; }

    /// <summary>
    /// keepalived's <c>down_timer_adverts</c> (1..100, default 3): Master_Down_Interval is this many
    /// Master_Adver_Intervals plus Skew_Time (vrrp.h <c>VRRP_MS_DOWN_TIMER</c>).
    /// </summary>
    public int DownTimerAdverts { get; init; } = DefaultDownTimerAdverts;

    /// <summary>
    /// Accept_Mode (RFC 9568 §6.1; keepalived's <c>accept</c>/<c>no_accept</c>, accept unless <c>vrrp_strict</c>).
    /// Informational for the runtime (whether a master answers packets to the virtual addresses); the state
    /// machine does not read it.
    /// </summary>
    public bool AcceptMode { get; init; } = true;
}
