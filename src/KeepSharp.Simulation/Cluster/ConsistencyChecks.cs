using KeepSharp.Config;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Simulation.Cluster;

/// <summary>
/// What must agree between the members of a virtual router, and between virtual routers: each finding names the
/// lines on every side. Whether a difference breaks the election is not guessed: it is read from the healthy
/// election (<see cref="ClusterSimulation"/>), where the production receive path dropped what it drops.
/// </summary>
internal static class ConsistencyChecks
{
    public static IEnumerable<ClusterFinding> Find(IReadOnlyList<VirtualRouter> routers, ClusterSimulation healthy, IReadOnlyList<RouterOutcome> outcomes)
    {
        var findings = new List<ClusterFinding>();
        foreach (VirtualRouter router in routers)
        {
            if (router.Members.Count == 1)
            {
                findings.Add(NoPartner(router, routers));
                continue;
            }
            RouterOutcome outcome = outcomes.Single(o => o.Router == router);
            string drops = Drops(router, healthy);
            bool dropped = drops.Length > 0;
            string consequence = dropped && outcome.MastersAfter.Count > 1 ? $"{drops}, so {Both(outcome.MastersAfter)} master" : drops;
            Differ(findings, router, "vip-mismatch", "VIP lists differ", m => string.Join(", ", m.VirtualAddresses), "advertises",
                m => m.Instance.VirtualIpAddresses.FirstOrDefault()?.Location ?? m.Instance.LocationOf("virtual_ipaddress"), dropped, consequence);
            Differ(findings, router, "version-mismatch", "VRRP versions differ", m => $"VRRPv{m.Settings.Version}", "speaks",
                m => m.Instance.LocationOf("version"), dropped, consequence);
            Differ(findings, router, "advert-int-mismatch", "advert_int differs", m => $"{m.Settings.AdvertisementInterval.TotalSeconds:0.###} s", "advertises every",
                m => m.Instance.LocationOf("advert_int"), dropped, consequence);
            if (router.Members.All(m => m.Settings.Version == 2))
            {
                Differ(findings, router, "auth-mismatch", "authentication differs", Authentication, "uses",
                    m => m.Instance.LocationOf("authentication"), dropped, consequence);
            }
            if (router.Members.All(m => m.Settings.Version == 3))
            {
                Differ(findings, router, "checksum-mismatch", "checksum modes differ", m => m.Transport.ChecksumMode.ToString(), "computes",
                    m => m.Instance.LocationOf(m.Instance.V3ChecksumAsV2 ? "v3_checksum_as_v2" : "old_unicast_checksum"), dropped, consequence);
            }
            UnicastSymmetry(findings, router);
            Ties(findings, router);
            Masters(findings, router, outcome, drops);
        }
        SharedVirtualRouterIds(findings, routers);
        SharedAddresses(findings, routers);
        return findings;
    }

    private static ClusterFinding NoPartner(VirtualRouter router, IReadOnlyList<VirtualRouter> routers)
    {
        ClusterMember m = router.Members[0];
        string near = string.Join("; ", routers.Where(r => r != router && r.VirtualRouterId == router.VirtualRouterId)
            .Select(r => $"{r.Name} ({string.Join(", ", r.Members.Select(x => x.Label))}) does not meet it"));
        string how = m.IsUnicast ? $"its unicast peers {string.Join(", ", m.Transport.UnicastPeers.Select(p => p.Address))} are no other host's instance of VRID {m.VirtualRouterId}"
            : $"no other host has VRID {m.VirtualRouterId} over {VirtualRouter.FamilyName(m.Family)} multicast";
        return new ClusterFinding(FindingSeverity.Error, "no-partner", router.Name,
            $"{m.Label}'s {m.Instance.Name} has no partner: {how}{(near.Length > 0 ? $"; {near}" : "")}. It will be master alone, and nothing fails over to or from it",
            [m.Instance.Location]);
    }

