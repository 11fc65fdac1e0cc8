namespace KeepSharp.Linux;

/// <summary>
/// keepalived's VMAC life cycle (vrrp_vmac.c netlink_link_add_vmac / netlink_link_del_vmac) for a new interface, in its order:
/// <list type="number">
/// <item>RTM_NEWLINK macvlan, mode private, MAC 00:00:5e:00:01:VRID (IPv4) / 00:00:5e:00:02:VRID (IPv6) unless given;</item>
/// <item>IPv4 instance: <see cref="VmacSysctls.Apply"/> on the VMAC and its parent;</item>
/// <item><c>disable_ipv6</c> on the VMAC unless IPv6 is wanted (an IPv6 instance, or IPv4 with IPv6 eVIPs);</item>
/// <item>IFLA_INET6_ADDR_GEN_MODE none (no EUI-64 link-local, RFC 5798 §7.4), then the link is set up.</item>
/// </list>
/// An IPv6 instance then adds its link-local source address itself (<see cref="RtNetlink.AddAddress(int, System.Net.IPAddress, int, bool, string?, System.Net.IPAddress?, byte)"/>),
/// as keepalived's set_link_local_address does. Adopting or updating an existing VMAC of the same name is the caller's
/// decision (<see cref="RtNetlink.GetLink(string)"/> reports kind, parent, mode and MAC).
/// </summary>
public static class VirtualMacInterface
{
    /// <summary>
    /// Creates and brings up a VMAC. Returns 0 or the -errno of the step that failed; a failure after the link was created
    /// deletes it again (and releases the parent's sysctls). <paramref name="ifIndex"/> is the new link's index on success.
    /// </summary>
    /// <param name="parentName">The parent's name for its sysctls; null when it is not reachable (parent in another namespace).</param>
    /// <param name="mac">Null for the VRRP MAC of <paramref name="vrid"/> and the instance's family.</param>
    public static int Create(
        RtNetlink rt,
        VmacSysctls sysctls,
        string name,
        int parentIndex,
        string? parentName,
        byte vrid,
        bool ipv6Instance,
        bool ipv6Wanted,
        byte[]? mac,
        out int ifIndex)
    {
        ArgumentNullException.ThrowIfNull(rt);
        ArgumentNullException.ThrowIfNull(sysctls);
        ifIndex = 0;
        byte[] address = mac ?? RtNetlink.VirtualRouterMac(vrid, ipv6Instance);
        int rc = rt.CreateMacvlan(name, parentIndex, address);
        if (rc < 0)
        {
            return rc;
        }

        LinkInfo? link = rt.GetLink(name);
        if (link is null)
        {
            return -Errno.ENODEV;
        }

        bool appliedSysctls = false;
        if (!ipv6Instance)
        {
            rc = sysctls.Apply(name, parentName);
            appliedSysctls = parentName is not null;
        }

        if (rc >= 0)
        {
            rc = VmacSysctls.SetIpv6(name, ipv6Instance || ipv6Wanted);
            if (rc == -Errno.ENOENT && !ipv6Instance && !ipv6Wanted)
            {
                rc = 0; // IPv6 disabled in the kernel altogether: nothing to disable
            }
        }

        if (rc >= 0)
        {
            rc = rt.SetIpv6AddressGenerationNone(link.InterfaceIndex);
            if (rc == -Errno.EAFNOSUPPORT && !ipv6Instance && !ipv6Wanted)
            {
                rc = 0;
            }
        }

        if (rc >= 0)
        {
            rc = rt.SetLinkUp(link.InterfaceIndex);
        }

        if (rc < 0)
        {
            if (appliedSysctls)
            {
                sysctls.Release(parentName!);
            }

            rt.DeleteLink(link.InterfaceIndex);
            return rc;
        }

        ifIndex = link.InterfaceIndex;
        return 0;
    }

    /// <summary>
    /// keepalived's netlink_link_del_vmac: the parent's arp_ignore/arp_filter are given back (IPv4 instance, last VMAC on
    /// it), then the link is deleted. Returns 0 or -errno (-ENODEV when the link is already gone, after the release).
    /// </summary>
    public static int Delete(RtNetlink rt, VmacSysctls sysctls, int ifIndex, string? parentName, bool ipv6Instance)
    {
        ArgumentNullException.ThrowIfNull(rt);
        ArgumentNullException.ThrowIfNull(sysctls);
        int released = !ipv6Instance && parentName is not null ? sysctls.Release(parentName) : 0;
        int rc = rt.DeleteLink(ifIndex);
        return rc < 0 ? rc : released;
    }
}
