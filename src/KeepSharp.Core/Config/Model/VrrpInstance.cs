using System.Net;

namespace KeepSharp.Config;

/// <summary>Configured initial state of a VRRP instance (<c>state MASTER|BACKUP</c>).</summary>
public enum VrrpConfiguredState
{
    Backup,
    Master,
}

/// <summary>One <c>vrrp_instance NAME { ... }</c> block.</summary>
public sealed class VrrpInstance
{
    public VrrpInstance(string name, ConfigLocation location)
    {
        Name = name;
        Location = location;
    }

    public string Name { get; set; }

    public ConfigLocation Location { get; set; }

    /// <summary>Where each keyword of the block was written (the last occurrence wins, as its value does).</summary>
    public IReadOnlyDictionary<string, ConfigLocation> KeywordLocations { get; set; } = new Dictionary<string, ConfigLocation>();

    /// <summary>Where <paramref name="keyword"/> was written, else the <c>vrrp_instance</c> line (the default applies).</summary>
    public ConfigLocation LocationOf(string keyword) => KeywordLocations.GetValueOrDefault(keyword) ?? Location;

    public VrrpConfiguredState State { get; set; } = VrrpConfiguredState.Backup;

    public string Interface { get; set; } = "";

    public byte VirtualRouterId { get; set; }

    public byte Priority { get; set; } = 100;

    public TimeSpan AdvertInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>VRRP version: the instance's <c>version</c>, else global <c>vrrp_version</c>.</summary>
    public int Version { get; set; } = 2;

    public VrrpAuthentication? Authentication { get; set; }

    public bool NoPreempt { get; set; }

    public TimeSpan PreemptDelay { get; set; }

    public IReadOnlyList<VirtualIpAddress> VirtualIpAddresses { get; set; } = [];

    public IReadOnlyList<VirtualIpAddress> VirtualIpAddressesExcluded { get; set; } = [];

    public IReadOnlyList<TrackScriptReference> TrackScripts { get; set; } = [];

    public IReadOnlyList<string> TrackInterfaces { get; set; } = [];

    /// <summary>Track interfaces with their optional weights (same order as <see cref="TrackInterfaces"/>).</summary>
    public IReadOnlyList<TrackInterfaceReference> TrackInterfaceReferences { get; set; } = [];

    /// <summary>The <c>track_file</c> entries, resolved against the trackers declared before the instance.</summary>
    public IReadOnlyList<TrackFileReference> TrackFiles { get; set; } = [];

    /// <summary>The <c>track_process</c> entries, resolved against the trackers declared before the instance.</summary>
    public IReadOnlyList<TrackProcessReference> TrackProcesses { get; set; } = [];

    public TimeSpan GarpMasterDelay { get; set; } = TimeSpan.FromSeconds(5);

    public int GarpMasterRepeat { get; set; } = 5;

    public TimeSpan GarpMasterRefresh { get; set; }

    public int GarpMasterRefreshRepeat { get; set; } = 1;

    public IPAddress? McastSourceAddress { get; set; }

    public IPAddress? UnicastSourceAddress { get; set; }

    /// <summary><c>unicast_peer</c>: when non-empty the instance advertises by unicast to these peers.</summary>
    public IReadOnlyList<UnicastPeer> UnicastPeers { get; set; } = [];

    /// <summary><c>unicast_ttl</c> (0..255): the TTL/hop limit of unicast adverts; keepalived's default is 255 (VRRP_IP_TTL).</summary>
    public int UnicastTtl { get; set; } = 255;

    /// <summary>
    /// Effective source check of unicast adverts (<c>check_unicast_src</c>, else global <c>vrrp_check_unicast_src</c>,
    /// also turned on by a peer's <c>min_ttl</c>/<c>max_ttl</c>): adverts from addresses that are not peers are dropped.
    /// </summary>
    public bool CheckUnicastSource { get; set; }

    /// <summary><c>unicast_fault_no_peer</c>: with no unicast peers the instance stays in FAULT instead of using multicast.</summary>
    public bool UnicastFaultNoPeer { get; set; }

    /// <summary><c>old_unicast_checksum</c> (keepalived 2.2.7, _WITH_UNICAST_CHKSUM_COMPAT_): true for the bare keyword
    /// (send and accept the pre-2.0 unicast checksum); <c>old_unicast_checksum never</c> leaves it false.</summary>
    public bool OldUnicastChecksum { get; set; }

    /// <summary><c>v3_checksum_as_v2</c> (instance, else global; keepalived after 2.2.7): a VRRPv3 IPv4 checksum
    /// computed without the pseudo-header, as VRRPv2 does (interoperation with such peers).</summary>
    public bool V3ChecksumAsV2 { get; set; }

    /// <summary>Effective <c>garp_lower_prio_delay</c> (else global <c>vrrp_garp_lower_prio_delay</c>; 0 in strict mode).</summary>
    public TimeSpan GarpLowerPrioDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Effective <c>garp_lower_prio_repeat</c> (else global <c>vrrp_garp_lower_prio_repeat</c>; 0 in strict mode).</summary>
    public int GarpLowerPrioRepeat { get; set; } = 5;

