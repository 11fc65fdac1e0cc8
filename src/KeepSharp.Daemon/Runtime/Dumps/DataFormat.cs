using System.Globalization;
using System.Text;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Tracking;

namespace KeepSharp.Daemon.Runtime.Dumps;

/// <summary>
/// keepalived.data (SIGUSR1): keepalived 2.2.7's dump for the parts KeepSharp has, with its headings, labels and
/// indentation (global_data.c dump_global_data, vrrp_data.c dump_vrrp and dump_vscript): the global definitions that
/// concern VRRP, the VRRP topology per instance, the VRRP scripts. keepalived's lines about what KeepSharp does not have
/// (LVS, SNMP, DBus, sockets' file descriptors, checker and BFD processes) are left out; KeepSharp's own addition, every
/// tracker of every instance with its current result, follows in a section of its own.
/// </summary>
internal static class DataFormat
{
    public const string TrackerHeading = "------< KeepSharp trackers >------";

    public static string Format(DumpSnapshot snapshot)
    {
        var text = new StringBuilder();
        text.Append('\n');
        AppendGlobals(text, snapshot.Globals);
        text.Append("------< VRRP Topology >------\n");
        foreach (InstanceSnapshot instance in snapshot.Instances)
            AppendInstance(text, instance);
        if (snapshot.Scripts.Count > 0)
        {
            text.Append("------< VRRP Scripts >------\n");
            foreach (ScriptSnapshot script in snapshot.Scripts)
                AppendScript(text, script);
        }
        text.Append(TrackerHeading).Append('\n');
        foreach (InstanceSnapshot instance in snapshot.Instances)
        {
            text.Append(" VRRP Instance = ").Append(instance.Name).Append('\n');
            if (instance.Trackers.Count == 0)
                text.Append("   (none)\n");
            foreach (TrackerSnapshot t in instance.Trackers)
                Line(text, 3, $"{KindName(t.Kind)} {t.Name} weight {t.Weight}{(t.Reverse ? " reverse" : "")} = {StatusName(t.Status)}");
        }
        return text.ToString();
    }

    private static void AppendGlobals(StringBuilder text, GlobalsSnapshot g)
    {
        text.Append("------< Global definitions >------\n");
        Line(text, 1, $"Router ID = {g.RouterId ?? Environment.MachineName}");
        Line(text, 1, $"Dynamic interfaces = {Bool(g.DynamicInterfaces)}");
        Line(text, 1, $"Default interface = {g.DefaultInterface}");
        Line(text, 1, $"VRRP notify priority changes = {Bool(g.NotifyPriorityChanges)}");
        Line(text, 1, $"VRRP IPv4 mcast group = {g.McastGroup4}");
        Line(text, 1, $"VRRP IPv6 mcast group = {g.McastGroup6}");
        Line(text, 1, $"Gratuitous ARP delay = {Seconds(g.GarpDelay)}");
        Line(text, 1, $"Gratuitous ARP repeat = {g.GarpRepeat}");
        Line(text, 1, $"Gratuitous ARP refresh timer = {Seconds(g.GarpRefresh)}");
        Line(text, 1, $"Gratuitous ARP refresh repeat = {g.GarpRefreshRepeat}");
        Line(text, 1, $"Gratuitous ARP lower priority delay = {Seconds(g.GarpLowerPrioDelay)}");
        Line(text, 1, $"Gratuitous ARP lower priority repeat = {g.GarpLowerPrioRepeat}");
        Line(text, 1, $"Num adverts before down = {g.DownTimerAdverts}");
        Line(text, 1, $"Send advert after receive lower priority advert = {Bool(!g.LowerPrioNoAdvert)}");
        Line(text, 1, $"Send advert after receive higher priority advert = {Bool(g.HigherPrioSendAdvert)}");
        Line(text, 1, $"Gratuitous ARP interval = {g.GarpInterval.TotalSeconds.ToString("F6", CultureInfo.InvariantCulture)}");
        Line(text, 1, $"Gratuitous NA interval = {g.GnaInterval.TotalSeconds.ToString("F6", CultureInfo.InvariantCulture)}");
        Line(text, 1, $"VRRP default protocol version = {g.VrrpVersion}");
        Line(text, 1, $"VRRP check unicast_src = {Bool(g.CheckUnicastSource)}");
        Line(text, 1, $"VRRP skip check advert addresses = {Bool(g.SkipCheckAdvertAddresses)}");
        Line(text, 1, $"VRRP strict mode = {Bool(g.Strict)}");
        Line(text, 1, g.ScriptSecurity ? "Script security enabled" : "Script security disabled");
    }

