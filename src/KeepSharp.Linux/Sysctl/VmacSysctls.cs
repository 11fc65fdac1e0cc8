namespace KeepSharp.Linux;

/// <summary>
/// The IPv4 sysctls keepalived sets for a VMAC (macvlan) interface and its parent (vrrp_if_config.c,
/// set_interface_parameters / reset_interface_parameters / clear_rp_filter / restore_rp_filter), with the same
/// bookkeeping of old values:
/// <list type="bullet">
/// <item>On the VMAC: <c>arp_ignore=1</c>, <c>accept_local=1</c>, <c>rp_filter=0</c>, <c>promote_secondaries=1</c>
/// (keepalived does this for IPv4 instances only).</item>
/// <item>On the parent: <c>arp_ignore=1</c> and <c>arp_filter=1</c>, where different; the old values are saved by the first
/// VMAC on that parent and written back when the last one is released (a per-parent reference count).</item>
/// <item>Once, before the first VMAC: when <c>all.rp_filter</c> is non-zero, <c>default.rp_filter</c> and every interface's
/// <c>rp_filter</c> are raised to at least that value (so nothing else changes behaviour) and <c>all.rp_filter</c> is set to 0,
/// which is what lets the VMAC's <c>rp_filter=0</c> take effect. <see cref="RestoreRpFilter"/> undoes it where the values
/// are still the ones written.</item>
/// <item><c>net.ipv6.conf.VMAC.disable_ipv6</c> via <see cref="SetIpv6"/> (keepalived's link_set_ipv6: disabled for an
/// IPv4 instance without IPv6 eVIPs).</item>
/// </list>
/// Every method returns 0 or the first -errno met; it still tries the remaining settings, as keepalived does (it logs
/// and carries on). Not thread-safe: one owner (the daemon's VMAC manager) on one thread, in the namespace whose
/// interfaces are meant.
/// </summary>
public sealed class VmacSysctls
{
    private readonly Dictionary<string, ParentState> _parents = new(StringComparer.Ordinal);
    private int _allRpFilter = -1;
    private int _defaultRpFilter = -1;
    private readonly Dictionary<string, int> _interfaceRpFilters = new(StringComparer.Ordinal);

    /// <summary>VMAC parents currently holding saved values (for diagnostics and tests).</summary>
    public int ParentReferences(string parentName) => _parents.TryGetValue(parentName, out ParentState? state) ? state.References : 0;

    /// <summary>
    /// keepalived's set_interface_parameters(vmac, parent) for an IPv4 instance. <paramref name="parentName"/> null when the
    /// parent is not reachable (a macvlan moved into another namespace): only the VMAC's values are set then.
    /// </summary>
    public int Apply(string vmacName, string? parentName)
    {
        ArgumentException.ThrowIfNullOrEmpty(vmacName);
        int first = 0;
        if (_allRpFilter < 0)
        {
            Keep(ref first, ClearRpFilter());
        }

        Keep(ref first, Sysctl.SetIpv4(vmacName, "arp_ignore", 1));
        Keep(ref first, Sysctl.SetIpv4(vmacName, "accept_local", 1));
        Keep(ref first, Sysctl.SetIpv4(vmacName, "rp_filter", 0));
        Keep(ref first, Sysctl.SetIpv4(vmacName, "promote_secondaries", 1));
        if (parentName is null)
        {
            return first;
        }

        if (_parents.TryGetValue(parentName, out ParentState? state))
        {
            state.References++;
            return first;
        }

        state = new ParentState { References = 1 };
        if (Sysctl.GetIpv4(parentName, "arp_ignore", out int arpIgnore) is int rc1 && rc1 < 0)
        {
            Keep(ref first, rc1);
        }
        else
        {
            state.ArpIgnore = arpIgnore;
            if (arpIgnore != 1)
            {
                Keep(ref first, Sysctl.SetIpv4(parentName, "arp_ignore", 1));
            }
        }

        if (Sysctl.GetIpv4(parentName, "arp_filter", out int arpFilter) is int rc2 && rc2 < 0)
        {
            Keep(ref first, rc2);
        }
        else
        {
            state.ArpFilter = arpFilter;
            if (arpFilter != 1)
            {
                Keep(ref first, Sysctl.SetIpv4(parentName, "arp_filter", 1));
            }
        }

        _parents[parentName] = state;
        return first;
    }

