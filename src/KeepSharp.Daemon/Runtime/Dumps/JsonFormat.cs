using System.Globalization;
using System.Text;
using KeepSharp.Scripts;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Tracking;

namespace KeepSharp.Daemon.Runtime.Dumps;

/// <summary>
/// keepalived.json (SIGRTMIN+2), as keepalived's vrrp_json.c writes it: one line, no spaces, '/' escaped as "\/".
/// <c>json_version 1</c> (the default, keepalived 2.2.7's only shape): an array of {"data":{...},"stats":{...}} per
/// instance. <c>json_version 2</c> (keepalived 2.3+): {"vrrp":[the same array]} plus, per instance and at the top, the
/// tracked processes.
/// </summary>
internal static class JsonFormat
{
    public static string Format(DumpSnapshot snapshot, int version)
    {
        var w = new Writer();
        if (version == 2)
        {
            w.StartObject();
            w.Name("vrrp");
        }
        w.StartArray();
        foreach (InstanceSnapshot instance in snapshot.Instances)
        {
            w.StartObject();
            Data(w, instance, version);
            Stats(w, instance.Statistics);
            w.EndObject();
        }
        w.EndArray();
        if (version == 2)
        {
            var processes = snapshot.Instances.SelectMany(i => i.Trackers).Where(t => t.Kind == TrackerKind.Process)
                .DistinctBy(t => t.Name).ToArray();
            if (processes.Length > 0)
            {
                w.Name("track_process");
                w.StartArray();
                foreach (TrackerSnapshot p in processes)
                {
                    w.StartObject();
                    w.Field("process", p.Name);
                    w.Field("have_quorum", p.Status == TrackerStatus.Up);
                    w.EndObject();
                }
                w.EndArray();
            }
            w.EndObject();
        }
        return w.ToString() + "\n";
    }

    /// <summary>keepalived's numbers for its states (vrrp.h VRRP_STATE_*).</summary>
    public static int StateNumber(VrrpState state) => state switch
    {
        VrrpState.Backup => 1,
        VrrpState.Master => 2,
        VrrpState.Fault => 3,
        _ => 0,
    };

