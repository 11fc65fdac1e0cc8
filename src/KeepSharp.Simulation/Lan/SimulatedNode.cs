using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Simulation;

/// <summary>One router on the simulated LAN.</summary>
public sealed class SimulatedNode
{
    internal SimulatedNode(int index, VrrpRouter router, VrrpTransportSettings transport, string host)
    {
        Index = index;
        Router = router;
        Transport = transport;
        Host = host;
        Receiver = new VrrpReceiver();
        Receiver.Add(router, transport);
        Writer = new VrrpDatagramWriter(router.Settings, transport);
    }

    public int Index { get; }
    public VrrpRouter Router { get; }

    /// <summary>How the node's adverts travel (multicast group, or unicast peers) and what its receive path accepts.</summary>
    public VrrpTransportSettings Transport { get; }

    /// <summary>The host the node runs on: nodes of one host share its address and go down together.</summary>
    public string Host { get; }

    /// <summary>The production receive path of the node's interface: every delivered datagram goes through it.</summary>
    public VrrpReceiver Receiver { get; }

    /// <summary>The production datagram writer: the node's adverts are the bytes the daemon would send.</summary>
    public VrrpDatagramWriter Writer { get; }
    public string Name => Router.Name;
    public byte Priority => Router.Priority;
    public VrrpAddress Address => Router.Settings.PrimaryAddress;
    public VrrpState State => Router.State;

    /// <summary>Which partition the node is in; nodes hear each other only within one partition.</summary>
    public int Partition { get; internal set; }

    /// <summary>False while its interface is down or it is shut down: it neither sends nor receives.</summary>
    public bool Attached { get; internal set; } = true;

    public bool HoldsAddresses { get; internal set; }

    /// <summary>(time, holds) each time the node added or removed the virtual addresses.</summary>
    public List<(long Time, bool Holds)> AddressHistory { get; } = [];

    /// <summary>Every advertisement handed to the router: (time, sender, priority).</summary>
    public List<(long Time, SimulatedNode From, byte Priority)> Received { get; } = [];

    /// <summary>Every transition: (time, from, to, reason).</summary>
    public List<(long Time, VrrpState From, VrrpState To, VrrpTransitionReason Reason)> Transitions { get; } = [];

    /// <summary>Adverts of its virtual router that the receive path dropped: (time, sender, reason). Only kept when the LAN is not strict.</summary>
    public List<(long Time, SimulatedNode From, VrrpDropReason Reason)> Drops { get; } = [];

    internal ushort NextIdentification;

    public override string ToString() => $"{Name}(p{Priority},{Address},{State})";
}
