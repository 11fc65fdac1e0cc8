using KeepSharp.Tests.Simulation;
using KeepSharp.Vrrp.StateMachine;

namespace KeepSharp.Tests.Vrrp;

public enum ActionKind
{
    Advert,
    AddAddresses,
    RemoveAddresses,
    Garp,
    State,
    Priority,
    LowerPriority,
}

/// <summary>One call the router made, stamped with the virtual time.</summary>
public readonly record struct RecordedAction(
    long Time,
    string Router,
    ActionKind Kind,
    int Value = 0,
    VrrpState From = default,
    VrrpState To = default,
    VrrpTransitionReason Reason = default)
{
    public override string ToString() => Kind switch
    {
        ActionKind.Advert => $"{Time} {Router} advert prio={Value}",
        ActionKind.Garp => $"{Time} {Router} garp x{Value}",
        ActionKind.State => $"{Time} {Router} {From}->{To} ({Reason})",
        ActionKind.Priority => $"{Time} {Router} priority {Value}",
        ActionKind.LowerPriority => $"{Time} {Router} lower priority advert {Value}",
        _ => $"{Time} {Router} {Kind}",
    };
}

/// <summary>An <see cref="IVrrpRouterActions"/> that records every call with its virtual timestamp.</summary>
public sealed class RecordingActions(VirtualTimeProvider time) : IVrrpRouterActions
{
    public List<RecordedAction> Calls { get; } = [];

    public void SendAdvertisement(VrrpRouter router, byte priority) =>
        Calls.Add(new(time.Now, router.Name, ActionKind.Advert, priority));

    public void AddVirtualAddresses(VrrpRouter router) =>
        Calls.Add(new(time.Now, router.Name, ActionKind.AddAddresses));

    public void RemoveVirtualAddresses(VrrpRouter router) =>
        Calls.Add(new(time.Now, router.Name, ActionKind.RemoveAddresses));

    public void SendGratuitousAnnouncements(VrrpRouter router, int repeat) =>
        Calls.Add(new(time.Now, router.Name, ActionKind.Garp, repeat));

    public void StateChanged(VrrpRouter router, VrrpState from, VrrpState to, VrrpTransitionReason reason) =>
        Calls.Add(new(time.Now, router.Name, ActionKind.State, 0, from, to, reason));

    public void PriorityChanged(VrrpRouter router, byte from, byte to) =>
        Calls.Add(new(time.Now, router.Name, ActionKind.Priority, to));

    public void MasterReceivedLowerPriority(VrrpRouter router, KeepSharp.Vrrp.VrrpAddress source, byte priority) =>
        Calls.Add(new(time.Now, router.Name, ActionKind.LowerPriority, priority));

    public void Clear() => Calls.Clear();

    public IEnumerable<RecordedAction> Of(ActionKind kind) => Calls.Where(c => c.Kind == kind);
}
