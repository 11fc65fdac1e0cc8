using System.Globalization;
using System.Text.Json;

namespace KeepSharp.Daemon.Runtime.Control;

/// <summary>
/// <see cref="StatusReport"/> as JSON (what the control socket sends and <c>keepsharp status --json</c> prints) and back.
/// Written with <see cref="Utf8JsonWriter"/> and read with <see cref="JsonDocument"/>: no reflection (Native AOT).
/// Names are snake_case; times ISO 8601 UTC; durations seconds.
/// </summary>
internal static class StatusJson
{
    public static void Write(Utf8JsonWriter w, StatusReport r)
    {
        w.WriteStartObject();
        w.WriteString("version", r.Version);
        WriteNullable(w, "router_id", r.RouterId);
        w.WriteNumber("pid", r.Pid);
        w.WriteString("taken_at", r.TakenAt.UtcDateTime);
        w.WriteStartArray("instances");
        foreach (InstanceStatus i in r.Instances)
            WriteInstance(w, i);
        w.WriteEndArray();
        w.WriteStartArray("interfaces");
        foreach (InterfaceStatus i in r.Interfaces)
        {
            w.WriteStartObject();
            w.WriteString("name", i.Name);
            w.WriteNumber("received", i.Received);
            WriteDrops(w, i.Drops);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("scripts");
        foreach (ScriptStatus s in r.Scripts)
        {
            w.WriteStartObject();
            w.WriteString("name", s.Name);
            w.WriteString("result", s.Result);
            w.WriteNumber("runs", s.Runs);
            w.WriteNumber("timeouts", s.Timeouts);
            WriteDouble(w, "last_duration_seconds", s.LastDurationSeconds);
            w.WriteNumber("duration_sum_seconds", s.DurationSumSeconds);
            w.WriteStartArray("duration_buckets");
            foreach (long n in s.DurationBuckets)
                w.WriteNumberValue(n);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (r.Process is { } p)
        {
            w.WriteStartObject("process");
            w.WriteNumber("resident_bytes", p.ResidentBytes);
            w.WriteNumber("threads", p.Threads);
            w.WriteNumber("open_fds", p.OpenFileDescriptors);
            w.WriteNumber("managed_heap_bytes", p.ManagedHeapBytes);
            w.WriteNumber("managed_committed_bytes", p.ManagedCommittedBytes);
            w.WriteNumber("allocated_bytes", p.AllocatedBytes);
            w.WriteStartArray("collections");
            foreach (int n in p.Collections)
                w.WriteNumberValue(n);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteInstance(Utf8JsonWriter w, InstanceStatus i)
    {
        w.WriteStartObject();
        w.WriteString("name", i.Name);
        w.WriteString("interface", i.Interface);
        w.WriteNumber("virtual_router_id", i.VirtualRouterId);
        w.WriteString("family", i.Family);
        w.WriteNumber("vrrp_version", i.VrrpVersion);
        w.WriteString("state", i.State);
        w.WriteNumber("base_priority", i.BasePriority);
        w.WriteNumber("effective_priority", i.EffectivePriority);
        WriteNullable(w, "master_address", i.MasterAddress);
        w.WriteString("source_address", i.SourceAddress);
        w.WriteNumber("advert_interval_seconds", i.AdvertIntervalSeconds);
        w.WriteStartArray("virtual_addresses");
        foreach (string a in i.VirtualAddresses)
            w.WriteStringValue(a);
        w.WriteEndArray();
        w.WriteBoolean("addresses_installed", i.AddressesInstalled);
        if (i.LastTransition is { } last)
        {
            w.WriteStartObject("last_transition");
            w.WriteString("from", last.From);
            w.WriteString("to", last.To);
            w.WriteString("reason", last.Reason);
            w.WriteString("at", last.At.UtcDateTime);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("last_transition");
        }
        w.WriteStartArray("trackers");
        foreach (TrackerStatusEntry t in i.Trackers)
        {
            w.WriteStartObject();
            w.WriteString("kind", t.Kind);
            w.WriteString("name", t.Name);
            w.WriteNumber("weight", t.Weight);
            w.WriteBoolean("reverse", t.Reverse);
            w.WriteString("result", t.Result);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        CounterStatus c = i.Counters;
        w.WriteStartObject("counters");
        w.WriteNumber("adverts_sent", c.AdvertsSent);
        w.WriteNumber("adverts_received", c.AdvertsReceived);
        w.WriteNumber("priority_zero_sent", c.PriorityZeroSent);
        w.WriteNumber("priority_zero_received", c.PriorityZeroReceived);
        w.WriteNumber("became_master", c.BecameMaster);
        w.WriteNumber("released_master", c.ReleasedMaster);
        w.WriteStartObject("transitions_to");
        for (int s = 0; s < StatusReport.StateNames.Length && s < c.TransitionsTo.Count; s++)
            w.WriteNumber(StatusReport.StateNames[s], c.TransitionsTo[s]);
        w.WriteEndObject();
        WriteDrops(w, c.Drops);
        w.WriteEndObject();
        w.WriteStartArray("heard");
        foreach (HeardRouterStatus h in i.Heard)
        {
            w.WriteStartObject();
            w.WriteString("address", h.Address);
            w.WriteNumber("version", h.Version);
            w.WriteNumber("priority", h.Priority);
            w.WriteNumber("advert_interval_seconds", h.IntervalSeconds);
            w.WriteNumber("adverts", h.Adverts);
            WriteNullable(w, "last_drop", h.LastDrop);
            w.WriteString("last_heard", h.LastHeard.UtcDateTime);
            w.WriteNumber("age_seconds", Math.Round(h.AgeSeconds, 3));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteDrops(Utf8JsonWriter w, IReadOnlyList<DropCount> drops)
    {
        w.WriteStartObject("drops");
        foreach (DropCount d in drops)
            w.WriteNumber(d.Reason, d.Count);
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
            w.WriteNull(name);
        else
            w.WriteString(name, value);
    }

    private static void WriteDouble(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
            w.WriteNumber(name, value);
        else
            w.WriteNull(name);
    }

    /// <summary>Reads what <see cref="Write"/> wrote. Throws <see cref="FormatException"/> on anything else.</summary>
    public static StatusReport Read(JsonElement e)
    {
        try
        {
            return new StatusReport(
                Str(e, "version"), NStr(e, "router_id"), e.GetProperty("pid").GetInt32(), Time(e, "taken_at"),
                [.. e.GetProperty("instances").EnumerateArray().Select(ReadInstance)],
                [.. e.GetProperty("interfaces").EnumerateArray().Select(i => new InterfaceStatus(Str(i, "name"), i.GetProperty("received").GetInt64(), ReadDrops(i)))],
                [.. e.GetProperty("scripts").EnumerateArray().Select(s => new ScriptStatus(Str(s, "name"), Str(s, "result"), s.GetProperty("runs").GetInt64(),
                    s.GetProperty("timeouts").GetInt64(), s.GetProperty("last_duration_seconds") is { ValueKind: JsonValueKind.Number } d ? d.GetDouble() : double.NaN,
                    s.GetProperty("duration_sum_seconds").GetDouble(), [.. s.GetProperty("duration_buckets").EnumerateArray().Select(b => b.GetInt64())]))],
                e.TryGetProperty("process", out JsonElement p) ? ReadProcess(p) : null);
        }
        catch (Exception x) when (x is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"not a KeepSharp status: {x.Message}", x);
        }
    }

    private static InstanceStatus ReadInstance(JsonElement i)
    {
        JsonElement c = i.GetProperty("counters");
        JsonElement to = c.GetProperty("transitions_to");
        JsonElement last = i.GetProperty("last_transition");
        return new InstanceStatus(
            Str(i, "name"), Str(i, "interface"), i.GetProperty("virtual_router_id").GetInt32(), Str(i, "family"), i.GetProperty("vrrp_version").GetInt32(),
            Str(i, "state"), i.GetProperty("base_priority").GetInt32(), i.GetProperty("effective_priority").GetInt32(), NStr(i, "master_address"),
            Str(i, "source_address"), i.GetProperty("advert_interval_seconds").GetDouble(),
            [.. i.GetProperty("virtual_addresses").EnumerateArray().Select(a => a.GetString() ?? "")],
            i.GetProperty("addresses_installed").GetBoolean(),
            last.ValueKind == JsonValueKind.Null ? null : new TransitionStatus(Str(last, "from"), Str(last, "to"), Str(last, "reason"), Time(last, "at")),
            [.. i.GetProperty("trackers").EnumerateArray().Select(t => new TrackerStatusEntry(Str(t, "kind"), Str(t, "name"), t.GetProperty("weight").GetInt32(),
                t.GetProperty("reverse").GetBoolean(), Str(t, "result")))],
            new CounterStatus(c.GetProperty("adverts_sent").GetInt64(), c.GetProperty("adverts_received").GetInt64(), c.GetProperty("priority_zero_sent").GetInt64(),
                c.GetProperty("priority_zero_received").GetInt64(), c.GetProperty("became_master").GetInt64(), c.GetProperty("released_master").GetInt64(),
                [.. StatusReport.StateNames.Select(s => to.TryGetProperty(s, out JsonElement n) ? n.GetInt64() : 0)], ReadDrops(c)),
            [.. i.GetProperty("heard").EnumerateArray().Select(h => new HeardRouterStatus(Str(h, "address"), h.GetProperty("version").GetInt32(),
                h.GetProperty("priority").GetInt32(), h.GetProperty("advert_interval_seconds").GetDouble(), h.GetProperty("adverts").GetInt64(),
                NStr(h, "last_drop"), Time(h, "last_heard"), h.GetProperty("age_seconds").GetDouble()))]);
    }

    private static ProcessStatus ReadProcess(JsonElement p) =>
        new(p.GetProperty("resident_bytes").GetInt64(), p.GetProperty("threads").GetInt32(), p.GetProperty("open_fds").GetInt32(),
            p.GetProperty("managed_heap_bytes").GetInt64(), p.GetProperty("managed_committed_bytes").GetInt64(), p.GetProperty("allocated_bytes").GetInt64(),
            [.. p.GetProperty("collections").EnumerateArray().Select(n => n.GetInt32())]);

    private static DropCount[] ReadDrops(JsonElement e) =>
        [.. e.GetProperty("drops").EnumerateObject().Select(p => new DropCount(p.Name, p.Value.GetInt64()))];

    private static string Str(JsonElement e, string name) => e.GetProperty(name).GetString() ?? throw new FormatException($"{name} is null");

    private static string? NStr(JsonElement e, string name) => e.GetProperty(name).GetString();

    private static DateTimeOffset Time(JsonElement e, string name) =>
        DateTimeOffset.Parse(Str(e, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
