using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using KeepSharp.Linux.Netlink;

namespace KeepSharp.Linux;

// Routes, policy rules and links (keepalived's vrrp_iproute.c, vrrp_iprule.c and vrrp_vmac.c requests).
public sealed partial class RtNetlink
{
    /// <summary>
    /// RTM_NEWROUTE with NLM_F_CREATE|NLM_F_EXCL. Returns 0 or -errno: -EEXIST when the same route exists,
    /// -ENETUNREACH when the gateway is not reachable (use <see cref="RouteRequest.OnLink"/>), -ENODEV for a bad index.
    /// </summary>
    public int AddRoute(in RouteRequest route) => RouteCore(route, add: true);

    /// <summary>RTM_DELROUTE. Returns 0 or -errno (-ESRCH when no such route exists).</summary>
    public int DeleteRoute(in RouteRequest route) => RouteCore(route, add: false);

    /// <summary>RTM_NEWRULE with NLM_F_CREATE|NLM_F_EXCL (as keepalived). Returns 0 or -errno (-EEXIST when the rule exists).</summary>
    public int AddRule(in RuleRequest rule) => RuleCore(rule, add: true);

    /// <summary>RTM_DELRULE: deletes the first rule matching every given selector. Returns 0 or -errno (-ENOENT when none matches).</summary>
    public int DeleteRule(in RuleRequest rule) => RuleCore(rule, add: false);

    /// <summary>
    /// Creates a macvlan link (keepalived's VMAC interface; keepalived always uses <see cref="MacvlanMode.Private"/>):
    /// RTM_NEWLINK, NLM_F_CREATE|NLM_F_EXCL, IFLA_LINKINFO{IFLA_INFO_KIND "macvlan", IFLA_INFO_DATA{IFLA_MACVLAN_MODE}},
    /// IFLA_LINK, IFLA_IFNAME, IFLA_ADDRESS. The link is created down. Returns 0 or -errno
    /// (-EEXIST when the name is taken, -ENODEV for a bad parent, -EADDRINUSE... as the kernel reports).
    /// </summary>
    public int CreateMacvlan(string name, int parentIndex, ReadOnlySpan<byte> mac, MacvlanMode mode = MacvlanMode.Private)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (Encoding.UTF8.GetByteCount(name) >= Nl.IFNAMSIZ)
        {
            throw new ArgumentException("Interface names are limited to 15 bytes.", nameof(name));
        }

