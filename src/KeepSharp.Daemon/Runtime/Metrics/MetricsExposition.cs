using System.Globalization;
using KeepSharp.Daemon.Runtime.Control;

namespace KeepSharp.Daemon.Runtime.Metrics;

/// <summary>
/// <c>/metrics</c>: the <see cref="StatusReport"/> as Prometheus metrics. Every instance series carries
/// <c>vrrp_instance</c> (the vrrp_instance name: Prometheus keeps <c>instance</c> for the scraped target), <c>vrid</c>, <c>interface</c> and <c>family</c>. The names are the ones the
/// README lists and packaging/grafana/keepsharp-dashboard.json uses.
/// </summary>
internal static class MetricsExposition
{
    public static string Format(StatusReport r)
    {
        var t = new PrometheusText();
        t.Family("keepsharp_build_info", "gauge", "KeepSharp's version (value 1).")
            .Sample("keepsharp_build_info", 1, ("version", r.Version));
        if (r.RouterId is not null)
        {
            t.Family("keepsharp_router_info", "gauge", "global_defs router_id (value 1).")
                .Sample("keepsharp_router_info", 1, ("router_id", r.RouterId));
        }

        Instances(t, "keepsharp_vrrp_state", "gauge", "1 for the state the instance is in, 0 for the others (INIT, BACKUP, MASTER, FAULT).", r,
            (i, emit) =>
            {
                foreach (string state in StatusReport.StateNames)
                    emit(i.State == state ? 1 : 0, [("state", state)]);
            });
        Instances(t, "keepsharp_vrrp_base_priority", "gauge", "Configured priority (as keepalived lowers it after an owner conflict).", r,
            (i, emit) => emit(i.BasePriority, []));
        Instances(t, "keepsharp_vrrp_effective_priority", "gauge", "Priority advertised now: base plus tracker weights.", r,
            (i, emit) => emit(i.EffectivePriority, []));
        Instances(t, "keepsharp_vrrp_advert_interval_seconds", "gauge", "Configured advertisement interval.", r,
            (i, emit) => emit(i.AdvertIntervalSeconds, []));
        Instances(t, "keepsharp_vrrp_addresses_installed", "gauge", "1 while the instance's virtual addresses are on the interfaces.", r,
            (i, emit) => emit(i.AddressesInstalled ? 1 : 0, []));
        Instances(t, "keepsharp_vrrp_last_transition_timestamp_seconds", "gauge", "Unix time of the last state change.", r,
            (i, emit) =>
            {
                if (i.LastTransition is { } last)
                    emit(last.At.ToUnixTimeMilliseconds() / 1000.0, []);
            });
        Instances(t, "keepsharp_vrrp_transitions_total", "counter", "State changes, by the state entered.", r,
            (i, emit) =>
            {
                for (int s = 0; s < StatusReport.StateNames.Length && s < i.Counters.TransitionsTo.Count; s++)
                    emit(i.Counters.TransitionsTo[s], [("to", StatusReport.StateNames[s])]);
            });
        Instances(t, "keepsharp_vrrp_became_master_total", "counter", "Times the instance became master.", r,
            (i, emit) => emit(i.Counters.BecameMaster, []));
        Instances(t, "keepsharp_vrrp_released_master_total", "counter", "Times the instance left the master state.", r,
            (i, emit) => emit(i.Counters.ReleasedMaster, []));
        Instances(t, "keepsharp_vrrp_adverts_sent_total", "counter", "Advertisements sent.", r,
            (i, emit) => emit(i.Counters.AdvertsSent, []));
        Instances(t, "keepsharp_vrrp_adverts_received_total", "counter", "Advertisements received and accepted.", r,
            (i, emit) => emit(i.Counters.AdvertsReceived, []));
        Instances(t, "keepsharp_vrrp_priority_zero_sent_total", "counter", "Priority 0 (resignation) advertisements sent.", r,
            (i, emit) => emit(i.Counters.PriorityZeroSent, []));
        Instances(t, "keepsharp_vrrp_priority_zero_received_total", "counter", "Priority 0 (resignation) advertisements received.", r,
            (i, emit) => emit(i.Counters.PriorityZeroReceived, []));
        Instances(t, "keepsharp_vrrp_adverts_dropped_total", "counter", "Advertisements for the instance's VRID dropped, by reason.", r,
            (i, emit) =>
            {
                foreach (DropCount d in i.Counters.Drops)
                    emit(d.Count, [("reason", d.Reason)]);
            });
        Instances(t, "keepsharp_vrrp_tracker_result", "gauge", "Tracker results: 1 OK, 0 failing, -1 not known yet.", r,
            (i, emit) =>
            {
                foreach (TrackerStatusEntry tr in i.Trackers)
                    emit(tr.Result switch { "OK" => 1, "FAILING" => 0, _ => -1 }, [("kind", tr.Kind), ("tracker", tr.Name)]);
            });
        Instances(t, "keepsharp_vrrp_heard_router_priority", "gauge", "Priority last advertised by each router heard for the VRID.", r,
            (i, emit) =>
            {
                foreach (HeardRouterStatus h in i.Heard)
                    emit(h.Priority, [("source", h.Address)]);
            });
        Instances(t, "keepsharp_vrrp_heard_router_last_seen_seconds", "gauge", "Seconds since each router heard for the VRID last advertised.", r,
            (i, emit) =>
            {
                foreach (HeardRouterStatus h in i.Heard)
                    emit(Math.Round(h.AgeSeconds, 3), [("source", h.Address)]);
            });

        t.Family("keepsharp_interface_received_total", "counter", "VRRP packets read on each receive socket.");
        foreach (InterfaceStatus i in r.Interfaces)
            t.Sample("keepsharp_interface_received_total", i.Received, ("interface", i.Name));
        t.Family("keepsharp_interface_dropped_total", "counter", "Packets dropped on each receive socket before reaching an instance, by reason.");
        foreach (InterfaceStatus i in r.Interfaces)
            foreach (DropCount d in i.Drops)
                t.Sample("keepsharp_interface_dropped_total", d.Count, ("interface", i.Name), ("reason", d.Reason));

        t.Family("keepsharp_script_result", "gauge", "vrrp_script results: 1 OK, 0 failing, -1 not known yet.");
        foreach (ScriptStatus s in r.Scripts)
            t.Sample("keepsharp_script_result", s.Result switch { "OK" => 1, "FAILING" => 0, _ => -1 }, ("script", s.Name));
        t.Family("keepsharp_script_timeouts_total", "counter", "vrrp_script runs killed by their timeout.");
        foreach (ScriptStatus s in r.Scripts)
            t.Sample("keepsharp_script_timeouts_total", s.Timeouts, ("script", s.Name));
        t.Family("keepsharp_script_duration_seconds", "histogram", "How long vrrp_script runs took.");
        foreach (ScriptStatus s in r.Scripts)
        {
            for (int b = 0; b < ScriptDurations.Bounds.Length && b < s.DurationBuckets.Count; b++)
                t.Sample("keepsharp_script_duration_seconds_bucket", s.DurationBuckets[b],
                    ("script", s.Name), ("le", ScriptDurations.Bounds[b].ToString("R", CultureInfo.InvariantCulture)));
            t.Sample("keepsharp_script_duration_seconds_bucket", s.Runs, ("script", s.Name), ("le", "+Inf"));
            t.Sample("keepsharp_script_duration_seconds_sum", s.DurationSumSeconds, ("script", s.Name));
            t.Sample("keepsharp_script_duration_seconds_count", s.Runs, ("script", s.Name));
        }
        if (r.Process is { } p)
            Process(t, p);
        return t.ToString();
    }

