using System.Globalization;
using KeepSharp.Config;

namespace KeepSharp.Daemon.CommandLine;

/// <summary>
/// <c>-d</c>/<c>--dump-conf</c>: the configuration as loaded, in the headings, labels and indentation of keepalived's
/// dump (global_data.c dump_global_data, vrrp_data.c dump_vrrp, dump_vscript), one log line each. It shows the typed
/// model, so what keepalived's dump adds at run time (state, master router, timers) is the configured value here.
/// </summary>
internal static class ConfigDump
{
    public static IEnumerable<string> Lines(KeepalivedConfig config)
    {
        GlobalDefs g = config.GlobalDefs;
        yield return "------< Global definitions >------";
        yield return $" Router ID = {g.RouterId ?? Environment.MachineName}";
        yield return $" Default interface = {g.DefaultInterface ?? "eth0"}";
        yield return $" VRRP IPv4 mcast group = {g.VrrpMcastGroup4}";
        yield return $" VRRP IPv6 mcast group = {g.VrrpMcastGroup6}";
        yield return $" VRRP strict mode = {(g.VrrpStrict ? "true" : "false")}";
        yield return g.EnableScriptSecurity ? " Script security enabled" : " Script security disabled";
        if (config.VrrpInstances.Count > 0)
        {
            yield return "------< VRRP Topology >------";
        }

        foreach (VrrpInstance v in config.VrrpInstances)
        {
            yield return $" VRRP Instance = {v.Name}";
            yield return $"   VRRP Version = {v.Version}";
            if (v.SyncGroup is { } group)
                yield return $"   Sync group = {group}";
            if (v.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
                yield return "   Using Native IPv6";
            yield return $"   Wantstate = {(v.State == VrrpConfiguredState.Master ? "MASTER" : "BACKUP")}";
            yield return $"   Interface = {v.Interface}";
            if (v.UseVmac)
                yield return $"   Use VMAC, i/f name {v.VmacName ?? $"vrrp.{v.VirtualRouterId}"}";
            if ((v.UnicastSourceAddress ?? v.McastSourceAddress) is { } source)
                yield return $"   Using src_ip = {source} (from configuration)";
            yield return $"   Gratuitous ARP delay = {Seconds(v.GarpMasterDelay)}";
            yield return $"   Gratuitous ARP repeat = {v.GarpMasterRepeat}";
            yield return $"   Gratuitous ARP refresh = {Seconds(v.GarpMasterRefresh)}";
            yield return $"   Gratuitous ARP refresh repeat = {v.GarpMasterRefreshRepeat}";
            yield return $"   Virtual Router ID = {v.VirtualRouterId}";
            yield return $"   Priority = {v.Priority}";
            yield return v.Version == 2
                ? $"   Advert interval = {(int)v.AdvertInterval.TotalSeconds} sec"
                : $"   Advert interval = {(long)v.AdvertInterval.TotalMilliseconds} milli-sec";
            yield return $"   Accept = {(v.Accept ? "enabled" : "disabled")}";
            yield return $"   Preempt = {(v.NoPreempt ? "disabled" : "enabled")}";
            if (v.PreemptDelay > TimeSpan.Zero)
                yield return $"   Preempt delay = {v.PreemptDelay.TotalSeconds.ToString("G6", CultureInfo.InvariantCulture)} secs";
            if (v.Authentication is { } auth)
            {
                yield return $"   Authentication type = {(auth.Type == VrrpAuthType.Pass ? "SIMPLE_PASSWORD" : "IPSEC_AH")}";
                if (auth.Type == VrrpAuthType.Pass)
                    yield return $"   Password = {auth.Password}";
            }
            if (v.UnicastPeers.Count > 0)
            {
                yield return $"   Unicast TTL = {v.UnicastTtl}";
                yield return $"   Unicast Peers = {v.UnicastPeers.Count}";
                foreach (UnicastPeer peer in v.UnicastPeers)
                    yield return $"     {peer.Address}";
            }
            if (v.TrackScripts.Count > 0)
            {
                yield return $"   Tracked scripts = {v.TrackScripts.Count}";
                foreach (TrackScriptReference t in v.TrackScripts)
                    yield return $"     {t.Name}{(t.Weight is { } w ? $" weight {w}" : "")}";
            }
            yield return $"   Virtual IP ({v.VirtualIpAddresses.Count}):";
            foreach (VirtualIpAddress vip in v.VirtualIpAddresses)
                yield return $"     {Address(vip, v.Interface)}";
            if (v.VirtualIpAddressesExcluded.Count > 0)
            {
                yield return $"   Virtual IP Excluded ({v.VirtualIpAddressesExcluded.Count}):";
                foreach (VirtualIpAddress vip in v.VirtualIpAddressesExcluded)
                    yield return $"     {Address(vip, v.Interface)}";
            }
            if (v.VirtualRoutes.Count > 0)
                yield return $"   Virtual Routes ({v.VirtualRoutes.Count})";
            if (v.VirtualRules.Count > 0)
                yield return $"   Virtual Rules ({v.VirtualRules.Count})";
            foreach ((string kind, string? command) in new[] { ("Backup", v.NotifyBackup), ("Master", v.NotifyMaster), ("Fault", v.NotifyFault), ("Stop", v.NotifyStop), ("Generic", v.Notify) })
            {
                if (command is not null)
                    yield return $"   {kind} state transition script = {command}";
            }
        }

        if (config.VrrpScripts.Count > 0)
        {
            yield return "------< VRRP Scripts >------";
        }

        foreach (VrrpScript s in config.VrrpScripts)
        {
            yield return $" VRRP Script = {s.Name}";
            yield return $"   Command = {s.Script}";
            yield return $"   Interval = {(int)s.Interval.TotalSeconds} sec";
            yield return $"   Timeout = {(int)(s.Timeout ?? s.Interval).TotalSeconds} sec";
            yield return $"   Weight = {s.Weight}{(s.WeightReverse ? " reverse" : "")}";
            yield return $"   Rise = {s.Rise}";
            yield return $"   Fall = {s.Fall}";
        }
    }

    private static string Seconds(TimeSpan t) => $"{(long)t.TotalSeconds}";

    private static string Address(VirtualIpAddress vip, string instanceInterface)
    {
        string text = $"{vip.Address}/{vip.PrefixLength} dev {vip.Device ?? instanceInterface}";
        return vip.Label is { } label ? $"{text} label {label}" : text;
    }
}
