using System.Globalization;
using System.Text;

namespace KeepSharp.Lab;

public enum IpFamily { IPv4, IPv6 }

/// <summary>
/// One cell of the VRRP interop matrix: protocol version, address family, transport, which daemon is the master
/// (keep_171, priority 150, state MASTER) and which the backup (keep_172, priority 100, state BACKUP), the
/// advertisement interval, and the options under test (use_vmac, v3_checksum_as_v2).
/// </summary>
public sealed record ProtocolCell(int Version, IpFamily Family, bool Unicast, DaemonKind Master, DaemonKind Backup,
    double AdvertInt, bool UseVmac = false, bool ChecksumAsV2 = false)
{
    public const int Vrid = 51;
    public const int MasterPriority = 150;
    public const int BackupPriority = 100;
    public const string Vip4 = "10.51.0.161";
    /// <summary>IPv6 VIPs: the link-local first (RFC 9568 §5.2.9), then the ULA the client probes.</summary>
    public const string VipLinkLocal6 = "fe80::51:1";
    public const string Vip6 = "fd00:51::161";

    /// <summary>The VMAC of VRID 51 (RFC 5798 §7.3: 00-00-5E-00-01-{VRID}; IPv6 uses 00-00-5E-00-02-{VRID}).</summary>
    public string VirtualMac => Family == IpFamily.IPv4 ? $"00:00:5e:00:01:{Vrid:x2}" : $"00:00:5e:00:02:{Vrid:x2}";

    public double AdvertMs => AdvertInt * 1000;
    /// <summary>RFC 5798/9568 Skew_Time of the backup: ((256 - priority) * Advertisement_Interval) / 256.</summary>
    public double SkewTimeMs => (256 - BackupPriority) * AdvertMs / 256;
    /// <summary>Master_Down_Interval of the backup: 3 * Advertisement_Interval + Skew_Time.</summary>
    public double MasterDownIntervalMs => 3 * AdvertMs + SkewTimeMs;

    public string Vip => Family == IpFamily.IPv4 ? Vip4 : Vip6;

    private static string Short(DaemonKind k) => k == DaemonKind.KeepSharp ? "keepsharp" : "keepalived";

    /// <summary>Readable name, e.g. "v3-ipv6-unicast keepalived→keepsharp".</summary>
    public override string ToString() =>
        $"v{Version}-{(Family == IpFamily.IPv4 ? "ipv4" : "ipv6")}-{(Unicast ? "unicast" : "multicast")} " +
        $"{Short(Master)}→{Short(Backup)}" +
        (AdvertInt != 1 ? $" @{AdvertInt.ToString(CultureInfo.InvariantCulture)}s" : "") +
        (UseVmac ? " use_vmac" : "") + (ChecksumAsV2 ? " v3_checksum_as_v2" : "");

    /// <summary>
    /// The keepalived.conf of <paramref name="host"/> (keep_171 is the master, keep_172 the backup), the same text
    /// for keepsharp and keepalived: keepalived.conf is read unchanged.
    /// </summary>
    public string Config(LabTopology lab, LabHost host)
    {
        bool master = host == lab.H171;
        LabHost other = lab.Other(host);
        bool v6 = Family == IpFamily.IPv6;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $$"""
            global_defs {
                router_id {{host.Name}}
            }

            vrrp_instance VI_1 {
                state {{(master ? "MASTER" : "BACKUP")}}
                interface {{LabTopology.Interface}}
                virtual_router_id {{Vrid}}
                priority {{(master ? MasterPriority : BackupPriority)}}
                advert_int {{AdvertInt.ToString(CultureInfo.InvariantCulture)}}
                version {{Version}}

            """);
        if (Unicast)
        {
            string own = v6 ? host.Address6 ?? throw new LabException("IPv6 cell in an IPv4 lab") : host.Address;
            string peer = v6 ? other.Address6! : other.Address;
            sb.Append(CultureInfo.InvariantCulture, $"    unicast_src_ip {own}\n    unicast_peer {{\n        {peer}\n    }}\n");
        }
        if (UseVmac) sb.Append("    use_vmac\n");
        if (ChecksumAsV2) sb.Append("    v3_checksum_as_v2\n");
        sb.Append("    virtual_ipaddress {\n");
        if (v6)
            sb.Append(CultureInfo.InvariantCulture, $"        {VipLinkLocal6}/64\n        {Vip6}/64\n");
        else
            sb.Append(CultureInfo.InvariantCulture, $"        {Vip4}/24\n");
        sb.Append("    }\n}\n");
        return sb.ToString();
    }
}
