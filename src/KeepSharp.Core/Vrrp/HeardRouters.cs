using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Vrrp;

/// <summary>One router heard on the wire for a VRID: its last advertisement and what became of it.</summary>
/// <param name="Source">The advert's source address (the sender's primary address).</param>
/// <param name="Version">VRRP version of the last advert (2 or 3).</param>
/// <param name="Priority">The advertised priority (0: it resigned).</param>
/// <param name="IntervalCentiseconds">The advertised interval, in centiseconds.</param>
/// <param name="AddressCount">How many virtual addresses the advert carried.</param>
/// <param name="Adverts">Adverts heard from it since it entered the table.</param>
/// <param name="LastDrop">Why its last advert was dropped; <see cref="VrrpDropReason.None"/> when it was accepted.</param>
/// <param name="FirstHeard">Timestamp (of the router's clock) of the first advert since it entered the table.</param>
/// <param name="LastHeard">Timestamp (of the router's clock) of the last advert.</param>
public readonly record struct HeardRouter(
    VrrpAddress Source,
    byte Version,
    byte Priority,
    int IntervalCentiseconds,
    int AddressCount,
    long Adverts,
    VrrpDropReason LastDrop,
    long FirstHeard,
    long LastHeard);

/// <summary>
/// The routers heard on the wire for one virtual router: a fixed table of the last <see cref="Capacity"/> distinct
/// sources, kept by the receive path. Adverts that a transport check or the router dropped are recorded too (with the
/// reason): a peer with the wrong password or interval is exactly the one an operator looks for. When the table is
/// full a new source takes the place of the one heard least recently. Recording allocates nothing; the table is
/// read (copied) on the loop's thread like the router itself.
/// </summary>
public sealed class HeardRouters
{
    /// <summary>How many distinct sources are kept per virtual router.</summary>
    public const int Capacity = 8;

    private readonly HeardRouter[] _entries;
    private readonly TimeProvider _time;
    private int _count;

    public HeardRouters(TimeProvider time, int capacity = Capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = time;
        _entries = new HeardRouter[capacity];
    }

    /// <summary>Sources in the table.</summary>
    public int Count => _count;

    /// <summary>Sources that took the place of another because the table was full.</summary>
    public long Replaced { get; private set; }

    /// <summary>The clock <see cref="HeardRouter.LastHeard"/> is in.</summary>
    public TimeProvider Time => _time;

    /// <summary>The entry at <paramref name="index"/> (0 .. <see cref="Count"/>-1), in no particular order.</summary>
    public HeardRouter this[int index] => index < _count ? _entries[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Records an advert that got as far as its VRID; our own looped-back adverts are left out.</summary>
    public void Record(in VrrpAdvertisement advertisement, VrrpDropReason outcome) =>
        Record(advertisement.Source, (byte)advertisement.Version, advertisement.Priority, advertisement.AdvertisementIntervalCentiseconds,
            advertisement.AddressCount, outcome, _time.GetTimestamp());

    /// <summary>Records one advert heard at <paramref name="timestamp"/>.</summary>
    public void Record(VrrpAddress source, byte version, byte priority, int intervalCentiseconds, int addressCount, VrrpDropReason outcome, long timestamp)
    {
        if (outcome == VrrpDropReason.OwnPacket)
            return;
        int slot = -1;
        for (int i = 0; i < _count; i++)
        {
            if (_entries[i].Source.Equals(source))
            {
                slot = i;
                break;
            }
        }
        long adverts = 1;
        long first = timestamp;
        if (slot >= 0)
        {
            adverts = _entries[slot].Adverts + 1;
            first = _entries[slot].FirstHeard;
        }
        else if (_count < _entries.Length)
        {
            slot = _count++;
        }
        else
        {
            slot = 0;
            for (int i = 1; i < _count; i++)
            {
                if (_entries[i].LastHeard < _entries[slot].LastHeard)
                    slot = i;
            }
            Replaced++;
        }
        _entries[slot] = new HeardRouter(source, version, priority, intervalCentiseconds, addressCount, adverts, outcome, first, timestamp);
    }

    /// <summary>Empties the table.</summary>
    public void Clear()
    {
        Array.Clear(_entries);
        _count = 0;
        Replaced = 0;
    }
}