    private delegate void Emit(double value, (string, string)[] labels);

    private static void Instances(PrometheusText t, string name, string type, string help, StatusReport r, Action<InstanceStatus, Emit> each)
    {
        t.Family(name, type, help);
        foreach (InstanceStatus i in r.Instances)
        {
            (string, string)[] common = [("vrrp_instance", i.Name), ("vrid", i.VirtualRouterId.ToString(CultureInfo.InvariantCulture)), ("interface", i.Interface), ("family", i.Family)];
            each(i, (value, labels) => t.Sample(name, value, [.. common, .. labels]));
        }
    }

    /// <summary>The daemon's footprint: the standard process_* names, and the managed heap under keepsharp_gc_*.</summary>
    private static void Process(PrometheusText t, ProcessStatus p)
    {
        if (p.ResidentBytes >= 0)
            t.Family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.").Sample("process_resident_memory_bytes", p.ResidentBytes);
        if (p.OpenFileDescriptors >= 0)
            t.Family("process_open_fds", "gauge", "Number of open file descriptors.").Sample("process_open_fds", p.OpenFileDescriptors);
        if (p.Threads >= 0)
            t.Family("process_threads", "gauge", "Number of OS threads in the process.").Sample("process_threads", p.Threads);
        t.Family("keepsharp_gc_heap_bytes", "gauge", "Managed heap size after the last garbage collection.").Sample("keepsharp_gc_heap_bytes", p.ManagedHeapBytes);
        t.Family("keepsharp_gc_committed_bytes", "gauge", "Memory the garbage collector has committed.").Sample("keepsharp_gc_committed_bytes", p.ManagedCommittedBytes);
        t.Family("keepsharp_gc_allocated_bytes_total", "counter", "Bytes allocated on the managed heap since start.").Sample("keepsharp_gc_allocated_bytes_total", p.AllocatedBytes);
        t.Family("keepsharp_gc_collections_total", "counter", "Garbage collections, by generation.");
        for (int g = 0; g < p.Collections.Count; g++)
            t.Sample("keepsharp_gc_collections_total", p.Collections[g], ("generation", g.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
