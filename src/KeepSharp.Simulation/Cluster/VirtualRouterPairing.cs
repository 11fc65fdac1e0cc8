using System.Net.Sockets;
using KeepSharp.Config;
using KeepSharp.Vrrp;

namespace KeepSharp.Simulation.Cluster;

/// <summary>
/// Which instances form one virtual router. Instances meet when they share the virtual router id and the address
/// family and their adverts reach each other: multicast instances always do (the hosts are taken to share the
/// segment); a unicast instance reaches the hosts its <c>unicast_peer</c> list names. A host with several
/// instances of one id (on several interfaces) pairs them with the other hosts' instances by interface name.
/// </summary>
public static class VirtualRouterPairing
{
    /// <summary>Resolves every instance of every host into a <see cref="ClusterMember"/>.</summary>
    /// <param name="problems">Receives the instances that cannot be simulated (e.g. <c>auth_type AH</c>).</param>
    public static List<ClusterMember> Members(IReadOnlyList<ClusterHost> hosts, ICollection<ClusterFinding> problems)
    {
        var members = new List<ClusterMember>();
        for (int h = 0; h < hosts.Count; h++)
        {
            foreach (VrrpInstance instance in hosts[h].Config.VrrpInstances)
            {
                (VrrpAddress address, MemberAddressSource source) = ResolveAddress(hosts, h, instance);
                try
                {
                    members.Add(new ClusterMember(hosts[h], instance, address, source));
                }
                catch (NotSupportedException e)
                {
                    problems.Add(new ClusterFinding(FindingSeverity.Error, "not-simulated", null,
                        $"{hosts[h].Name}: {e.Message}; the instance is left out of the election", [instance.Location]));
                }
            }
        }
        return members;
    }

    /// <summary>Groups the members into virtual routers, in order of virtual router id.</summary>
    public static List<VirtualRouter> Pair(IReadOnlyList<ClusterMember> members)
    {
        var routers = new List<VirtualRouter>();
        foreach (IGrouping<(byte, AddressFamily), ClusterMember> same in members
                     .GroupBy(m => (m.VirtualRouterId, m.Family)).OrderBy(g => g.Key.Item1).ThenBy(g => g.Key.Item2))
        {
            List<List<ClusterMember>> components = Components([.. same]);
            var named = new List<(string, List<ClusterMember>)>();
            foreach (List<ClusterMember> component in components)
            {
                foreach (List<ClusterMember> split in SplitByInterface(component))
                    named.Add((BaseName(split), split));
            }
            for (int i = 0; i < named.Count; i++)
            {
                (string name, List<ClusterMember> list) = named[i];
                bool shared = named.Count(n => n.Item1 == name) > 1;
                routers.Add(new VirtualRouter(shared ? $"{name} #{named.Take(i + 1).Count(n => n.Item1 == name)}" : name, list));
            }
        }
        return routers;
    }

    /// <summary>True when <paramref name="from"/>'s adverts are addressed to <paramref name="to"/>.</summary>
    public static bool Reaches(ClusterMember from, ClusterMember to) =>
        from.Host != to.Host && (!from.IsUnicast || from.Transport.UnicastPeers.Any(p => p.Address == to.Address));

    private static string BaseName(List<ClusterMember> members) =>
        $"VRID {members[0].VirtualRouterId} {VirtualRouter.FamilyName(members[0].Family)}" + (members.All(m => m.IsUnicast) ? " unicast" : "");

    /// <summary>Connected components of "reaches, or is reached by"; multicast and unicast instances never join.</summary>
    private static List<List<ClusterMember>> Components(List<ClusterMember> members)
    {
        int[] parent = [.. Enumerable.Range(0, members.Count)];
        int Find(int i) => parent[i] == i ? i : parent[i] = Find(parent[i]);
        for (int a = 0; a < members.Count; a++)
        {
            for (int b = a + 1; b < members.Count; b++)
            {
                ClusterMember x = members[a], y = members[b];
                if (x.IsUnicast != y.IsUnicast || x.Host == y.Host)
                    continue;
                if (Reaches(x, y) || Reaches(y, x))
                    parent[Find(a)] = Find(b);
            }
        }
        return [.. members.Select((m, i) => (m, i)).GroupBy(p => Find(p.i)).Select(g => g.Select(p => p.m).ToList())];
    }

    /// <summary>A component where one host has several instances: they are on several interfaces; pair by interface name.</summary>
    private static IEnumerable<List<ClusterMember>> SplitByInterface(List<ClusterMember> component)
    {
        if (component.GroupBy(m => m.Host).All(g => g.Count() == 1))
            return [component];
        return component.GroupBy(m => m.Instance.Interface, StringComparer.Ordinal).Select(g => g.ToList());
    }

    /// <summary>
    /// The instance's primary address: <c>unicast_src_ip</c>/<c>mcast_src_ip</c>; else, for unicast, the one address
    /// that the other hosts' instances of this id list as a peer and that neither this instance's peers nor another
    /// host's configured source claims; else a documentation address (192.0.2.N, fe80::N) standing in for the
    /// interface's.
    /// </summary>
    private static (VrrpAddress, MemberAddressSource) ResolveAddress(IReadOnlyList<ClusterHost> hosts, int index, VrrpInstance instance)
    {
        if (TransportSettingsFactory.SourceAddress(instance) is { } configured)
            return (VrrpAddress.FromIPAddress(configured), MemberAddressSource.Configured);
        if (instance.UnicastPeers.Count > 0)
        {
            var others = hosts.Where((_, i) => i != index)
                .SelectMany(h => h.Config.VrrpInstances)
                .Where(i => i.VirtualRouterId == instance.VirtualRouterId && i.AddressFamily == instance.AddressFamily)
                .ToList();
            var claimed = new HashSet<System.Net.IPAddress>(others.Select(TransportSettingsFactory.SourceAddress).OfType<System.Net.IPAddress>());
            claimed.UnionWith(instance.UnicastPeers.Select(p => p.Address));
            var candidates = others.SelectMany(i => i.UnicastPeers.Select(p => p.Address)).Where(a => !claimed.Contains(a)).Distinct().ToList();
            if (candidates.Count == 1)
                return (VrrpAddress.FromIPAddress(candidates[0]), MemberAddressSource.InferredFromPeers);
        }
        VrrpAddress assumed = instance.AddressFamily == AddressFamily.InterNetworkV6
            ? VrrpAddress.Parse($"fe80::{index + 1:x}")
            : VrrpAddress.Parse($"192.0.2.{index + 1}");
        return (assumed, MemberAddressSource.Assumed);
    }
}