    private static void AppendInstance(StringBuilder text, InstanceSnapshot v)
    {
        Line(text, 1, $"VRRP Instance = {v.Name}");
        Line(text, 3, $"VRRP Version = {v.Version}");
        if (v.SyncGroup is not null)
            Line(text, 3, $"Sync group = {v.SyncGroup}");
        if (v.IPv6)
            Line(text, 3, "Using Native IPv6");
        Line(text, 3, $"State = {StateName(v.State)}");
        if (v.State == VrrpState.Backup && v.MasterRouter is not null)
        {
            Line(text, 3, $"Master router = {v.MasterRouter}");
            if (v.Version == 3)
                Line(text, 3, $"Master advert int = {v.MasterAdvertInterval.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)} sec");
        }
        if (v.Unicast)
        {
            Line(text, 3, "Flags:");
            Line(text, 5, "Using unicast");
            if (v.UnicastFaultNoPeer)
                Line(text, 5, "If unicast go to fault state if no peers");
        }
        else
            Line(text, 3, "Flags: none");
        Line(text, 3, $"Wantstate = {StateName(v.State)}");
        Line(text, 3, $"Last transition = {TimeText(v.LastTransition)}");
        if (v.VmacInterface is not null)
            Line(text, 3, $"Use VMAC, i/f name {v.VmacInterface}");
        Line(text, 3, $"Interface = {v.Interface}");
        if (v.DontTrackPrimary)
            Line(text, 3, "VRRP interface tracking disabled");
        if (v.SkipCheckAdvertAddresses)
            Line(text, 3, "Skip checking advert IP addresses");
        if (v.StrictMode)
            Line(text, 3, "Enforcing strict VRRP compliance");
        Line(text, 3, $"Using src_ip = {v.SourceAddress}{(v.SourceFromConfig ? " (from configuration)" : "")}");
        if (!v.Unicast && v.McastGroup is not null)
            Line(text, 3, $"Multicast address {v.McastGroup}");
        Line(text, 3, $"Gratuitous ARP delay = {Seconds(v.GarpDelay)}");
        Line(text, 3, $"Gratuitous ARP repeat = {v.GarpRepeat}");
        Line(text, 3, $"Gratuitous ARP refresh = {Seconds(v.GarpRefresh)}");
        Line(text, 3, $"Gratuitous ARP refresh repeat = {v.GarpRefreshRepeat}");
        Line(text, 3, $"Gratuitous ARP lower priority delay = {Seconds(v.GarpLowerPrioDelay)}");
        Line(text, 3, $"Gratuitous ARP lower priority repeat = {v.GarpLowerPrioRepeat}");
        Line(text, 3, $"Down timer adverts = {v.DownTimerAdverts}");
        Line(text, 3, $"Send advert after receive lower priority advert = {Bool(!v.LowerPrioNoAdvert)}");
        Line(text, 3, $"Send advert after receive higher priority advert = {Bool(v.HigherPrioSendAdvert)}");
        Line(text, 3, $"Virtual Router ID = {v.VirtualRouterId}");
        Line(text, 3, $"Priority = {v.BasePriority}");
        Line(text, 3, $"Effective priority = {v.EffectivePriority}");
        Line(text, 3, $"Total priority = {v.TotalPriority}");
        Line(text, 3, v.Version == 2
            ? $"Advert interval = {(long)v.AdvertInterval.TotalSeconds} sec"
            : $"Advert interval = {(long)v.AdvertInterval.TotalMilliseconds} milli-sec");
        if (v.State == VrrpState.Backup && v.Version == 3)
            Line(text, 3, $"Master advert interval = {(long)v.MasterAdvertInterval.TotalMilliseconds} milli-sec");
        Line(text, 3, $"Accept = {(v.Accept ? "enabled" : "disabled")}");
        Line(text, 3, $"Preempt = {(v.NoPreempt ? "disabled" : "enabled")}");
        if (v.PreemptDelay > TimeSpan.Zero)
            Line(text, 3, $"Preempt delay = {v.PreemptDelay.TotalSeconds.ToString("G6", CultureInfo.InvariantCulture)} secs");
        Line(text, 3, "Promote_secondaries = disabled");
        if (v.AuthType != 0)
        {
            Line(text, 3, $"Authentication type = {(v.AuthType == 2 ? "IPSEC_AH" : "SIMPLE_PASSWORD")}");
            if (v.AuthType != 2)
                Line(text, 3, $"Password = {v.Password}");
        }
        else if (v.Version == 2)
            Line(text, 3, "Authentication type = none");
        AddressSnapshot[] vips = [.. v.Addresses.Where(a => !a.Excluded)];
        AddressSnapshot[] evips = [.. v.Addresses.Where(a => a.Excluded)];
        if (vips.Length > 0)
        {
            Line(text, 3, $"Virtual IP ({vips.Length}):");
            foreach (AddressSnapshot a in vips)
                Line(text, 5, a.Text);
        }
        if (evips.Length > 0)
        {
            Line(text, 3, "Virtual IP Excluded :");
            foreach (AddressSnapshot a in evips)
                Line(text, 5, a.Text);
        }
        if (v.Unicast)
        {
            Line(text, 3, $"Unicast TTL = {v.UnicastTtl}");
            Line(text, 3, $"Check unicast src : {(v.CheckUnicastSource ? "yes" : "no")}");
            Line(text, 3, "Unicast Peer :");
            foreach (string peer in v.UnicastPeers)
                Line(text, 5, peer);
        }
        AppendTrackers(text, v, TrackerKind.Interface, "Tracked interfaces :", t => $"{t.Name} weight {t.Weight}{(t.Reverse ? " reverse" : "")}");
        AppendTrackers(text, v, TrackerKind.Script, "Tracked scripts :", t => $"{t.Name} weight {t.Weight}{(t.Reverse ? " reverse" : "")}");
        AppendTrackers(text, v, TrackerKind.File, "Tracked files :", t => $"{t.Name}, weight {t.Weight}{(t.Reverse ? " reverse" : "")}");
        AppendTrackers(text, v, TrackerKind.Process, "Tracked processes :", t => $"{t.Name}, weight {t.Weight}{(t.Reverse ? " reverse" : "")}");
        Line(text, 3, "Using smtp notification = no");
        Line(text, 3, "Notify deleted = Fault");
        foreach ((string kind, string command) in v.NotifyScripts)
            Line(text, 3, $"{kind} state transition script = {JsonFormat.CommandText(command)}");
        Line(text, 3, $"Notify priority changes = {Bool(v.NotifyPriorityChanges)}");
    }