    /// <summary>Effective <c>lower_prio_no_advert</c> (else global <c>vrrp_lower_prio_no_advert</c>; true in strict mode).</summary>
    public bool LowerPrioNoAdvert { get; set; }

    /// <summary>Effective <c>higher_prio_send_advert</c> (else global <c>vrrp_higher_prio_send_advert</c>; false in strict mode).</summary>
    public bool HigherPrioSendAdvert { get; set; }

    /// <summary>Effective <c>down_timer_adverts</c> (1..100, else global <c>vrrp_down_timer_adverts</c>, default 3 as RFC 5798 6.1;
    /// 3 in strict mode): adverts missed before the master is down.</summary>
    public int DownTimerAdverts { get; set; } = GlobalDefs.DefaultDownTimerAdverts;

    /// <summary>Interval between gratuitous ARPs (global <c>vrrp_garp_interval</c>; keepalived has no per-instance form).</summary>
    public TimeSpan GarpInterval { get; set; }

    /// <summary>Interval between unsolicited neighbour advertisements (global <c>vrrp_gna_interval</c>).</summary>
    public TimeSpan GnaInterval { get; set; }

    /// <summary><c>virtual_routes</c>: routes installed while MASTER.</summary>
    public IReadOnlyList<VirtualRoute> VirtualRoutes { get; set; } = [];

    /// <summary><c>virtual_rules</c>: policy routing rules installed while MASTER.</summary>
    public IReadOnlyList<VirtualRule> VirtualRules { get; set; } = [];

    /// <summary><c>vmac_xmit_base</c>: with <see cref="UseVmac"/>, adverts are sent from the base interface.</summary>
    public bool VmacXmitBase { get; set; }

    /// <summary><c>use_vmac_addr</c>: the VMAC's MAC is also used on the base interface (keepalived VRRP_VMAC_ADDR_BIT).</summary>
    public bool UseVmacAddress { get; set; }

    public bool DontTrackPrimary { get; set; }

    public bool SkipCheckAdvAddr { get; set; }

    public bool UseVmac { get; set; }

    /// <summary>The VMAC interface name when <see cref="UseVmac"/>: as configured, else keepalived's default <c>vrrp.VRID</c>.</summary>
    public string? VmacName { get; set; }

    /// <summary>
    /// Effective accept mode: <c>accept</c>/<c>no_accept</c>; unset, keepalived enables it except in strict mode
    /// (where only the address owner accepts), and strict mode clears it for a VRRPv2 non-owner.
    /// </summary>
    public bool Accept { get; set; } = true;

    /// <summary>Effective strict mode: <c>strict_mode</c>, else global <c>vrrp_strict</c>.</summary>
    public bool StrictMode { get; set; }

    public string? Notify { get; set; }

    public string? NotifyMaster { get; set; }

    public string? NotifyBackup { get; set; }

    public string? NotifyFault { get; set; }

    public string? NotifyStop { get; set; }

    /// <summary>The notify lines as keepalived reads them (command, user, group); the strings above are the lines as written.</summary>
    public NotifyScripts NotifyScripts { get; } = new();

    /// <summary><c>notify_priority_changes</c>; null inherits the sync group's, then <c>vrrp_notify_priority_changes</c>.</summary>
    public bool? NotifyPriorityChanges { get; set; }

    /// <summary>Name of the <c>vrrp_sync_group</c> this instance belongs to, if any.</summary>
    public string? SyncGroup { get; set; }

    /// <summary>Address family of the instance, from its first virtual address (IPv4 when none).</summary>
    public System.Net.Sockets.AddressFamily AddressFamily { get; set; } = System.Net.Sockets.AddressFamily.InterNetwork;
}

/// <summary>VRRP authentication type (<c>auth_type PASS|AH</c>).</summary>
public enum VrrpAuthType
{
    Pass,
    Ah,
}

/// <summary>VRRPv2 authentication; <paramref name="Password"/> is kept as keepalived keeps it (at most 8 bytes).</summary>
public sealed record VrrpAuthentication(VrrpAuthType Type, string Password);

/// <summary>
/// One line of <c>virtual_ipaddress</c>: <c>ADDR[/PREFIX] [brd ADDR] [dev IF] [scope SCOPE] [label LABEL] ...</c>.
/// </summary>
public sealed record VirtualIpAddress(
    IPAddress Address,
    int PrefixLength,
    string? Device,
    string? Label,
    IPAddress? Broadcast,
    string? Scope,
    ConfigLocation Location)
{
    public IPAddress? Peer { get; init; }

    public bool NoDad { get; init; }

    public bool NoTrack { get; init; }

    public override string ToString() =>
        $"{Address}/{PrefixLength}" + (Device is null ? "" : $" dev {Device}") + (Label is null ? "" : $" label {Label}");
}

/// <summary>A <c>track_script</c> entry: <c>NAME [weight N [reverse]]</c>.</summary>
public sealed record TrackScriptReference(string Name, int? Weight, ConfigLocation Location)
{
    public bool WeightReverse { get; init; }
}

/// <summary>A <c>track_interface</c> entry: <c>IFNAME [weight N [reverse]]</c>.</summary>
public sealed record TrackInterfaceReference(string Name, int? Weight, ConfigLocation Location)
{
    public bool WeightReverse { get; init; }
}
