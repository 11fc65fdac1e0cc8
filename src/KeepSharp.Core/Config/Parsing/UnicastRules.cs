using System.Net;
using System.Net.Sockets;

namespace KeepSharp.Config.Parsing;

/// <summary>
/// Checks of an instance's unicast settings after parsing (keepalived vrrp_parser.c vrrp_end_handler and vrrp.c
/// vrrp_complete_instance), plus the host checks keepalived only meets at startup: with
/// <see cref="ConfigLoadOptions.InterfaceAddresses"/>, a peer that is one of the interface's own addresses, and an
/// interface without an address of the instance's family (when no source address is configured), are errors at load.
/// </summary>
internal static class UnicastRules
{
    public static void Apply(ParseContext context, VrrpInstanceBuilder b, GlobalDefs global, string tag)
    {
        var instance = b.Instance;
        instance.UnicastPeers = b.UnicastPeers.ToList();
        instance.CheckUnicastSource = b.CheckUnicastSource || b.PeerTtlGiven || global.VrrpCheckUnicastSrc;

        if (b.UnicastTtl is { } ttl)
        {
            if (instance.UnicastPeers.Count == 0)
            {
                // keepalived: "(VI): Cannot use unicast_ttl without unicast peers - resetting".
                context.Warning(b.UnicastTtlLocation ?? instance.Location, $"{tag} unicast_ttl cannot be used without unicast peers - ignored");
            }
            else
            {
                instance.UnicastTtl = ttl;
            }
        }

        if (b.UnicastConfigured && instance.UnicastPeers.Count == 0 && !instance.UnicastFaultNoPeer)
        {
            // keepalived: "A unicast keyword has been specified without any unicast peers. Defaulting to multicast.
            // This usage is deprecated" (fails -t). With unicast_fault_no_peer keepalived only logs and holds the instance in FAULT.
            context.Warning(instance.Location, $"{tag} a unicast keyword is set without any unicast_peer - advertising by multicast (deprecated)");
        }

        if (instance.VmacXmitBase && !instance.UseVmac)
        {
            // keepalived: "(VI) vmac_xmit_base is only valid with a vmac".
            context.Warning(instance.Location, $"{tag} vmac_xmit_base is only valid with use_vmac - ignored");
            instance.VmacXmitBase = false;
        }

        if (instance.UseVmac && instance.UnicastPeers.Count > 0 && !instance.VmacXmitBase)
        {
            // keepalived: "(VI) unicast with use_vmac requires vmac_xmit_base - setting".
            context.Warning(instance.Location, $"{tag} unicast with use_vmac requires vmac_xmit_base - set");
            instance.VmacXmitBase = true;
        }

        if (instance.UnicastSourceAddress is { } source)
        {
            foreach (var peer in instance.UnicastPeers.Where(p => p.Address.Equals(source)))
            {
                context.Error(peer.Location, $"{tag} unicast_peer {peer.Address} is the instance's own unicast_src_ip");
            }
        }

        HostChecks(context, instance, tag);
    }

    private static void HostChecks(ParseContext context, VrrpInstance instance, string tag)
    {
        if (context.Options.InterfaceAddresses is not { } query || instance.Interface.Length == 0
            || query(instance.Interface) is not { } own)
        {
            return;
        }

        foreach (var peer in instance.UnicastPeers.Where(p => own.ContainsAddress(p.Address)))
        {
            context.Error(peer.Location, $"{tag} unicast_peer {peer.Address} is an address of this host's interface {instance.Interface}");
        }

        var family = instance.AddressFamily;
        if (instance.UnicastSourceAddress is null && instance.McastSourceAddress is null
            && !own.Any(a => a.AddressFamily == family && (family == AddressFamily.InterNetwork || a.IsIPv6LinkLocal || instance.UnicastPeers.Count > 0)))
        {
            string what = family == AddressFamily.InterNetwork ? "IPv4" : instance.UnicastPeers.Count > 0 ? "IPv6" : "IPv6 link-local";
            context.Error(instance.Location,
                $"{tag} interface {instance.Interface} has no {what} address to send adverts from; set unicast_src_ip or mcast_src_ip");
        }
    }

    /// <summary>True when <paramref name="address"/> is in <paramref name="addresses"/> (IPAddress equality, scope ignored).</summary>
    private static bool ContainsAddress(this IReadOnlyList<IPAddress> addresses, IPAddress address) =>
        addresses.Any(a => a.AddressFamily == address.AddressFamily && a.GetAddressBytes().AsSpan().SequenceEqual(address.GetAddressBytes()));
}