        if (mac.Length != 6)
        {
            throw new ArgumentException("A MAC address has 6 bytes.", nameof(mac));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parentIndex);
        var w = new NetlinkWriter(_request, Nl.RTM_NEWLINK, Nl.NLM_F_REQUEST | Nl.NLM_F_ACK | Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, ++_sequence);
        w.IfInfoMsg(Interop.Libc.AF_UNSPEC, 0);
        int linkInfo = w.BeginNested(Nl.IFLA_LINKINFO);
        w.AttributeNoNul(Nl.IFLA_INFO_KIND, "macvlan");
        int data = w.BeginNested(Nl.IFLA_INFO_DATA);
        w.Attribute(Nl.IFLA_MACVLAN_MODE, (uint)mode);
        w.EndNested(data);
        w.EndNested(linkInfo);
        w.Attribute(Nl.IFLA_LINK, (uint)parentIndex);
        w.Attribute(Nl.IFLA_IFNAME, name);
        w.Attribute(Nl.IFLA_ADDRESS, mac);
        return Transact(w.Finish(), collect: null, ifIndexFilter: 0);
    }

    /// <summary>RTM_NEWLINK setting IFF_UP (ifi_change IFF_UP). Returns 0 or -errno.</summary>
    public int SetLinkUp(int ifIndex) => SetLinkFlags(ifIndex, up: true);

    /// <summary>RTM_NEWLINK clearing IFF_UP. Returns 0 or -errno.</summary>
    public int SetLinkDown(int ifIndex) => SetLinkFlags(ifIndex, up: false);

    /// <summary>
    /// IFLA_AF_SPEC{AF_INET6{IFLA_INET6_ADDR_GEN_MODE = NONE}}: no EUI-64 link-local address is generated when the link comes
    /// up (RFC 5798 §7.4). keepalived sends it to a new VMAC interface before bringing it up. Returns 0 or -errno.
    /// </summary>
    public int SetIpv6AddressGenerationNone(int ifIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ifIndex);
        var w = new NetlinkWriter(_request, Nl.RTM_NEWLINK, Nl.NLM_F_REQUEST | Nl.NLM_F_ACK, ++_sequence);
        w.IfInfoMsg(Interop.Libc.AF_UNSPEC, ifIndex);
        int spec = w.BeginNested(Nl.IFLA_AF_SPEC);
        int inet6 = w.BeginNested(Interop.Libc.AF_INET6);
        w.Attribute(Nl.IFLA_INET6_ADDR_GEN_MODE, Nl.IN6_ADDR_GEN_MODE_NONE);
        w.EndNested(inet6);
        w.EndNested(spec);
        return Transact(w.Finish(), collect: null, ifIndexFilter: 0);
    }

    /// <summary>RTM_DELLINK. Returns 0 or -errno (-ENODEV when no such link exists).</summary>
    public int DeleteLink(int ifIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ifIndex);
        var w = new NetlinkWriter(_request, Nl.RTM_DELLINK, Nl.NLM_F_REQUEST | Nl.NLM_F_ACK, ++_sequence);
        w.IfInfoMsg(Interop.Libc.AF_UNSPEC, ifIndex);
        return Transact(w.Finish(), collect: null, ifIndexFilter: 0);
    }

    /// <summary>The VRRP virtual router MAC (RFC 9568 §7.3): 00-00-5E-00-01-VRID for IPv4, 00-00-5E-00-02-VRID for IPv6.</summary>
    public static byte[] VirtualRouterMac(byte vrid, bool ipv6) => [0x00, 0x00, 0x5E, 0x00, (byte)(ipv6 ? 0x02 : 0x01), vrid];

    private int SetLinkFlags(int ifIndex, bool up)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ifIndex);
        var w = new NetlinkWriter(_request, Nl.RTM_NEWLINK, Nl.NLM_F_REQUEST | Nl.NLM_F_ACK, ++_sequence);
        w.IfInfoMsg(Interop.Libc.AF_UNSPEC, ifIndex, up ? Nl.IFF_UP : 0, Nl.IFF_UP);
        return Transact(w.Finish(), collect: null, ifIndexFilter: 0);
    }

    private int RouteCore(in RouteRequest route, bool add)
    {
        byte family = FamilyOf(route.Family);
        int dstLength = CheckPrefix(route.Destination, route.DestinationPrefix, route.Family, nameof(RouteRequest.Destination));
        int srcLength = CheckPrefix(route.Source, route.SourcePrefix, route.Family, nameof(RouteRequest.Source));
        CheckFamily(route.PreferredSource, route.Family, nameof(RouteRequest.PreferredSource));

        ushort flags = add
            ? (ushort)(Nl.NLM_F_REQUEST | Nl.NLM_F_ACK | Nl.NLM_F_CREATE | Nl.NLM_F_EXCL)
            : (ushort)(Nl.NLM_F_REQUEST | Nl.NLM_F_ACK);
        var w = new NetlinkWriter(_request, add ? Nl.RTM_NEWROUTE : Nl.RTM_DELROUTE, flags, ++_sequence);
        byte scope = route.Scope is RouteScope s ? (byte)s : add ? Nl.RT_SCOPE_UNIVERSE : Nl.RT_SCOPE_NOWHERE;
        byte table = route.Table < 256 ? (byte)route.Table : Nl.RT_TABLE_UNSPEC;
        w.RtMsg(family, (byte)dstLength, (byte)srcLength, route.Tos, table, route.Protocol, scope, (byte)route.Type,
            route.OnLink ? Nl.RTNH_F_ONLINK : 0);
        if (route.Table >= 256)
        {
            w.Attribute(Nl.RTA_TABLE, route.Table);
        }

        if (route.Destination is not null)
        {
            w.Attribute(Nl.RTA_DST, route.Destination);
        }

        if (route.Source is not null)
        {
            w.Attribute(Nl.RTA_SRC, route.Source);
        }

        if (route.PreferredSource is not null)
        {
            w.Attribute(Nl.RTA_PREFSRC, route.PreferredSource);
        }

        if (route.Gateway is IPAddress gateway)
        {
            if (gateway.AddressFamily == route.Family)
            {
                w.Attribute(Nl.RTA_GATEWAY, gateway);
            }
            else
            {
                // struct rtvia { __kernel_sa_family_t rtvia_family; __u8 rtvia_addr[]; }
                Span<byte> via = stackalloc byte[18];
                BinaryPrimitives.WriteUInt16LittleEndian(via, FamilyOf(gateway.AddressFamily));
                gateway.TryWriteBytes(via[2..], out int written);
                w.Attribute(Nl.RTA_VIA, via[..(2 + written)]);
            }
        }

        if (route.OutputInterfaceIndex != 0)
        {
            w.Attribute(Nl.RTA_OIF, (uint)route.OutputInterfaceIndex);
        }

        if (route.Metric is uint metric)
        {
            w.Attribute(Nl.RTA_PRIORITY, metric);
        }

        return Transact(w.Finish(), collect: null, ifIndexFilter: 0);
    }

    private int RuleCore(in RuleRequest rule, bool add)
    {
        byte family = FamilyOf(rule.Family);
        int srcLength = CheckPrefix(rule.From, rule.FromPrefix, rule.Family, nameof(RuleRequest.From));
        int dstLength = CheckPrefix(rule.To, rule.ToPrefix, rule.Family, nameof(RuleRequest.To));
        CheckInterfaceName(rule.InputInterface, nameof(RuleRequest.InputInterface));
        CheckInterfaceName(rule.OutputInterface, nameof(RuleRequest.OutputInterface));
        if (rule.Action == RuleAction.Goto && rule.GotoTarget is null)
        {
            throw new ArgumentException("A goto rule needs a target priority.", nameof(rule));
        }

        ushort flags = add
            ? (ushort)(Nl.NLM_F_REQUEST | Nl.NLM_F_ACK | Nl.NLM_F_CREATE | Nl.NLM_F_EXCL)
            : (ushort)(Nl.NLM_F_REQUEST | Nl.NLM_F_ACK);
        var w = new NetlinkWriter(_request, add ? Nl.RTM_NEWRULE : Nl.RTM_DELRULE, flags, ++_sequence);
        byte table = Nl.RT_TABLE_UNSPEC;
        bool tableAttribute = false;
        if (rule.Action == RuleAction.ToTable)
        {
            if (rule.Table < 256)
            {
                table = rule.Table == 0 ? (byte)RouteTable.Main : (byte)rule.Table;
            }
            else
            {
                tableAttribute = true;
            }
        }

        w.FibRuleHdr(family, (byte)dstLength, (byte)srcLength, rule.Tos, table, (byte)rule.Action, rule.Invert ? Nl.FIB_RULE_INVERT : 0);
        if (tableAttribute)
        {
            w.Attribute(Nl.FRA_TABLE, rule.Table);
        }

        if (rule.From is not null)
        {
            w.Attribute(Nl.FRA_SRC, rule.From);
        }

        if (rule.To is not null)
        {
            w.Attribute(Nl.FRA_DST, rule.To);
        }

        if (rule.Priority is uint priority)
        {
            w.Attribute(Nl.FRA_PRIORITY, priority);
        }

        if (rule.FirewallMark is uint mark)
        {
            w.Attribute(Nl.FRA_FWMARK, mark);
        }

        if (rule.FirewallMask is uint mask)
        {
            w.Attribute(Nl.FRA_FWMASK, mask);
        }

        if (rule.InputInterface is not null)
        {
            w.Attribute(Nl.FRA_IIFNAME, rule.InputInterface);
        }

        if (rule.OutputInterface is not null)
        {
            w.Attribute(Nl.FRA_OIFNAME, rule.OutputInterface);
        }

        if (rule.Action == RuleAction.Goto)
        {
            w.Attribute(Nl.FRA_GOTO, rule.GotoTarget!.Value);
        }

        return Transact(w.Finish(), collect: null, ifIndexFilter: 0);
    }

    private static byte FamilyOf(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => Interop.Libc.AF_INET,
        AddressFamily.InterNetworkV6 => Interop.Libc.AF_INET6,
        _ => throw new ArgumentException("Only IPv4 and IPv6 are supported.", nameof(family)),
    };

    private static int CheckPrefix(IPAddress? address, int prefixLength, AddressFamily family, string what)
    {
        if (address is null)
        {
            if (prefixLength != 0)
            {
                throw new ArgumentException(what + " prefix given without an address.", what);
            }

            return 0;
        }

        CheckFamily(address, family, what);
        ValidatePrefix(address, prefixLength);
        return prefixLength;
    }

    private static void CheckFamily(IPAddress? address, AddressFamily family, string what)
    {
        if (address is not null && address.AddressFamily != family)
        {
            throw new ArgumentException(what + " is not of the request's address family.", what);
        }
    }

    private static void CheckInterfaceName(string? name, string what)
    {
        if (name is not null && (name.Length == 0 || Encoding.UTF8.GetByteCount(name) >= Nl.IFNAMSIZ))
        {
            throw new ArgumentException("Interface names are 1 to 15 bytes.", what);
        }
    }
}
