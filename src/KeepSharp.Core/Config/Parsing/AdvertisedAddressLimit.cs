using System.Net.Sockets;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Config.Parsing;

/// <summary>
/// How many of an instance's <c>virtual_ipaddress</c> entries one advertisement carries, and what happens to
/// the rest: as keepalived 2.2.7 (vrrp.c, vrrp_complete_instance) does, the first ones that fit stay
/// advertised and the excess is appended to <c>virtual_ipaddress_excluded</c> (installed and removed with
/// the VIPs, never advertised). Both the 8-bit count field (RFC 3768 §5.3.5: at most 255) and the space in
/// one packet at the interface's MTU bound the number. keepalived counts an Ethernet header against the MTU
/// too; the same arithmetic here keeps both daemons advertising the same list, so the receivers' address
/// check passes in a mixed pair.
/// </summary>
internal static class AdvertisedAddressLimit
{
    /// <summary>keepalived's DEFAULT_MTU (vrrp_if.h), used when the interface's MTU is not known.</summary>
    public const int DefaultMtu = 1500;

    private const int EthernetHeaderLength = 14;
    private const int IPv4HeaderLength = 20;
    private const int IPv6HeaderLength = 40;

    /// <summary>The largest number of addresses an advert of this kind carries on an interface with <paramref name="mtu"/>.</summary>
    public static int MaxAddresses(int version, AddressFamily family, int mtu)
    {
        int header = family == AddressFamily.InterNetworkV6
            ? EthernetHeaderLength + IPv6HeaderLength + VrrpWire.HeaderLength
            : EthernetHeaderLength + IPv4HeaderLength + VrrpWire.HeaderLength
                + (version == 2 ? VrrpWire.AuthenticationDataLength : 0);
        int size = family == AddressFamily.InterNetworkV6 ? 16 : 4;
        return Math.Clamp((mtu - header) / size, 0, VrrpWire.MaxAddresses);
    }

    /// <summary>Moves the addresses that do not fit into the excluded list; warns once, at the first one moved.</summary>
    public static void Apply(ParseContext context, VrrpInstance instance)
    {
        int mtu = context.Options.InterfaceMtu?.Invoke(instance.Interface) ?? DefaultMtu;
        int max = MaxAddresses(instance.Version, instance.AddressFamily, mtu);
        IReadOnlyList<VirtualIpAddress> vips = instance.VirtualIpAddresses;
        if (vips.Count <= max)
            return;

        // keepalived's words, so logs read the same; it also fails keepalived -t (exit 5).
        context.Warning(vips[max].Location,
            $"({instance.Name}) Number of VIPs ({vips.Count}) exceeds maximum/space available in packet (max {max} addresses) - excess moved to eVIPs");
        instance.VirtualIpAddresses = [.. vips.Take(max)];
        instance.VirtualIpAddressesExcluded = [.. instance.VirtualIpAddressesExcluded, .. vips.Skip(max)];
    }
}
