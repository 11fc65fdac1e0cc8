namespace KeepSharp.Vrrp.StateMachine;

/// <summary>What a <see cref="VrrpRouterEvent"/> reports.</summary>
public enum VrrpRouterEventKind : byte
{
    /// <summary>The router moved from <see cref="VrrpRouterEvent.From"/> to <see cref="VrrpRouterEvent.To"/>.</summary>
    StateChanged,
    /// <summary>The router's <see cref="VrrpRouter.FaultReasons"/> changed (with or without a transition).</summary>
    FaultReasonsChanged,
}

/// <summary>
/// One thing that happened inside a router, delivered to <see cref="IVrrpRouterObserver"/>s by the
/// <see cref="VrrpTransitionQueue"/> after the router's entry point has returned.
/// </summary>
public readonly record struct VrrpRouterEvent(
    VrrpRouter Router,
    VrrpRouterEventKind Kind,
    VrrpState From,
    VrrpState To,
    VrrpTransitionReason Reason);

/// <summary>
/// Reacts to what routers did (a <c>vrrp_sync_group</c> does). Called only from
/// <see cref="VrrpTransitionQueue"/>'s drain, never from inside a router's transition, so it may command
/// any router, including the one that raised the event.
/// </summary>
public interface IVrrpRouterObserver
{
    void OnRouterEvent(in VrrpRouterEvent routerEvent);
}
