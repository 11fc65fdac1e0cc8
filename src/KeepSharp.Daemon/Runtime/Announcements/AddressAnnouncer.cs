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

    /// <summary>
    /// Sends one announcement for each of <paramref name="vips"/>[<paramref name="start"/> .. <paramref name="end"/>),
    /// all of them this announcer's; returns the index of the first that could not be sent, or <paramref name="end"/>.
    /// </summary>
    public virtual int SendMany(IReadOnlyList<VirtualAddressBinding> vips, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            if (!Send(vips[i].Address))
                return i;
        }
        return end;
    }
}

/// <summary>Gratuitous ARP through the interface's AF_PACKET sender.</summary>
internal sealed class ArpAnnouncer(GratuitousArpSender sender) : AddressAnnouncer
{
    public override string Kind => "gratuitous ARP";

    public override bool Send(IPAddress address) => sender.Send(address);

    /// <summary>With <c>sendmmsg</c>, <see cref="GratuitousArpSender.BatchFrames"/> frames a system call.</summary>
    public override int SendMany(IReadOnlyList<VirtualAddressBinding> vips, int start, int end)
    {
        Span<uint> chunk = stackalloc uint[GratuitousArpSender.BatchFrames];
        Span<byte> bytes = stackalloc byte[16];
        int i = start;
        while (i < end)
        {
            int count = Math.Min(chunk.Length, end - i);
            for (int k = 0; k < count; k++)
            {
                if (!vips[i + k].Address.TryWriteBytes(bytes, out int written) || written != 4)
                    throw new ArgumentException("An IPv4 address is required.", nameof(vips));
                chunk[k] = System.Runtime.InteropServices.MemoryMarshal.Read<uint>(bytes);
            }
            int sent = sender.SendMany(chunk[..count]);
            if (sent < count)
                return i + sent;
            i += count;
        }
        return end;
    }
}

/// <summary>Unsolicited Neighbor Advertisements through the interface's AF_PACKET sender (keepalived's vrrp_ndisc.c).</summary>
internal sealed class NeighborAdvertAnnouncer(UnsolicitedNeighborAdvertSender sender) : AddressAnnouncer
{
    public override string Kind => "unsolicited NA";

    public override bool Send(IPAddress address) => sender.Send(address);

    /// <summary>With <c>sendmmsg</c>, <see cref="UnsolicitedNeighborAdvertSender.BatchFrames"/> frames a system call.</summary>
    public override int SendMany(IReadOnlyList<VirtualAddressBinding> vips, int start, int end)
    {
        Span<byte> chunk = stackalloc byte[UnsolicitedNeighborAdvertSender.BatchFrames * 16];
        int i = start;
        while (i < end)
        {
            int count = Math.Min(UnsolicitedNeighborAdvertSender.BatchFrames, end - i);
            for (int k = 0; k < count; k++)
            {
                if (!vips[i + k].Address.TryWriteBytes(chunk.Slice(k * 16, 16), out int written) || written != 16)
                    throw new ArgumentException("An IPv6 address is required.", nameof(vips));
            }
            int sent = sender.SendMany(chunk[..(count * 16)]);
            if (sent < count)
                return i + sent;
            i += count;
        }
        return end;
    }
}
