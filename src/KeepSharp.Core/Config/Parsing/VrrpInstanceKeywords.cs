using System.Net;
using System.Text;
using static KeepSharp.Config.Parsing.ValueParsers;

namespace KeepSharp.Config.Parsing;

/// <summary>Keywords of <c>vrrp_instance NAME { ... }</c>.</summary>
internal static class VrrpInstanceKeywords
{
    /// <summary>keepalived keeps at most 8 bytes of a PASS password.</summary>
    public const int MaxPasswordBytes = 8;

    /// <summary>The address owner's priority (RFC 5798 5.2.4); keepalived's VRRP_PRIO_OWNER.</summary>
    public const int OwnerPriority = 255;

    /// <summary>keepalived's VRRP_PRIO_DFL (RFC 5798 5.2.4 default for a backup).</summary>
    public const int DefaultPriority = 100;

    public static KeywordTable<VrrpInstanceBuilder> Table { get; } = new KeywordTable<VrrpInstanceBuilder>("vrrp_instance")
        .On("state", (c, b, s) => { State(c, b, s); b.HasState = true; })
        .On("interface", (c, b, s) => { if (TryArg(c, s, out var v)) { b.Instance.Interface = v; b.HasInterface = true; } })
        .On("virtual_router_id", (c, b, s) =>
        {
            b.HasVirtualRouterId = true; // an invalid value is reported once, not again as "not set"
            if (TryInt(c, s, 1, 255, out var v)) { b.Instance.VirtualRouterId = (byte)v; }
        })
        .On("priority", (c, b, s) => { if (TryInt(c, s, 1, 255, out var v)) { b.Instance.Priority = (byte)v; b.HasPriority = true; } })
        .On("advert_int", AdvertInt)
        .On("version", (c, b, s) => { if (TryInt(c, s, 2, 3, out var v)) { b.Version = v; } })
        .On("authentication", Authentication)
        .On("nopreempt", (c, b, s) => b.Instance.NoPreempt = true)
        .On("preempt", (c, b, s) => b.Instance.NoPreempt = false)
        .On("preempt_delay", (c, b, s) => { if (TryTimer(c, s, 0, 1000, out var v)) { b.Instance.PreemptDelay = v; } })
        .On("virtual_ipaddress", (c, b, s) =>
        {
            b.InvalidVirtualIpAddresses |= !Addresses(c, s, b.VirtualIpAddresses);
            b.Family ??= b.VirtualIpAddresses.FirstOrDefault()?.Address.AddressFamily;
        })
        .On("virtual_ipaddress_excluded", (c, b, s) => b.InvalidVirtualIpAddresses |= !Addresses(c, s, b.VirtualIpAddressesExcluded))
        .On("track_script", TrackScript)
        .On("track_interface", TrackInterface)
        .On("track_file", (c, b, s) => b.Instance.TrackFiles = VrrpTrackFileKeywords.Entries(c, s, b.Instance.Name, b.Instance.TrackFiles))
        .On("track_process", (c, b, s) => b.Instance.TrackProcesses = VrrpTrackProcessKeywords.Entries(c, s, b.Instance.Name, b.Instance.TrackProcesses))
        .On("garp_master_delay", (c, b, s) => { if (TryTimer(c, s, 0, 1000, out var v)) { b.GarpMasterDelay = v; } })
        .On("garp_master_repeat", (c, b, s) => { if (TryRepeat(c, s, out var v)) { b.GarpMasterRepeat = v; } })
        .On("garp_master_refresh", (c, b, s) => { if (TryTimer(c, s, 0, 100000, out var v)) { b.GarpMasterRefresh = v; } })
        .On("garp_master_refresh_repeat", (c, b, s) => { if (TryRepeat(c, s, out var v)) { b.GarpMasterRefreshRepeat = v; } })
        .On("mcast_src_ip", (c, b, s) => { if (TryIp(c, s, out var v) && SameFamily(c, b, s.Location, v, "src address")) { b.Instance.McastSourceAddress = v; } })
        .On("unicast_src_ip", (c, b, s) =>
        {
            b.UnicastConfigured = true;
            if (TryIp(c, s, out var v) && SameFamily(c, b, s.Location, v, "src address")) { b.Instance.UnicastSourceAddress = v; }
        })
        .On("unicast_peer", (c, b, s) => UnicastPeerParser.Parse(c, b, s, (a, at) => SameFamily(c, b, at, a, "unicast peer address")))
        .On("unicast_ttl", (c, b, s) => { if (TryInt(c, s, 0, 255, out var v)) { b.UnicastTtl = v; b.UnicastTtlLocation = s.Location; } })
        .On("check_unicast_src", (c, b, s) => { b.UnicastConfigured = true; b.CheckUnicastSource = true; }) // keepalived ignores any argument
        .On("unicast_fault_no_peer", (c, b, s) => { b.UnicastConfigured = true; b.Instance.UnicastFaultNoPeer = true; }) // keepalived ignores any argument
        .On("old_unicast_checksum", OldUnicastChecksum)
        .On("v3_checksum_as_v2", (c, b, s) => { if (TryFlag(c, s, out var v)) { b.V3ChecksumAsV2 = v; } })
        .On("garp_lower_prio_delay", (c, b, s) => { if (TryInt(c, s, 0, MaxGarpLowerPrioDelaySeconds, out var v)) { b.GarpLowerPrioDelay = TimeSpan.FromSeconds(v); } })
        .On("garp_lower_prio_repeat", (c, b, s) => { if (TryInt(c, s, 0, int.MaxValue, out var v)) { b.GarpLowerPrioRepeat = v; } })
        .On("lower_prio_no_advert", (c, b, s) => { if (TryFlag(c, s, out var v)) { b.LowerPrioNoAdvert = v; } })
        .On("higher_prio_send_advert", (c, b, s) => { if (TryFlag(c, s, out var v)) { b.HigherPrioSendAdvert = v; } })
        .On("down_timer_adverts", (c, b, s) => { if (TryInt(c, s, 1, 100, out var v)) { b.DownTimerAdverts = v; } })
        .On("virtual_routes", (c, b, s) => Lines(c, s, e => VirtualRouteParser.Parse(c, e, $"({b.Instance.Name})"), b.VirtualRoutes))
        .On("virtual_rules", (c, b, s) => Lines(c, s, e => VirtualRuleParser.Parse(c, e, $"({b.Instance.Name})"), b.VirtualRules))
        .On("vmac_xmit_base", (c, b, s) => b.Instance.VmacXmitBase = true) // keepalived ignores any argument
        .On("use_vmac_addr", (c, b, s) => b.Instance.UseVmacAddress = true) // keepalived ignores any argument
        .On("dont_track_primary", (c, b, s) => b.Instance.DontTrackPrimary = true)
        .On("skip_check_adv_addr", (c, b, s) => { if (TryFlag(c, s, out var v)) { b.SkipCheckAdvAddr = v; } })
        .On("use_vmac", UseVmac)
        .On("accept", (c, b, s) => b.Accept = true)
        .On("no_accept", (c, b, s) => b.Accept = false)
        .On("strict_mode", (c, b, s) => { if (TryFlag(c, s, out var v)) { b.StrictMode = v; } })
        .On("notify", (c, b, s) => { if (TryArg(c, s, out _)) { b.Instance.Notify = s.JoinedArgs; NotifyLineParsers.Script(c, s, $"({b.Instance.Name}) ", b.Instance.NotifyScripts.Generic, l => b.Instance.NotifyScripts.Generic = l); } })
        .On("notify_master", (c, b, s) => { if (TryArg(c, s, out _)) { b.Instance.NotifyMaster = s.JoinedArgs; NotifyLineParsers.Script(c, s, $"({b.Instance.Name}) ", b.Instance.NotifyScripts.Master, l => b.Instance.NotifyScripts.Master = l); } })
        .On("notify_backup", (c, b, s) => { if (TryArg(c, s, out _)) { b.Instance.NotifyBackup = s.JoinedArgs; NotifyLineParsers.Script(c, s, $"({b.Instance.Name}) ", b.Instance.NotifyScripts.Backup, l => b.Instance.NotifyScripts.Backup = l); } })
        .On("notify_fault", (c, b, s) => { if (TryArg(c, s, out _)) { b.Instance.NotifyFault = s.JoinedArgs; NotifyLineParsers.Script(c, s, $"({b.Instance.Name}) ", b.Instance.NotifyScripts.Fault, l => b.Instance.NotifyScripts.Fault = l); } })
        .On("notify_stop", (c, b, s) => { if (TryArg(c, s, out _)) { b.Instance.NotifyStop = s.JoinedArgs; NotifyLineParsers.Script(c, s, $"({b.Instance.Name}) ", b.Instance.NotifyScripts.Stop, l => b.Instance.NotifyScripts.Stop = l); } })
        .On("notify_master_rx_lower_pri", (c, b, s) => { if (TryArg(c, s, out _)) { NotifyLineParsers.Script(c, s, $"({b.Instance.Name}) ", b.Instance.NotifyScripts.MasterRxLowerPri, l => b.Instance.NotifyScripts.MasterRxLowerPri = l); } })
        .On("notify_priority_changes", (c, b, s) => { if (TryFlag(c, s, out var v)) { b.Instance.NotifyPriorityChanges = v; } })
        .Ignore(
            // Accepted, not modelled (keepalived.conf(5) vrrp_instance vocabulary).
            "use_ipvlan", "native_ipv6", "interface_up_down_delays", "track_file",
            "track_process", "track_bfd", "track_src_ip", "lvs_sync_daemon_interface",
            "debug", "smtp_alert", "promote_secondaries", "linkbeat_use_polling", "kernel_rx_buf_size",
            "notify_deleted", "garp_extra_if", "garp_extra_if_vmac",
            "mcast_dst_ip", "no_accept_on_unicast_source", "rx_buffer_size", "vrrp_garp_extra_if");