    /// <summary>
    /// keepalived's reset_interface_parameters(parent): when the last VMAC on <paramref name="parentName"/> goes, its
    /// <c>arp_ignore</c> and <c>arp_filter</c> get their saved values back. Returns 0 (also when nothing was saved) or -errno.
    /// </summary>
    public int Release(string parentName)
    {
        ArgumentException.ThrowIfNullOrEmpty(parentName);
        if (!_parents.TryGetValue(parentName, out ParentState? state) || --state.References > 0)
        {
            return 0;
        }

        _parents.Remove(parentName);
        int first = 0;
        if (state.ArpIgnore >= 0)
        {
            Keep(ref first, Sysctl.SetIpv4(parentName, "arp_ignore", state.ArpIgnore));
        }

        if (state.ArpFilter >= 0)
        {
            Keep(ref first, Sysctl.SetIpv4(parentName, "arp_filter", state.ArpFilter));
        }

        return first;
    }

    /// <summary>keepalived's link_set_ipv6: <c>net.ipv6.conf.IF.disable_ipv6 = enable ? 0 : 1</c>.</summary>
    public static int SetIpv6(string interfaceName, bool enable) => Sysctl.SetIpv6(interfaceName, "disable_ipv6", enable ? 0 : 1);

    /// <summary>
    /// keepalived's restore_rp_filter (at shutdown, after the VMACs are gone): <c>all.rp_filter</c> back to its old value if
    /// still 0, <c>default.rp_filter</c> and each raised interface back where they still hold the value written.
    /// </summary>
    public int RestoreRpFilter()
    {
        if (_allRpFilter <= 0)
        {
            _allRpFilter = -1;
            return 0;
        }

        int first = 0;
        if (Sysctl.GetIpv4("all", "rp_filter", out int all) == 0 && all == 0)
        {
            Keep(ref first, Sysctl.SetIpv4("all", "rp_filter", _allRpFilter));
        }

        if (_defaultRpFilter >= 0 && Sysctl.GetIpv4("default", "rp_filter", out int dflt) == 0 && dflt == _allRpFilter)
        {
            Keep(ref first, Sysctl.SetIpv4("default", "rp_filter", _defaultRpFilter));
        }

        foreach ((string name, int old) in _interfaceRpFilters)
        {
            if (Sysctl.GetIpv4(name, "rp_filter", out int current) == 0 && current == _allRpFilter)
            {
                Keep(ref first, Sysctl.SetIpv4(name, "rp_filter", old));
            }
        }

        _interfaceRpFilters.Clear();
        _defaultRpFilter = -1;
        _allRpFilter = -1;
        return first;
    }

    private int ClearRpFilter()
    {
        int rc = Sysctl.GetIpv4("all", "rp_filter", out int all);
        if (rc < 0)
        {
            return rc;
        }

        _allRpFilter = all;
        if (all == 0)
        {
            return 0;
        }

        int first = 0;
        if (Sysctl.GetIpv4("default", "rp_filter", out int dflt) == 0 && dflt < all)
        {
            Keep(ref first, Sysctl.SetIpv4("default", "rp_filter", all));
            _defaultRpFilter = dflt;
        }

        foreach (string name in Sysctl.Ipv4ConfInterfaces())
        {
            if (Sysctl.GetIpv4(name, "rp_filter", out int value) == 0 && value < all)
            {
                Keep(ref first, Sysctl.SetIpv4(name, "rp_filter", all));
                _interfaceRpFilters[name] = value;
            }
        }

        Keep(ref first, Sysctl.SetIpv4("all", "rp_filter", 0));
        return first;
    }

    private static void Keep(ref int first, int rc)
    {
        if (first == 0 && rc < 0)
        {
            first = rc;
        }
    }

    private sealed class ParentState
    {
        public int References;
        public int ArpIgnore = -1;
        public int ArpFilter = -1;
    }
}
