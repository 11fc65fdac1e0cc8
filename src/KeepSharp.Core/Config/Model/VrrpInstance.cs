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

    public IReadOnlyList<IPAddress> UnicastPeers { get; set; } = [];

    public bool DontTrackPrimary { get; set; }

    public bool SkipCheckAdvAddr { get; set; }

    public bool UseVmac { get; set; }

    public string? VmacName { get; set; }

    public bool Accept { get; set; }

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
