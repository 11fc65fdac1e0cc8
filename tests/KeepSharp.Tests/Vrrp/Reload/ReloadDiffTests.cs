using KeepSharp.Config;
using KeepSharp.Vrrp.Reload;

namespace KeepSharp.Tests.Vrrp.Reload;

/// <summary>The pure part of a reload: which running instance each new one matches, and what changed.</summary>
public sealed class ReloadDiffTests
{
    private const string Base = """
        vrrp_script chk {
            script "/bin/true"
            weight -20
        }
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
            priority 100
            track_script {
                chk
            }
            notify_master "/bin/true master"
            virtual_ipaddress {
                10.0.0.100/24
            }
        }
        vrrp_instance VI_2 {
            interface eth0
            virtual_router_id 52
            priority 90
            virtual_ipaddress {
                10.0.0.200/24
            }
        }
        """;

    private static KeepalivedConfig Load(string text)
    {
        ConfigLoadResult result = KeepalivedConfigLoader.Parse(text, "keepalived.conf");
        return result.Config ?? throw new Xunit.Sdk.XunitException(string.Join("\n", result.Diagnostics));
    }

    private static ReloadPlan Plan(string before, string after)
    {
        KeepalivedConfig a = Load(before), b = Load(after);
        return ReloadDiff.Diff([.. a.VrrpInstances.Select(i => InstanceSpec.From(i, a))], [.. b.VrrpInstances.Select(i => InstanceSpec.From(i, b))]);
    }

    private static string Describe(ReloadPlan plan) => string.Join("; ", plan.Steps.Select(s => $"{s.Action} {s.Identity.VirtualRouterId} {s.Changes}"));

    [Fact]
    public void The_same_configuration_with_comments_and_blocks_moved_changes_nothing()
    {
        string moved = "# a comment\n" + Base[Base.IndexOf("vrrp_instance VI_2", StringComparison.Ordinal)..] + "\n" +
                       Base[..Base.IndexOf("vrrp_instance VI_2", StringComparison.Ordinal)].Replace("priority 100", "priority   100 ! again");
        ReloadPlan plan = Plan(Base, moved);
        Assert.True(plan.ChangesNothing, Describe(plan));
        Assert.Equal(2, plan.Of(ReloadAction.Keep).Count());
    }

    [Fact]
    public void A_changed_vip_list_is_an_update_of_the_addresses_only()
    {
        ReloadPlan plan = Plan(Base, Base.Replace("10.0.0.200/24", "10.0.0.200/24\n10.0.0.201/24"));
        Assert.Equal("Keep 51 None; Update 52 Addresses", Describe(plan));
    }

    [Fact]
    public void A_priority_change_is_an_update_of_the_router_and_a_rename_keeps_the_match()
    {
        ReloadPlan plan = Plan(Base, Base.Replace("priority 90", "priority 80").Replace("VI_2", "web"));
        ReloadStep step = plan.Steps.Single(s => s.Identity.VirtualRouterId == 52);
        Assert.Equal(ReloadAction.Update, step.Action);
        Assert.Equal(InstanceChanges.Name | InstanceChanges.Router, step.Changes);
    }

    [Fact]
    public void A_tracker_weight_and_a_notify_script_are_their_own_changes()
    {
        ReloadPlan plan = Plan(Base, Base.Replace("weight -20", "weight -30").Replace("/bin/true master", "/bin/true primary"));
        Assert.Equal(InstanceChanges.Tracking | InstanceChanges.Notify, plan.Steps.Single(s => s.Identity.VirtualRouterId == 51).Changes);
    }

    [Fact]
    public void Another_interface_or_unicast_makes_another_instance_as_keepalived_matches_them()
    {
        ReloadPlan plan = Plan(Base, Base.Replace("""
            virtual_router_id 52
            """, """
            virtual_router_id 52
            unicast_peer {
                10.0.0.2
            }
            """));
        Assert.Equal("Remove 52 None; Keep 51 None; Add 52 None", Describe(plan));
        plan = Plan(Base, Base.Replace("interface eth0\n    virtual_router_id 52", "interface eth1\n    virtual_router_id 52"));
        Assert.Equal("Remove 52 None; Keep 51 None; Add 52 None", Describe(plan));
    }

    [Fact]
    public void Use_vmac_cannot_change_in_place_the_instance_is_replaced()
    {
        ReloadPlan plan = Plan(Base, Base.Replace("priority 90", "priority 90\n    use_vmac"));
        Assert.Equal(ReloadAction.Replace, plan.Steps.Single(s => s.Identity.VirtualRouterId == 52).Action);
    }

    [Fact]
    public void Removed_and_added_instances_are_removals_first_then_additions()
    {
        string without = Base[..Base.IndexOf("vrrp_instance VI_2", StringComparison.Ordinal)];
        string added = without + Base[Base.IndexOf("vrrp_instance VI_2", StringComparison.Ordinal)..].Replace("52", "53").Replace("VI_2", "VI_3");
        ReloadPlan plan = Plan(Base, added);
        Assert.Equal("Remove 52 None; Keep 51 None; Add 53 None", Describe(plan));
    }
}
