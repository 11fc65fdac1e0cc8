using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Vrrp.StateMachine;

/// <summary>The configuration one virtual router runs with: what RFC 3768 §6.1 calls its parameters.</summary>
public sealed class VrrpRouterSettings
{
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
}
