using System.Net.Sockets;
using KeepSharp.Config;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Tracking;

namespace KeepSharp.Simulation.Cluster;

/// <summary>Where a member's primary address comes from: the files do not always say.</summary>
public enum MemberAddressSource
{
    /// <summary><c>unicast_src_ip</c> or <c>mcast_src_ip</c>.</summary>
    Configured,
    /// <summary>The one address the other hosts list as a unicast peer that no other host claims.</summary>
    InferredFromPeers,
    /// <summary>Unknown (the interface's address): a documentation address stands in, and ties it decides are reported as open.</summary>
    Assumed,
}

/// <summary>
/// One <c>vrrp_instance</c> of one host, resolved as the daemon resolves it: the router settings and transport
/// from the same factories, the trackers from <see cref="TrackingPlan"/>, the effective priority with every
/// tracker succeeding.
/// </summary>
public sealed class ClusterMember
{
    internal ClusterMember(ClusterHost host, VrrpInstance instance, VrrpAddress address, MemberAddressSource addressSource)
    {
        Host = host;
        Instance = instance;
        Address = address;
        AddressSource = addressSource;
        Settings = RouterSettingsFactory.Create(instance, host.Config.GlobalDefs, address);
        Transport = TransportSettingsFactory.Create(instance, host.Config.GlobalDefs);
        VrrpSyncGroup? group = host.Config.VrrpSyncGroups.FirstOrDefault(g => g.Instances.Contains(instance.Name));
        Trackers = TrackingPlan.FromConfig(instance, host.Config, group?.SyncGroupTrackingWeight ?? false);
        EffectivePriority = Healthy().EffectivePriority;
    }

    public ClusterHost Host { get; }
    public VrrpInstance Instance { get; }
    public VrrpAddress Address { get; }
    public MemberAddressSource AddressSource { get; }
    public VrrpRouterSettings Settings { get; }
    public VrrpTransportSettings Transport { get; }
    public IReadOnlyList<TrackedObject> Trackers { get; }

    /// <summary>The priority it advertises with every tracker succeeding (and every tracked file at 0).</summary>
    public byte EffectivePriority { get; }

    public byte BasePriority => Instance.Priority;
    public byte VirtualRouterId => Instance.VirtualRouterId;
    public AddressFamily Family => Instance.AddressFamily;
    public bool IsUnicast => Transport.IsUnicast;
    public bool IsAddressOwner => BasePriority == 255;

    /// <summary><c>host</c>, or <c>host/instance</c> when the host has several instances of one virtual router id.</summary>
    public string Label => Host.Name;

    /// <summary>The addresses it advertises (and checks received adverts against).</summary>
    public IReadOnlyList<VrrpAddress> VirtualAddresses => Settings.VirtualAddresses;

    /// <summary>Tracking with every tracker succeeding: scripts, interfaces and processes up, files at 0.</summary>
    internal InstanceTracking Healthy()
    {
        var tracking = new InstanceTracking(BasePriority, Trackers);
        foreach (TrackedObject t in Trackers.Where(t => t.Kind != TrackerKind.File).DistinctBy(t => (t.Kind, t.Name)))
            tracking.Update(t.Kind, t.Name, TrackerStatus.Up);
        return tracking;
    }

    public override string ToString() => $"{Host.Name}/{Instance.Name}";
}
