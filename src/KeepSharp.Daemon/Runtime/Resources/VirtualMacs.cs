using System.Net;
using System.Net.Sockets;
using KeepSharp.Config;
using KeepSharp.Daemon.Logging;
using KeepSharp.Linux;

namespace KeepSharp.Daemon.Runtime.Resources;

/// <summary>
/// The virtual MAC interfaces of <c>use_vmac</c> instances (keepalived's vrrp_vmac.c): a macvlan in private mode on the
/// instance's interface with 00:00:5e:00:01:VRID (IPv4) or 00:00:5e:00:02:VRID (IPv6, RFC 9568 §7.3), the sysctls
/// keepalived sets on it and its parent, for an IPv6 instance the parent's link-local address (so adverts keep their
/// source). Created at startup, before the addresses are bound to it; deleted at exit, the parent's sysctls restored.
/// A leftover of the same name (a crash) is deleted and created again.
/// </summary>
internal sealed class VirtualMacs : IDisposable
{
    private readonly RtNetlink _netlink;
    private readonly Log _log;
    private readonly VmacSysctls _sysctls = new();
    private readonly List<(string Name, int Index, string Parent, bool IPv6)> _created = [];

    public VirtualMacs(RtNetlink netlink, Log log)
    {
        _netlink = netlink;
        _log = log;
    }

    /// <summary>Creates the instance's VMAC and returns its link. Throws <see cref="DaemonStartupException"/> naming the instance when it cannot.</summary>
    public LinkInfo Create(VrrpInstance instance, LinkInfo parent, IPAddress? linkLocalSource)
    {
        string name = instance.VmacName ?? $"vrrp.{instance.VirtualRouterId}";
        bool ipv6 = instance.AddressFamily == AddressFamily.InterNetworkV6;
        if (_netlink.GetLink(name) is { } leftover)
        {
            if (leftover.Kind != "macvlan")
                throw new DaemonStartupException($"{instance.Location.File}:{instance.Location.Line}: ({instance.Name}) use_vmac {name}: an interface of that name exists and is not a macvlan ({leftover.Kind ?? "unknown kind"})");
            _log.Info($"({instance.Name}) removing leftover VMAC interface {name}");
            _netlink.DeleteLink(leftover.InterfaceIndex);
        }
        bool otherFamilyAddresses = instance.VirtualIpAddressesExcluded.Any(a => a.Address.AddressFamily == AddressFamily.InterNetworkV6);
        int rc = VirtualMacInterface.Create(_netlink, _sysctls, name, parent.InterfaceIndex, parent.Name, instance.VirtualRouterId,
            ipv6, ipv6Wanted: otherFamilyAddresses, mac: null, out int index);
        if (rc != 0)
            throw new DaemonStartupException($"{instance.Location.File}:{instance.Location.Line}: ({instance.Name}) cannot create VMAC interface {name} on {parent.Name}: {Errno.Describe(-rc)}{(_netlink.LastErrorMessage is { } m ? $" ({m})" : "")}");
        _created.Add((name, index, parent.Name, ipv6));
        if (ipv6 && linkLocalSource is not null)
        {
            rc = _netlink.AddAddress(index, linkLocalSource, 64, noDad: true);
            if (rc != 0 && rc != -Errno.EEXIST)
                _log.Error($"({instance.Name}) cannot add link-local address {linkLocalSource} to VMAC {name}: {Errno.Describe(-rc)}");
        }
        LinkInfo link = _netlink.GetLink(index)
            ?? throw new DaemonStartupException($"({instance.Name}) VMAC interface {name} vanished right after it was created");
        _log.Info($"({instance.Name}) VMAC interface {name} created on {parent.Name} with MAC {string.Join(':', link.MacAddress.Select(b => b.ToString("x2")))}");
        return link;
    }

    /// <summary>Reload: deletes one VMAC this daemon created (its instance was removed or replaced), restoring its parent's sysctls.</summary>
    public void Delete(string name)
    {
        int i = _created.FindIndex(c => c.Name == name);
        if (i < 0)
            return;
        var (_, index, parent, ipv6) = _created[i];
        _created.RemoveAt(i);
        int rc = VirtualMacInterface.Delete(_netlink, _sysctls, index, parent, ipv6);
        if (rc != 0 && rc != -Errno.ENODEV)
            _log.Error($"cannot remove VMAC interface {name}: {Errno.Describe(-rc)}");
        else
            _log.Info($"VMAC interface {name} removed");
    }

    /// <summary>Deletes every VMAC this daemon created (exit, or a failed startup), restoring the parents' sysctls.</summary>
    public void Dispose()
    {
        foreach (var (name, index, parent, ipv6) in _created)
        {
            int rc = VirtualMacInterface.Delete(_netlink, _sysctls, index, parent, ipv6);
            if (rc != 0 && rc != -Errno.ENODEV)
                _log.Error($"cannot remove VMAC interface {name}: {Errno.Describe(-rc)}");
            else
                _log.Info($"VMAC interface {name} removed");
        }
        _created.Clear();
        _sysctls.RestoreRpFilter();
    }
}