    private static void State(ParseContext context, VrrpInstanceBuilder builder, ConfigStatement statement)
    {
        if (!TryArg(context, statement, out var value))
        {
            return;
        }

        switch (value)
        {
            case "MASTER":
                builder.Instance.State = VrrpConfiguredState.Master;
                break;
            case "BACKUP" when builder.HasState && builder.Instance.State == VrrpConfiguredState.Master:
                // keepalived: "(VI) state previously set as MASTER - ignoring BACKUP".
                context.Warning(statement.Location, $"({builder.Instance.Name}) state previously set as MASTER - BACKUP ignored");
                break;
            case "BACKUP":
                builder.Instance.State = VrrpConfiguredState.Backup;
                break;
            default:
                context.Error(statement.Location, $"({builder.Instance.Name}) unknown state '{value}' (must be MASTER or BACKUP)");
                break;
        }
    }

    /// <summary>keepalived's advert_int range in seconds (its read_decimal_unsigned_strvec bounds).</summary>
    public const double MinAdvertSeconds = 0.01;

    public const double MaxAdvertSeconds = 255;

    private static void AdvertInt(ParseContext context, VrrpInstanceBuilder builder, ConfigStatement statement)
    {
        if (!TryArg(context, statement, out var text))
        {
            return;
        }

        if (!TryParseSeconds(text, out var seconds) || seconds < MinAdvertSeconds || seconds > MaxAdvertSeconds)
        {
            context.Error(statement.Location,
                $"({builder.Instance.Name}) advert_int '{text}' is not valid (must be {MinAdvertSeconds}..{MaxAdvertSeconds} seconds)");
            return;
        }

        builder.AdvertSeconds = seconds;
        builder.AdvertLocation = statement.Location;
        builder.Instance.AdvertInterval = TimeSpan.FromMicroseconds(Math.Round(seconds * 1_000_000));
    }

