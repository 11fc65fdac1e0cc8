using System.Net.Sockets;

namespace KeepSharp.Simulation.Cluster;

/// <summary>
/// Instances of several hosts that meet on the wire: one virtual router id and address family, and for unicast,
/// peer lists that reach each other (<see cref="VirtualRouterPairing"/>).
/// </summary>
public sealed class VirtualRouter
{
    internal VirtualRouter(string name, IReadOnlyList<ClusterMember> members)
    {
        Name = name;
        Members = members;
    }

    /// <summary>"VRID 51 IPv4", with " unicast" and a "#2" when a virtual router id is used by several.</summary>
    public string Name { get; }

    public IReadOnlyList<ClusterMember> Members { get; }

    public byte VirtualRouterId => Members[0].VirtualRouterId;
    public AddressFamily Family => Members[0].Family;
    public bool IsUnicast => Members.All(m => m.IsUnicast);

    public override string ToString() => Name;

    public static string FamilyName(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
}
