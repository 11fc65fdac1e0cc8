using KeepSharp.Daemon.Logging;
using KeepSharp.Daemon.Runtime.Loop;

namespace KeepSharp.Daemon.Runtime.Announcements;

/// <summary>
/// Sends one instance's bursts of gratuitous ARPs and unsolicited NAs (keepalived's vrrp_send_link_update): each
/// address <c>repeat</c> times, at once when <c>garp_interval</c> / <c>gna_interval</c> is 0 (the default), otherwise
/// one announcement of that family per interval, queued on the event loop's timers (keepalived's per-interface
/// garp_delay). A new burst replaces what is left of the previous one: the addresses are the same, only the count
/// of repeats changes. On the loop, a burst starts once the loop's current pass has sent its adverts.
/// </summary>
internal sealed class AnnouncementPacer(string instance, TimeSpan garpInterval, TimeSpan gnaInterval, Log log)
{
    private readonly Queue<VirtualAddressBinding> _arp = new();
    private readonly Queue<VirtualAddressBinding> _na = new();
    private IDisposable? _arpTimer;
    private IDisposable? _naTimer;
    private IDisposable? _burst;

    public TimeSpan GarpInterval => garpInterval;

    public TimeSpan GnaInterval => gnaInterval;

    /// <summary>The loop whose timers pace the announcements (needed only with a non-zero interval).</summary>
    public ILoopServices? Loop { get; set; }

    public void Announce(IReadOnlyList<VirtualAddressBinding> addresses, int repeat)
    {
        Stop();
        if (Loop is { } loop)
        {
            // After the loop's pass: the adverts of every router that ran in it (all that became master together at
            // startup, say) leave first, in their sendmmsg, and only then the bursts, which on a busy segment cost far
            // more (each frame is flooded to every host and processed there). Still before the loop sleeps again.
            _burst = loop.ScheduleAt(loop.Time.GetTimestamp(), () =>
            {
                _burst = null;
                Burst(addresses, repeat);
            });
            return;
        }
        Burst(addresses, repeat);
    }

    private void Burst(IReadOnlyList<VirtualAddressBinding> addresses, int repeat)
    {
        if (log.IsDetailEnabled) // with 1,000 addresses a burst is 5,000 frames: no message unless -D asked for them
        {
            for (int a = 0; a < addresses.Count; a++)
            {
                if (addresses[a].Announcer is { } announcer)
                    log.Detail($"({instance}) Sending/queueing {announcer.Kind}s on {addresses[a].InterfaceName} for {addresses[a].Address}");
            }
        }
        // keepalived's vrrp_send_link_update: every address once, then every address again, repeat times; so the last
        // address is announced after one frame per address, not after repeat frames per address.
        for (int i = 0; i < repeat; i++)
        {
            int a = 0;
            while (a < addresses.Count) // indexed: a foreach over the interface would allocate its enumerator
            {
                VirtualAddressBinding vip = addresses[a];
                if (vip.Announcer is not { } announcer)
                {
                    a++;
                    continue;
                }
                bool ipv6 = vip.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
                TimeSpan interval = ipv6 ? gnaInterval : garpInterval;
                if (interval > TimeSpan.Zero && Loop is not null)
                {
                    (ipv6 ? _na : _arp).Enqueue(vip);
                    a++;
                    continue;
                }
                // Unpaced: the addresses that follow on the same announcer go out together (sendmmsg for ARP).
                int end = a + 1;
                while (end < addresses.Count && ReferenceEquals(addresses[end].Announcer, announcer))
                    end++;
                SendRun(addresses, a, end);
                a = end;
            }
        }
        Pump(_arp, garpInterval, ref _arpTimer);
        Pump(_na, gnaInterval, ref _naTimer);
    }

    /// <summary>Drops what is still queued (the instance left MASTER or shuts down).</summary>
    public void Stop()
    {
        _burst?.Dispose();
        _burst = null;
        _arp.Clear();
        _na.Clear();
        _arpTimer?.Dispose();
        _naTimer?.Dispose();
        _arpTimer = _naTimer = null;
    }

    private void Pump(Queue<VirtualAddressBinding> queue, TimeSpan interval, ref IDisposable? timer)
    {
        if (timer is not null || !queue.TryDequeue(out VirtualAddressBinding? vip))
            return;
        Send(vip);
        if (queue.Count == 0 || Loop is not { } loop)
            return;
        long due = loop.Time.GetTimestamp() + (long)(interval.TotalSeconds * loop.Time.TimestampFrequency);
        bool ipv6 = ReferenceEquals(queue, _na);
        timer = loop.ScheduleAt(due, () =>
        {
            if (ipv6)
            {
                _naTimer = null;
                Pump(_na, gnaInterval, ref _naTimer);
            }
            else
            {
                _arpTimer = null;
                Pump(_arp, garpInterval, ref _arpTimer);
            }
        });
    }

    private void SendRun(IReadOnlyList<VirtualAddressBinding> addresses, int start, int end)
    {
        AddressAnnouncer announcer = addresses[start].Announcer!;
        int i = start;
        while (i < end)
        {
            int failed = announcer.SendMany(addresses, i, end);
            if (log.IsDetailEnabled)
            {
                for (int k = i; k < failed; k++)
                    log.Detail($"Sending {announcer.Kind} on {addresses[k].InterfaceName} for {addresses[k].Address}");
            }
            if (failed >= end)
                break;
            log.Warning($"({instance}) cannot send {announcer.Kind} on {addresses[failed].InterfaceName} for {addresses[failed].Address}");
            i = failed + 1;
        }
    }

    private void Send(VirtualAddressBinding vip)
    {
        AddressAnnouncer announcer = vip.Announcer!;
        if (announcer.Send(vip.Address))
        {
            if (log.IsDetailEnabled)
                log.Detail($"Sending {announcer.Kind} on {vip.InterfaceName} for {vip.Address}");
        }
        else
            log.Warning($"({instance}) cannot send {announcer.Kind} on {vip.InterfaceName} for {vip.Address}");
    }
}