    private static void Data(Writer w, InstanceSnapshot v, int version)
    {
        w.Name("data");
        w.StartObject();
        w.Field("iname", v.Name);
        w.Field("dont_track_primary", v.DontTrackPrimary ? 1 : 0);
        w.Field("skip_check_adv_addr", v.SkipCheckAdvertAddresses ? 1 : 0);
        w.Field("strict_mode", v.StrictMode ? 1 : 0);
        w.Field("vmac_ifname", v.VmacInterface ?? "");
        w.Field("ifp_ifname", v.VmacInterface ?? v.Interface);
        w.Field("master_priority", 0);
        w.RawField("last_transition", ((v.LastTransition.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 1e7).ToString("F6", CultureInfo.InvariantCulture));
        w.Field("garp_delay", v.GarpDelay.TotalSeconds);
        w.Field("garp_refresh", (long)v.GarpRefresh.TotalSeconds);
        w.Field("garp_rep", v.GarpRepeat);
        w.Field("garp_refresh_rep", v.GarpRefreshRepeat);
        w.Field("garp_lower_prio_delay", (long)v.GarpLowerPrioDelay.TotalSeconds);
        w.Field("garp_lower_prio_rep", v.GarpLowerPrioRepeat);
        w.Field("lower_prio_no_advert", v.LowerPrioNoAdvert ? 1 : 0);
        w.Field("higher_prio_send_advert", v.HigherPrioSendAdvert ? 1 : 0);
        w.Field("vrid", v.VirtualRouterId);
        w.Field("base_priority", v.BasePriority);
        w.Field("effective_priority", v.EffectivePriority);
        w.Field("vipset", v.AddressesInstalled);
        w.Field("promote_secondaries", false);
        w.Field("adver_int", v.AdvertInterval.TotalSeconds);
        w.Field("master_adver_int", v.MasterAdvertInterval.TotalSeconds);
        w.Field("accept", v.Accept ? 1 : 0);
        w.Field("nopreempt", v.NoPreempt);
        w.Field("preempt_delay", (long)v.PreemptDelay.TotalSeconds);
        w.Field("state", StateNumber(v.State));
        w.Field("wantstate", StateNumber(v.State));
        w.Field("version", v.Version);
        w.Field("smtp_alert", false);
        w.Field("notify_deleted", false);
        foreach ((string kind, string command) in v.NotifyScripts)
        {
            string name = kind switch
            {
                "Backup" => "script_backup",
                "Master" => "script_master",
                "Fault" => "script_fault",
                "Stop" => "script_stop",
                _ => "script",
            };
            w.Field(name, CommandText(command));
        }
        Array(w, "vips", v.Addresses.Where(a => !a.Excluded).Select(a => a.Text));
        Array(w, "evips", v.Addresses.Where(a => a.Excluded).Select(a => a.Text));
        Array(w, "track_ifp", v.Trackers.Where(t => t.Kind == TrackerKind.Interface).Select(t => t.Name));
        Array(w, "track_script", v.TrackScriptCommands.Select(CommandText));
        if (version == 2)
            Array(w, "track_process", v.Trackers.Where(t => t.Kind == TrackerKind.Process).Select(t => t.Name));
        if (v.Version == 2)
        {
            w.Field("auth_type", v.AuthType);
            if (v.AuthType != 0)
                w.Field("auth_data", v.Password ?? "");
        }
        w.EndObject();
    }

    private static void Stats(Writer w, StatisticsSnapshot s)
    {
        w.Name("stats");
        w.StartObject();
        w.Field("advert_rcvd", s.AdvertisementsReceived);
        w.Field("advert_sent", s.AdvertisementsSent);
        w.Field("become_master", s.BecameMaster);
        w.Field("release_master", s.ReleasedMaster);
        w.Field("packet_len_err", s.PacketLengthErrors);
        w.Field("advert_interval_err", s.AdvertisementIntervalErrors);
        w.Field("ip_ttl_err", s.TtlErrors);
        w.Field("invalid_type_rcvd", s.InvalidType);
        w.Field("addr_list_err", s.AddressListErrors);
        w.Field("invalid_authtype", s.InvalidAuthenticationType);
        w.Field("authtype_mismatch", s.AuthenticationTypeMismatch);
        w.Field("auth_failure", s.AuthenticationFailure);
        w.Field("pri_zero_rcvd", s.PriorityZeroReceived);
        w.Field("pri_zero_sent", s.PriorityZeroSent);
        w.EndObject();
    }

    /// <summary>keepalived's vrrp_json_array_dump: an empty list is left out.</summary>
    private static void Array(Writer w, string name, IEnumerable<string> values)
    {
        string[] items = [.. values];
        if (items.Length == 0)
            return;
        w.Name(name);
        w.StartArray();
        foreach (string item in items)
            w.Value(item);
        w.EndArray();
    }

    /// <summary>keepalived's cmd_str: each word in single quotes, space separated (a leading '&lt;' or '&gt;' word unquoted).</summary>
    public static string CommandText(string script)
    {
        if (!ScriptCommandLine.TrySplit(script, out List<string> words, out _) || words.Count == 0)
            return script;
        var text = new StringBuilder();
        for (int i = 0; i < words.Count; i++)
        {
            if (i > 0)
                text.Append(' ');
            bool quote = i > 0 || words[i] is not ['<', ..] and not ['>', ..];
            if (quote)
                text.Append('\'');
            text.Append(words[i]);
            if (quote)
                text.Append('\'');
        }
        return text.ToString();
    }

    /// <summary>keepalived's json_writer.c, compact: a comma before every member but the first of a container.</summary>
    private sealed class Writer
    {
        private readonly StringBuilder _text = new();
        private bool _first = true;

        public void StartObject() { Separator(); _text.Append('{'); _first = true; }
        public void EndObject() { _text.Append('}'); _first = false; }
        public void StartArray() { Separator(); _text.Append('['); _first = true; }
        public void EndArray() { _text.Append(']'); _first = false; }

        public void Name(string name)
        {
            Separator();
            String(name);
            _text.Append(':');
            _first = true; // the value that follows takes no comma
        }

        public void Value(string value) { Separator(); String(value); }

        public void Field(string name, string value) { Name(name); Value(value); }
        public void Field(string name, long value) => RawField(name, value.ToString(CultureInfo.InvariantCulture));
        public void Field(string name, bool value) => RawField(name, value ? "true" : "false");
        /// <summary>jsonw_float_field: printf's %g.</summary>
        public void Field(string name, double value) => RawField(name, value.ToString("G6", CultureInfo.InvariantCulture));

        public void RawField(string name, string raw)
        {
            Name(name);
            _text.Append(raw);
            _first = false;
        }

        public override string ToString() => _text.ToString();

        private void Separator()
        {
            if (!_first)
                _text.Append(',');
            _first = false;
        }

        /// <summary>jsonw_puts' escapes (a backslash as "\\": keepalived writes "\n" for it, a bug not copied).</summary>
        private void String(string value)
        {
            _text.Append('"');
            foreach (char c in value)
            {
                _text.Append(c switch
                {
                    '\t' => "\\t",
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\f' => "\\f",
                    '\b' => "\\b",
                    '\\' => "\\\\",
                    '"' => "\\\"",
                    '/' => "\\/",
                    _ => c.ToString(),
                });
            }
            _text.Append('"');
        }
    }
}