    private static void UseVmac(ParseContext context, VrrpInstanceBuilder builder, ConfigStatement statement)
    {
        builder.Instance.UseVmac = true;
        string? name = statement.Args.Count > 0 ? statement.Args[0].Text : null;
        if (name is { Length: > VirtualIpAddressParser.MaxLabelLength })
        {
            // keepalived: "VMAC interface name 'X' too long or invalid characters - ignoring".
            context.Warning(statement.Location, $"({builder.Instance.Name}) VMAC interface name '{name}' is longer than {VirtualIpAddressParser.MaxLabelLength} characters - ignored");
            name = null;
        }

        builder.Instance.VmacName = name;
    }

    private static void Authentication(ParseContext context, VrrpInstanceBuilder builder, ConfigStatement statement)
    {
        if (!BlockHelpers.TryBlock(context, statement, out var block))
        {
            return;
        }

        VrrpAuthType? type = null;
        string password = "";
        foreach (var entry in block)
        {
            switch (entry.Name)
            {
                case "auth_type" when TryArg(context, entry, out var t):
                    if (t == "PASS") { type = VrrpAuthType.Pass; }
                    else if (t == "AH") { type = VrrpAuthType.Ah; }
                    else { context.Error(entry.Location, $"({builder.Instance.Name}) unknown authentication type '{t}' (must be PASS or AH)"); }
                    break;
                case "auth_pass" when TryArg(context, entry, out var p):
                    password = p;
                    if (Encoding.UTF8.GetByteCount(p) > MaxPasswordBytes)
                    {
                        context.Warning(entry.Location, $"({builder.Instance.Name}) auth_pass is longer than {MaxPasswordBytes} characters - truncated");
                        password = Truncate(p);
                    }

                    break;
                case "auth_type" or "auth_pass":
                    break;
                default:
                    context.Warning(entry.Location, $"unknown keyword '{entry.Name}' in authentication - ignored");
                    break;
            }
        }

        if (type is not null && password.Length == 0)
        {
            // keepalived: "Authentication specified but no password given. Ignoring".
            context.Warning(statement.Location, $"({builder.Instance.Name}) authentication has no auth_pass - ignored");
            type = null;
        }

        if (type is { } authType)
        {
            builder.Instance.Authentication = new VrrpAuthentication(authType, password);
        }
    }

