namespace KeepSharp.Linux.Netlink;

internal static class Nl
{
    internal const int HeaderLength = 16;          // struct nlmsghdr
    internal const int IfAddrMsgLength = 8;        // struct ifaddrmsg
    internal const int IfInfoMsgLength = 16;       // struct ifinfomsg
    internal const int AttrHeaderLength = 4;       // struct rtattr / nlattr
    internal const int RtMsgLength = 12;           // struct rtmsg
    internal const int FibRuleHdrLength = 12;      // struct fib_rule_hdr

    // nlmsg_type
    internal const ushort NLMSG_NOOP = 1;
    internal const ushort NLMSG_ERROR = 2;
    internal const ushort NLMSG_DONE = 3;
    internal const ushort NLMSG_OVERRUN = 4;
    internal const ushort RTM_NEWLINK = 16;
    internal const ushort RTM_DELLINK = 17;
    internal const ushort RTM_GETLINK = 18;
    internal const ushort RTM_NEWADDR = 20;
    internal const ushort RTM_DELADDR = 21;
    internal const ushort RTM_GETADDR = 22;
    internal const ushort RTM_NEWROUTE = 24;
    internal const ushort RTM_DELROUTE = 25;
    internal const ushort RTM_GETROUTE = 26;
    internal const ushort RTM_NEWRULE = 32;
    internal const ushort RTM_DELRULE = 33;

    // nlmsg_flags
    internal const ushort NLM_F_REQUEST = 0x1;
    internal const ushort NLM_F_MULTI = 0x2;
    internal const ushort NLM_F_ACK = 0x4;
    internal const ushort NLM_F_DUMP = 0x300;
    internal const ushort NLM_F_EXCL = 0x200;
    internal const ushort NLM_F_CREATE = 0x400;
    internal const ushort NLM_F_CAPPED = 0x100;     // NLMSG_ERROR: only the request's header is echoed
    internal const ushort NLM_F_ACK_TLVS = 0x200;   // NLMSG_ERROR: extended-ack TLVs follow
    internal const ushort NLMSGERR_ATTR_MSG = 1;

    // multicast groups (legacy bitmask for sockaddr_nl.nl_groups)
    internal const uint RTMGRP_LINK = 0x1;
    internal const uint RTMGRP_IPV4_IFADDR = 0x10;
    internal const uint RTMGRP_IPV6_IFADDR = 0x100;

    // IFA_* attributes
    internal const ushort IFA_ADDRESS = 1;
    internal const ushort IFA_LOCAL = 2;
    internal const ushort IFA_LABEL = 3;
    internal const ushort IFA_BROADCAST = 4;
    internal const ushort IFA_FLAGS = 8;
    internal const uint IFA_F_NODAD = 0x02;

    // RTA_* attributes (struct rtmsg)
    internal const ushort RTA_DST = 1;
    internal const ushort RTA_SRC = 2;
    internal const ushort RTA_OIF = 4;
    internal const ushort RTA_GATEWAY = 5;
    internal const ushort RTA_PRIORITY = 6;
    internal const ushort RTA_PREFSRC = 7;
    internal const ushort RTA_TABLE = 15;
    internal const ushort RTA_VIA = 18;
    internal const uint RTNH_F_ONLINK = 4;
    internal const byte RT_TABLE_UNSPEC = 0;
    internal const byte RT_SCOPE_UNIVERSE = 0;
    internal const byte RT_SCOPE_NOWHERE = 255;

    // FRA_* attributes (struct fib_rule_hdr)
    internal const ushort FRA_DST = 1;
    internal const ushort FRA_SRC = 2;
    internal const ushort FRA_IIFNAME = 3;
    internal const ushort FRA_GOTO = 4;
    internal const ushort FRA_PRIORITY = 6;
    internal const ushort FRA_FWMARK = 10;
    internal const ushort FRA_TABLE = 15;
    internal const ushort FRA_FWMASK = 16;
    internal const ushort FRA_OIFNAME = 17;
    internal const uint FIB_RULE_INVERT = 0x2;

    // IFLA_* attributes
    internal const ushort IFLA_ADDRESS = 1;
    internal const ushort IFLA_IFNAME = 3;
    internal const ushort IFLA_MTU = 4;
    internal const ushort IFLA_LINK = 5;
    internal const ushort IFLA_LINKINFO = 18;
    internal const ushort IFLA_AF_SPEC = 26;
    internal const ushort IFLA_INFO_KIND = 1;
    internal const ushort IFLA_INFO_DATA = 2;
    internal const ushort IFLA_MACVLAN_MODE = 1;
    internal const ushort IFLA_INET6_ADDR_GEN_MODE = 8;
    internal const byte IN6_ADDR_GEN_MODE_NONE = 1;
    internal const ushort IFLA_OPERSTATE = 16;
    internal const ushort IFLA_EXT_MASK = 29;
    internal const ushort IFLA_CARRIER = 33;
    internal const uint RTEXT_FILTER_SKIP_STATS = 1 << 3;

    // net_device_flags
    internal const uint IFF_UP = 0x1;
    internal const uint IFF_RUNNING = 0x40;
    internal const uint IFF_LOWER_UP = 0x10000;

    internal const int IFNAMSIZ = 16;

    internal static int Align(int length) => (length + 3) & ~3;
}