    /// <summary>A finding when the members do not all agree on <paramref name="value"/>.</summary>
    private static void Differ(List<ClusterFinding> findings, VirtualRouter router, string code, string what, Func<ClusterMember, string> value,
        string verb, Func<ClusterMember, ConfigLocation> location, bool dropped, string drops)
    {
        var groups = router.Members.GroupBy(value).ToList();
        if (groups.Count < 2)
            return;
        string sides = string.Join("; ", router.Members.Select(m => $"{m.Label} {verb} {value(m)} ({Where(location(m))})"));
        string consequence = dropped ? $": {drops}" : "";
        findings.Add(new ClusterFinding(dropped ? FindingSeverity.Error : FindingSeverity.Warning, code, router.Name,
            $"{what}: {sides}{consequence}", [.. router.Members.Select(location)]));
    }

    private static string Authentication(ClusterMember m) => m.Settings.AuthenticationType switch
    {
        VrrpAuthenticationType.SimpleTextPassword => $"PASS '{System.Text.Encoding.UTF8.GetString(m.Settings.AuthenticationData).TrimEnd('\0')}'",
        _ => "no authentication",
    };

    /// <summary>"keep_172 drops keep_171's adverts (AddressListMismatch)", for every pair that drops, from the healthy election.</summary>
    public static string Drops(VirtualRouter router, ClusterSimulation healthy)
    {
        var parts = new List<string>();
        foreach (ClusterMember to in router.Members)
        {
            foreach (var g in healthy.NodeOf(to).Drops.GroupBy(d => (d.From.Host, d.Reason)))
                parts.Add($"{to.Label} drops {g.Key.Host}'s adverts ({Describe(g.Key.Reason)})");
        }
        return string.Join("; ", parts);
    }

    public static string Describe(VrrpDropReason reason) => reason switch
    {
        VrrpDropReason.AddressListMismatch => "address list mismatch",
        VrrpDropReason.AuthenticationTypeMismatch => "auth_type mismatch",
        VrrpDropReason.AuthenticationFailure => "auth_pass mismatch",
        VrrpDropReason.AdvertisementIntervalMismatch => "advert_int mismatch",
        VrrpDropReason.BadChecksum => "bad checksum",
        _ => reason.ToString(),
    };

    private static void UnicastSymmetry(List<ClusterFinding> findings, VirtualRouter router)
    {
        foreach (ClusterMember a in router.Members.Where(m => m.IsUnicast))
        {
            foreach (ClusterMember b in router.Members.Where(m => m.IsUnicast && m.Host != a.Host))
            {
                if (VirtualRouterPairing.Reaches(a, b) && !VirtualRouterPairing.Reaches(b, a))
                {
                    findings.Add(new ClusterFinding(FindingSeverity.Error, "unicast-asymmetric", router.Name,
                        $"{b.Label} does not list {a.Label} ({a.Address}) as a unicast_peer, though {a.Label} lists {b.Label} ({b.Address}): {a.Label} never hears {b.Label}",
                        [b.Instance.LocationOf("unicast_peer"), a.Instance.LocationOf("unicast_peer")]));
                }
            }
        }
    }

    /// <summary>Members with one effective priority: the higher primary address wins (RFC 3768 §6.4.3).</summary>
    private static void Ties(List<ClusterFinding> findings, VirtualRouter router)
    {
        foreach (IGrouping<byte, ClusterMember> tie in router.Members.GroupBy(m => m.EffectivePriority).Where(g => g.Count() > 1))
        {
            ClusterMember[] tied = [.. tie.OrderByDescending(m => m.Address)];
            bool known = tied.All(m => m.AddressSource != MemberAddressSource.Assumed);
            string names = string.Join(" and ", tied.Select(m => m.Label));
            string message = known
                ? $"{names} tie at priority {tie.Key}: when they meet as masters (started together), {tied[0].Label} wins by the higher primary address " +
                  $"({string.Join(" > ", tied.Select(m => m.Address))}); otherwise the first one up stays master"
                : $"{names} tie at priority {tie.Key}: the first one up stays master, and when they meet as masters the higher primary address wins, which the files do not give " +
                  $"(check-cluster assumed {string.Join(", ", tied.Select(m => $"{m.Label} {m.Address}"))}); set different priorities, or mcast_src_ip/unicast_src_ip";
            findings.Add(new ClusterFinding(known ? FindingSeverity.Info : FindingSeverity.Warning, "priority-tie", router.Name, message,
                [.. tied.Select(m => m.Instance.LocationOf("priority"))]));
        }
    }

