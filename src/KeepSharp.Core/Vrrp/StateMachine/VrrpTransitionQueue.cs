namespace KeepSharp.Vrrp.StateMachine;

/// <summary>
/// Defers what observers hear about routers until the outermost router call has returned.
/// <see cref="IVrrpRouterActions"/> must not call back into a router; an <c>vrrp_sync_group</c> has to
/// command the other members when one of them changes state. So each router entry point
/// (<see cref="VrrpRouter.OnTimer"/>, <see cref="VrrpRouter.ReceiveAdvertisement"/>, commands) enters this
/// queue, routers publish their events into it, and when the outermost call exits the queue drains:
/// every event goes to every <see cref="IVrrpRouterObserver"/>, in the order raised. Commands an observer
/// gives during the drain raise further events, appended and delivered by the same drain (keepalived's
/// <c>vrrp_sync_master</c> then notifies the group after all members have moved).
/// Routers that may affect each other (one sync group, or simply all of a daemon's) share one queue.
/// Single-threaded, like the event loop that owns it.
/// </summary>
public sealed class VrrpTransitionQueue
{
    private readonly Queue<VrrpRouterEvent> _pending = new();
    private readonly List<IVrrpRouterObserver> _observers = [];
    private int _depth;

    /// <summary>Adds an observer; it hears events raised from now on.</summary>
    public void Subscribe(IVrrpRouterObserver observer) => _observers.Add(observer);

    /// <summary>Removes an observer (a sync group dissolved at reload); it hears nothing more.</summary>
    public void Unsubscribe(IVrrpRouterObserver observer) => _observers.Remove(observer);

    /// <summary>True while a router call or a drain is under way.</summary>
    public bool IsBusy => _depth > 0;

    internal void Enter() => _depth++;

    internal void Exit()
    {
        try
        {
            if (_depth == 1 && _pending.Count > 0)
                Drain();
        }
        finally
        {
            _depth--;
        }
    }

    internal void Publish(in VrrpRouterEvent routerEvent)
    {
        if (_observers.Count > 0)
            _pending.Enqueue(routerEvent);
    }

    private void Drain()
    {
        // Still at depth 1: calls made by observers enter and exit without draining again.
        while (_pending.TryDequeue(out VrrpRouterEvent routerEvent))
        {
            foreach (IVrrpRouterObserver observer in _observers)
                observer.OnRouterEvent(routerEvent);
        }
    }
}
