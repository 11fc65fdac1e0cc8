using KeepSharp.Linux;

namespace KeepSharp.Daemon.Runtime.Loop;

/// <summary>
/// Descriptors that components watch for readability through the loop's <see cref="Poller"/> (which reuses
/// freed slots). The watcher owns the descriptor: it must dispose its watch before closing it. Loop thread only.
/// </summary>
internal sealed class ReadableWatches
{
    private readonly Poller _poller;
    private readonly List<ReadableWatch?> _bySlot = [];

    public ReadableWatches(Poller poller) => _poller = poller;

    /// <summary>Watches currently registered.</summary>
    public int Count { get; private set; }

    public ReadableWatch Watch(int fd, Action callback)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fd);
        ArgumentNullException.ThrowIfNull(callback);
        int slot = _poller.Register(fd);
        while (_bySlot.Count <= slot)
            _bySlot.Add(null);
        var watch = new ReadableWatch(this, slot, fd, callback);
        _bySlot[slot] = watch;
        Count++;
        return watch;
    }

    /// <summary>
    /// Calls back every watch whose descriptor the last poll found readable (or hung up, or in error: a read then
    /// reports the condition). A watch disposed by an earlier callback in the same pass is skipped; one
    /// registered in the same pass is not called before the next poll.
    /// </summary>
    public void Dispatch()
    {
        int count = _bySlot.Count;
        for (int slot = 0; slot < count; slot++)
        {
            ReadableWatch? watch = _bySlot[slot];
            if (watch is not null && (_poller.IsReadable(slot) || _poller.HasError(slot)))
                watch.Callback();
        }
    }

    internal void Remove(ReadableWatch watch)
    {
        if (watch.Slot < _bySlot.Count && ReferenceEquals(_bySlot[watch.Slot], watch))
        {
            _poller.Unregister(watch.Slot);
            _bySlot[watch.Slot] = null;
            Count--;
        }
    }
}

/// <summary>One watched descriptor; <see cref="Dispose"/> stops the callbacks (the descriptor stays open).</summary>
internal sealed class ReadableWatch : IDisposable
{
    private readonly ReadableWatches _owner;

    internal ReadableWatch(ReadableWatches owner, int slot, int fd, Action callback)
    {
        _owner = owner;
        Slot = slot;
        Fd = fd;
        Callback = callback;
    }

    public int Fd { get; }

    internal int Slot { get; }

    internal Action Callback { get; }

    public void Dispose() => _owner.Remove(this);
}