    private static void AppendTrackers(StringBuilder text, InstanceSnapshot v, TrackerKind kind, string heading, Func<TrackerSnapshot, string> line)
    {
        TrackerSnapshot[] trackers = [.. v.Trackers.Where(t => t.Kind == kind)];
        if (trackers.Length == 0)
            return;
        Line(text, 3, heading);
        foreach (TrackerSnapshot t in trackers)
            Line(text, 5, line(t));
    }

    private static void AppendScript(StringBuilder text, ScriptSnapshot s)
    {
        Line(text, 1, $"VRRP Script = {s.Name}");
        Line(text, 3, $"Command = {JsonFormat.CommandText(s.Command)}");
        Line(text, 3, $"Interval = {(long)s.Interval.TotalSeconds} sec");
        Line(text, 3, $"Timeout = {(long)s.Timeout.TotalSeconds} sec");
        Line(text, 3, $"Weight = {s.Weight}{(s.Reverse ? " reverse" : "")}");
        Line(text, 3, $"Rise = {s.Rise}");
        Line(text, 3, $"Fall = {s.Fall}");
        Line(text, 3, $"Result = {s.Result}");
        Line(text, 3, $"Status = {(s.Status == TrackerStatus.Up ? "GOOD" : "BAD")}");
        Line(text, 3, "Tracking instances :");
        foreach ((string instance, int weight, bool reverse) in s.TrackedBy)
            Line(text, 5, $"{instance}, weight {weight}{(reverse ? " reverse" : "")}");
    }

    public static string StateName(VrrpState state) => state switch
    {
        VrrpState.Master => "MASTER",
        VrrpState.Backup => "BACKUP",
        VrrpState.Fault => "FAULT",
        _ => "INIT",
    };

    private static string KindName(TrackerKind kind) => kind switch
    {
        TrackerKind.Script => "script",
        TrackerKind.Interface => "interface",
        TrackerKind.File => "file",
        _ => "process",
    };

    private static string StatusName(TrackerStatus status) => status switch
    {
        TrackerStatus.Up => "GOOD",
        TrackerStatus.Down => "BAD",
        _ => "unknown",
    };

    /// <summary>keepalived's "%ld.%6.6ld (%s)" with ctime_us_r: seconds.micro (Thu Nov 26 02:36:20.222052 2026), local time.</summary>
    public static string TimeText(DateTimeOffset time)
    {
        long micro = (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        long seconds = micro / 1_000_000, fraction = micro % 1_000_000;
        DateTime local = time.ToLocalTime().DateTime;
        string ctime = string.Create(CultureInfo.InvariantCulture,
            $"{local:ddd MMM} {local.Day,2} {local:HH:mm:ss}.{fraction:000000} {local:yyyy}");
        return string.Create(CultureInfo.InvariantCulture, $"{seconds}.{fraction:000000} ({ctime})");
    }

    private static string Seconds(TimeSpan span) => ((long)span.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";

    private static void Line(StringBuilder text, int indent, string line) => text.Append(' ', indent).Append(line).Append('\n');
}
