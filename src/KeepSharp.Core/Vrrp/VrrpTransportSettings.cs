using System.Collections.Immutable;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Vrrp;

/// <summary>
/// A <c>unicast_peer</c>: where adverts go instead of the multicast group, and, with <c>check_unicast_src</c>, the only
/// sources adverts are accepted from, within the TTL / hop limit range keepalived's <c>min_ttl</c>/<c>max_ttl</c> give.
/// </summary>
public readonly record struct VrrpUnicastPeer(VrrpAddress Address, byte MinTtl = 0, byte MaxTtl = 255);

/// <summary>
/// How one virtual router's adverts travel: to a multicast group (RFC 3768 §5.1.1.2, RFC 9568 §5.1.1.2 and §5.1.2.2)
/// or to unicast peers (keepalived's extension), with what TTL and what checksum. The send path
/// (<see cref="VrrpDatagramWriter"/>) and the receive path (<see cref="VrrpReceiver"/>) read the same settings.
/// </summary>
public sealed record VrrpTransportSettings
{
    /// <summary>The group adverts go to when there are no unicast peers: 224.0.0.18 / ff02::12 unless configured.</summary>
    public VrrpAddress MulticastGroup { get; init; } = VrrpAddress.FromIPAddress(VrrpWire.MulticastGroupIPv4);

    /// <summary>Unicast peers, in configuration order; empty for multicast.</summary>
    public ImmutableArray<VrrpUnicastPeer> UnicastPeers { get; init; } = [];

    public bool IsUnicast => !UnicastPeers.IsDefaultOrEmpty;

    /// <summary>The TTL / hop limit adverts are sent with: 255 for multicast (required), <c>unicast_ttl</c> for unicast.</summary>
    public byte Ttl { get; init; } = VrrpWire.RequiredTtl;

    /// <summary>keepalived's <c>check_unicast_src</c>: drop unicast adverts from addresses that are not peers, or outside the peer's TTL range.</summary>
    public bool CheckUnicastSource { get; init; }

    /// <summary>What the VRRPv3-over-IPv4 checksum covers (sent and expected).</summary>
    public VrrpChecksumMode ChecksumMode { get; init; }

    /// <summary>
    /// Drop IPv6 adverts whose first address is not link-local (RFC 9568 §5.2.9). keepalived requires that of its own
    /// configuration only in strict mode, so only strict mode requires it of peers.
    /// </summary>
    public bool RequireLinkLocalFirstAddress { get; init; }

    /// <summary>The multicast settings for a group (the default group of its family when none is given).</summary>
    public static VrrpTransportSettings Multicast(VrrpAddress group) => new() { MulticastGroup = group };

    /// <summary>The peer with <paramref name="address"/>, if there is one.</summary>
    public bool TryFindPeer(VrrpAddress address, out VrrpUnicastPeer peer)
    {
        foreach (VrrpUnicastPeer p in UnicastPeers)
        {
            if (p.Address == address)
            {
                peer = p;
                return true;
            }
        }
        peer = default;
        return false;
    }
}