    private static void Masters(List<ClusterFinding> findings, VirtualRouter router, RouterOutcome outcome, string drops)
    {
        IReadOnlyList<ClusterMember> masters = outcome.MastersAfter;
        if (masters.Count > 1)
        {
            findings.Add(new ClusterFinding(FindingSeverity.Error, "two-masters", router.Name,
                $"with every host healthy, {Both(masters)} master of {router.Name} and hold its VIPs at once" +
                (drops.Length > 0 ? $": {drops}" : ""),
                [.. masters.Select(m => m.Instance.Location)]));
        }
        else if (masters.Count == 0)
        {
            string states = string.Join(", ", outcome.Members.Select(m => $"{m.Member.Label} {m.State.ToString().ToUpperInvariant()}"));
            findings.Add(new ClusterFinding(FindingSeverity.Error, "no-master", router.Name,
                $"with every host healthy, nobody is master of {router.Name} ({states})", [.. router.Members.Select(m => m.Instance.Location)]));
        }
    }

    /// <summary>Virtual routers that share a virtual router id: multicast adverts of one reach the other's hosts.</summary>
    private static void SharedVirtualRouterIds(List<ClusterFinding> findings, IReadOnlyList<VirtualRouter> routers)
    {
        foreach (var same in routers.GroupBy(r => (r.VirtualRouterId, r.Family)).Where(g => g.Count() > 1 && g.Any(r => !r.IsUnicast)))
        {
            VirtualRouter[] list = [.. same];
            if (list.All(r => r.Members.Count == 1))
                continue; // reported as instances without partners
            findings.Add(new ClusterFinding(FindingSeverity.Warning, "shared-vrid", null,
                $"{list.Length} virtual routers use VRID {same.Key.VirtualRouterId}: {string.Join("; ", list.Select(r => $"{r.Name} ({string.Join(", ", r.Members.Select(m => m.Label))})"))}; " +
                "on one segment the multicast adverts of one reach the other's hosts, which count and log them as errors (and a MAC-based VMAC would be shared)",
                [.. list.SelectMany(r => r.Members).Select(m => m.Instance.LocationOf("virtual_router_id"))]));
        }
    }

    /// <summary>A VIP configured in two virtual routers: two masters can hold it at once.</summary>
    private static void SharedAddresses(List<ClusterFinding> findings, IReadOnlyList<VirtualRouter> routers)
    {
        var holders = new Dictionary<VrrpAddress, List<(VirtualRouter Router, ClusterMember Member)>>();
        foreach (VirtualRouter router in routers)
        {
            foreach (ClusterMember member in router.Members)
            {
                foreach (VrrpAddress vip in member.VirtualAddresses.Distinct())
                {
                    if (!holders.TryGetValue(vip, out var list))
                        holders[vip] = list = [];
                    list.Add((router, member));
                }
            }
        }
        foreach ((VrrpAddress vip, var list) in holders)
        {
            VirtualRouter[] distinct = [.. list.Select(l => l.Router).Distinct()];
            if (distinct.Length < 2)
                continue;
            findings.Add(new ClusterFinding(FindingSeverity.Error, "vip-in-two-routers", null,
                $"{vip} belongs to {distinct.Length} virtual routers ({string.Join(", ", distinct.Select(r => r.Name))}): each elects its own master, so two hosts can hold it at once",
                [.. list.Select(l => l.Member.Instance.VirtualIpAddresses.FirstOrDefault(a => VrrpAddress.FromIPAddress(a.Address) == vip)?.Location ?? l.Member.Instance.Location)]));
        }
    }

    /// <summary>"a and b will both be", "a, b and c will all be".</summary>
    private static string Both(IReadOnlyList<ClusterMember> members) =>
        $"{string.Join(", ", members.Take(members.Count - 1).Select(m => m.Label))} and {members[^1].Label} will {(members.Count == 2 ? "both" : "all")} be";

    public static string Where(ConfigLocation location) => $"{location.File}:{location.Line}";
}
