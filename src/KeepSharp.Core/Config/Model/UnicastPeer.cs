using System.Net;

namespace KeepSharp.Config;

/// <summary>
/// One <c>unicast_peer</c> entry: <c>ADDR [min_ttl N] [max_ttl N]</c> (keepalived vrrp_data.c alloc_vrrp_unicast_peer).
/// Adverts from the peer are accepted only when their TTL (IPv4) or hop limit (IPv6) lies in
/// [<see cref="MinTtl"/>, <see cref="MaxTtl"/>]; null means keepalived's default (0 and 255: any).
/// Giving either bound turns on the instance's source check (<see cref="VrrpInstance.CheckUnicastSource"/>).
/// </summary>
public sealed record UnicastPeer(IPAddress Address, ConfigLocation Location)
{
    /// <summary>keepalived's bounds of <c>min_ttl</c> and <c>max_ttl</c>.</summary>
    public const int MinTtlValue = 0;

    public const int MaxTtlValue = 255;

    public int? MinTtl { get; init; }

    public int? MaxTtl { get; init; }

    public override string ToString() => Address.ToString();
}
