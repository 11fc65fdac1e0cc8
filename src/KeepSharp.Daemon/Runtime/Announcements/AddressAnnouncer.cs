using System.Net;
using KeepSharp.Linux;

namespace KeepSharp.Daemon.Runtime.Announcements;

/// <summary>
/// Tells the link that a virtual address moved here: a gratuitous ARP for IPv4 (RFC 5227 §3), an unsolicited
/// Neighbor Advertisement for IPv6 (RFC 4861 §7.2.6). One per interface, shared by the instances on it.
/// </summary>
internal abstract class AddressAnnouncer
{
    /// <summary>"gratuitous ARP" or "unsolicited NA", for the log.</summary>
    public abstract string Kind { get; }

    /// <summary>Sends one announcement for <paramref name="address"/>; false when the frame could not be sent. Allocation-free.</summary>
    public abstract bool Send(IPAddress address);
}

/// <summary>Gratuitous ARP through the interface's AF_PACKET sender.</summary>
internal sealed class ArpAnnouncer(GratuitousArpSender sender) : AddressAnnouncer
{
    public override string Kind => "gratuitous ARP";

    public override bool Send(IPAddress address) => sender.Send(address);
}

/// <summary>Unsolicited Neighbor Advertisements through the interface's AF_PACKET sender (keepalived's vrrp_ndisc.c).</summary>
internal sealed class NeighborAdvertAnnouncer(UnsolicitedNeighborAdvertSender sender) : AddressAnnouncer
{
    public override string Kind => "unsolicited NA";

    public override bool Send(IPAddress address) => sender.Send(address);
}
