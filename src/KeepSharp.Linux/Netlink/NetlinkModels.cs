using System.Net;

namespace KeepSharp.Linux;

/// <summary>One address configured on an interface (RTM_NEWADDR).</summary>
/// <param name="Flags">IFA_F_* flags (IFA_FLAGS attribute when present, otherwise ifa_flags).</param>
/// <param name="Scope">RT_SCOPE_* value (0 universe/global, 253 link, 254 host).</param>
public readonly record struct InterfaceAddress(int InterfaceIndex, IPAddress Address, int PrefixLength, string? Label, uint Flags = 0, byte Scope = 0)
{
    /// <summary>IFA_F_SECONDARY.</summary>
    public bool IsSecondary => (Flags & 0x01) != 0;
}

/// <summary>Link state from RTM_GETLINK / RTM_NEWLINK.</summary>
/// <param name="IsUp">IFF_UP: administratively up.</param>
/// <param name="IsRunning">IFF_RUNNING: operationally up (carrier present, not dormant).</param>
/// <param name="HasCarrier">IFF_LOWER_UP: the driver reports carrier.</param>
public sealed record LinkInfo(int InterfaceIndex, string Name, byte[] MacAddress, bool IsUp, bool IsRunning, int Mtu, uint Flags = 0, bool HasCarrier = false)
{
    /// <summary>IFLA_INFO_KIND ("veth", "macvlan", "bridge", ...); null for links without one (physical NICs, loopback).</summary>
    public string? Kind { get; init; }

    /// <summary>IFLA_LINK: the parent's index (macvlan, veth peer); 0 when none is reported.</summary>
    public int ParentIndex { get; init; }

    /// <summary>IFLA_MACVLAN_MODE, for macvlan links.</summary>
    public MacvlanMode? MacvlanMode { get; init; }
}

public enum LinkEventKind
{
    /// <summary>RTM_NEWLINK: link created or its state changed.</summary>
    LinkChanged,
    /// <summary>RTM_DELLINK: link removed.</summary>
    LinkRemoved,
    /// <summary>RTM_NEWADDR.</summary>
    AddressAdded,
    /// <summary>RTM_DELADDR.</summary>
    AddressRemoved,
    /// <summary>The kernel dropped notifications (ENOBUFS): the consumer must re-read link and address state.</summary>
    Overrun,
}

/// <summary>A decoded rtnetlink notification.</summary>
/// <param name="IsRunning">IFF_RUNNING (operational state incl. carrier); for address events the value is false.</param>
/// <param name="Address">Only for address events.</param>
/// <param name="Name">Only for link events: the interface name (IFLA_IFNAME), which outlives its index when a link is deleted and created again.</param>
public readonly record struct LinkEvent(LinkEventKind Kind, int InterfaceIndex, bool IsUp, bool IsRunning, IPAddress? Address = null, int PrefixLength = 0, uint Flags = 0, string? Name = null);