    private static string Truncate(string password)
    {
        var bytes = Encoding.UTF8.GetBytes(password);
        int length = MaxPasswordBytes;
        while (length > 0 && (bytes[length] & 0xC0) == 0x80)
        {
            length--; // do not split a UTF-8 sequence
        }

        return Encoding.UTF8.GetString(bytes, 0, length);
    }

    /// <summary>Parses an address block; false when some entry was invalid (already reported).</summary>
    private static bool Addresses(ParseContext context, ConfigStatement statement, List<VirtualIpAddress> target)
    {
        if (!BlockHelpers.TryBlock(context, statement, out var block))
        {
            return false;
        }

        bool valid = true;
        foreach (var entry in block)
        {
            if (entry.Block is not null)
            {
                context.Error(entry.Location, $"unexpected block after virtual IP address '{entry.Name}'");
                valid = false;
            }
            else if (VirtualIpAddressParser.Parse(context, entry) is { } vip)
            {
                target.Add(vip);
            }
            else
            {
                valid = false;
            }
        }

        return valid;
    }

    private static void TrackScript(ParseContext context, VrrpInstanceBuilder builder, ConfigStatement statement) =>
        WeightedEntries(context, statement, (entry, weight, reverse) =>
            builder.TrackScripts.Add(new TrackScriptReference(entry.Name, weight, entry.Location) { WeightReverse = reverse }));

    private static void TrackInterface(ParseContext context, VrrpInstanceBuilder builder, ConfigStatement statement) =>
        TrackInterfaceEntries(context, statement, builder.TrackInterfaces);

    /// <summary>A <c>track_interface</c> block (<c>NAME [weight N [reverse]]</c>), of an instance or a sync group (keepalived's alloc_track_if).</summary>
    internal static void TrackInterfaceEntries(ParseContext context, ConfigStatement statement, List<TrackInterfaceReference> target) =>
        WeightedEntries(context, statement, (entry, weight, reverse) =>
            target.Add(new TrackInterfaceReference(entry.Name, weight, entry.Location) { WeightReverse = reverse }));

    /// <summary>A block of <c>NAME [weight N [reverse]]</c> entries (track_script, track_interface).</summary>
    private static void WeightedEntries(ParseContext context, ConfigStatement statement, Action<ConfigStatement, int?, bool> add)
    {
        if (!BlockHelpers.TryBlock(context, statement, out var block))
        {
            return;
        }

        foreach (var entry in block)
        {
            if (TryWeight(context, entry, 0, 254, out var weight, out var reverse))
            {
                add(entry, weight, reverse);
            }
        }
    }

    /// <summary>keepalived reads <c>garp_lower_prio_delay</c> as whole seconds up to UINT_MAX / TIMER_HZ.</summary>
    public const int MaxGarpLowerPrioDelaySeconds = 4294;

    private static void OldUnicastChecksum(ParseContext context, VrrpInstanceBuilder builder, ConfigStatement statement)
    {
        builder.UnicastConfigured = true;
        if (statement.Args.Count == 0)
        {
            builder.Instance.OldUnicastChecksum = true;
        }
        else if (statement.Args[0].Text != "never")
        {
            // keepalived: "(VI) Unknown old_unicast_chksum mode X - ignoring".
            context.Warning(statement.Location, $"({builder.Instance.Name}) unknown old_unicast_checksum mode '{statement.Args[0].Text}' (only 'never') - ignored");
        }
        else
        {
            builder.Instance.OldUnicastChecksum = false;
        }
    }

    /// <summary>A block of one-line entries (virtual_routes, virtual_rules); entries that fail to parse were reported.</summary>
    private static void Lines<T>(ParseContext context, ConfigStatement statement, Func<ConfigStatement, T?> parse, List<T> target)
        where T : class
    {
        if (!BlockHelpers.TryBlock(context, statement, out var block))
        {
            return;
        }

        foreach (var entry in block)
        {
            if (entry.Block is not null)
            {
                context.Error(entry.Location, $"unexpected block after '{entry.Name}' in {statement.Name}");
            }
            else if (parse(entry) is { } item)
            {
                target.Add(item);
            }
        }
    }

    /// <summary>
    /// keepalived fixes an instance's address family at the first address it reads (source address, unicast peer or
    /// virtual address, in file order); an address of the other family is reported (failing <c>-t</c>) and skipped.
    /// </summary>
    private static bool SameFamily(ParseContext context, VrrpInstanceBuilder builder, ConfigLocation at, IPAddress address, string what)
    {
        builder.Family ??= address.AddressFamily;
        if (address.AddressFamily == builder.Family)
        {
            return true;
        }

        context.Warning(at, $"({builder.Instance.Name}) {what} {address} must be of the instance's address family - skipped");
        return false;
    }
}
