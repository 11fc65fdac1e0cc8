using System.Buffers;
using System.Net.Sockets;
using KeepSharp.Linux;

namespace KeepSharp.Daemon.Runtime.Resources;

/// <summary>
/// Adds and removes an instance's virtual addresses through rtnetlink in batches (many requests per datagram), and
/// reports the outcome of each address to the caller, which logs the failed ones by name.
/// </summary>
internal static class VirtualAddresses
{
    /// <summary>
    /// Adds every address; <paramref name="report"/> gets each one with 0 or -errno (-EEXIST when it was there).
    /// IPv6 addresses skip duplicate address detection (keepalived's IFA_F_NODAD): the address must answer now, and a
    /// backup that still holds it for a moment must not make it fail DAD.
    /// </summary>
    public static void Add(RtNetlink netlink, IReadOnlyList<VirtualAddressBinding> vips, Action<VirtualAddressBinding, int> report)
        => Apply(netlink, vips, add: true, report);

    /// <summary>Removes every address; <paramref name="report"/> gets each one with 0 or -errno (-EADDRNOTAVAIL when it was not there).</summary>
    public static void Remove(RtNetlink netlink, IReadOnlyList<VirtualAddressBinding> vips, Action<VirtualAddressBinding, int> report)
        => Apply(netlink, vips, add: false, report);

    private static void Apply(RtNetlink netlink, IReadOnlyList<VirtualAddressBinding> vips, bool add, Action<VirtualAddressBinding, int> report)
    {
        int count = vips.Count;
        if (count == 0)
            return;
        AddressChange[] changes = ArrayPool<AddressChange>.Shared.Rent(count);
        int[] results = ArrayPool<int>.Shared.Rent(count);
        try
        {
            for (int i = 0; i < count; i++)
                changes[i] = Change(vips[i]);
            if (add)
                netlink.AddAddresses(changes.AsSpan(0, count), results.AsSpan(0, count));
            else
                netlink.DeleteAddresses(changes.AsSpan(0, count), results.AsSpan(0, count));
            for (int i = 0; i < count; i++)
                report(vips[i], results[i]);
        }
        finally
        {
            Array.Clear(changes, 0, count); // the pool must not keep the addresses alive
            ArrayPool<AddressChange>.Shared.Return(changes);
            ArrayPool<int>.Shared.Return(results);
        }
    }

    internal static AddressChange Change(VirtualAddressBinding vip) => new(
        vip.InterfaceIndex, vip.Address, vip.PrefixLength,
        NoDad: vip.Address.AddressFamily == AddressFamily.InterNetworkV6,
        vip.Label, vip.Broadcast, vip.Scope);
}
