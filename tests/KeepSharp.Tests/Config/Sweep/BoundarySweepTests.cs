using System.Text.RegularExpressions;
using KeepSharp.Config;
using KeepSharp.Config.Parsing;

namespace KeepSharp.Tests.Config.Sweep;

/// <summary>
/// The boundary sweep, config half: for every generated case, KeepSharp's <c>-t</c> verdict (the Core loader and
/// <see cref="ConfigTest.GetExitCode"/>, which is what <c>keepsharp -t</c> runs) equals keepalived 2.2.7's, unless
/// the case is in <see cref="DeliberateDifferences"/> with its reason. Where keepalived clamps a value and logs it,
/// the value KeepSharp uses is compared too.
/// </summary>
public class BoundarySweepTests
{
    private const string TimerResolution =
        "keepalived reads this timer at a coarser resolution than 1 µs and rejects 0.000001 ('invalid number'); KeepSharp keeps microseconds and accepts it";

    private const string ScriptUserLookup =
        "keepalived -t resolves script users on the host (getpwnam/initgroups, and exits 143 for nobody while dropping privileges); KeepSharp does not run scripts yet and does not look users up at load";

    private const string NewerKeepalivedKeyword =
        "v3_checksum_as_v2 arrived in keepalived after 2.2.7 (2.2.8); 2.2.7 reports it as an unknown keyword, KeepSharp reads it as the newer keepalived does";

    private const string UnsupportedRouteOption =
        "keepalived installs this route/rule option; KeepSharp does not, and refuses it at file:line rather than install something else";

    /// <summary>Cases where KeepSharp's verdict knowingly differs from keepalived's, each with its reason.</summary>
    public static readonly IReadOnlyDictionary<string, string> DeliberateDifferences = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["global_defs.smtp_connect_timeout[0.000001]"] = TimerResolution,
        ["global_defs.vrrp_garp_lower_prio_delay[0.000001]"] = TimerResolution,
        ["global_defs.vrrp_garp_master_delay[0.000001]"] = TimerResolution,
        ["global_defs.vrrp_garp_master_refresh[0.000001]"] = TimerResolution,
        ["vrrp_instance.garp_master_delay[0.000001]"] = TimerResolution,
        ["vrrp_instance.garp_master_refresh[0.000001]"] = TimerResolution,
        ["vrrp_script.timeout[0.000001]"] = TimerResolution,
        ["global_defs.script_user[nobody nogroup]"] = ScriptUserLookup,
        ["global_defs.script_user[nosuchuser-ks]"] = ScriptUserLookup,
        ["global_defs.script_user[root nosuchgroup-ks]"] = ScriptUserLookup,
        ["vrrp_script.user[nobody nogroup]"] = ScriptUserLookup,
        ["vrrp_script.user[nosuchuser-ks]"] = ScriptUserLookup,
        ["global_defs.v3_checksum_as_v2[]"] = NewerKeepalivedKeyword,
        ["global_defs.v3_checksum_as_v2[on]"] = NewerKeepalivedKeyword,
        ["global_defs.v3_checksum_as_v2[off]"] = NewerKeepalivedKeyword,
        ["vrrp_instance.v3_checksum_as_v2[]"] = NewerKeepalivedKeyword,
        ["vrrp_instance.v3_checksum_as_v2[on]"] = NewerKeepalivedKeyword,
        ["vrrp_instance.v3_checksum_as_v2[off]"] = NewerKeepalivedKeyword,
        ["vrrp_instance.virtual_routes[mtu]"] = UnsupportedRouteOption,
        ["vrrp_instance.virtual_rules[uidrange]"] = UnsupportedRouteOption,
        ["vrrp_instance.virtual_routes[src-default-main]"] =
            "keepalived 2.2.7 reads 'default' as a destination of no family and then refuses it after an IPv4 src ('Cannot mix IPv4 and IPv6 addresses for route (default)'); KeepSharp reads default as 0.0.0.0/0 of the route's family",
        ["vrrp_instance.unicast_peer[strict]"] =
            "keepalived -t passes unicast peers in strict mode and refuses the instance at startup on a multicast interface ('Unicast peers are not supported in strict mode'); KeepSharp reports it at load",
        ["vrrp_instance.unicast_peer[peer-is-src]"] =
            "a unicast peer equal to the instance's own unicast_src_ip can never be a peer (its adverts are our own); keepalived -t does not check it, KeepSharp reports it at file:line",
    };

    /// <summary>keepalived's exit code when a keyword lacks its value (KEEPALIVED_EXIT_MISSING_PARAMETER).</summary>
    private const int KeepalivedExitMissingParameter = 2;

    private static readonly IReadOnlyList<(string Block, KeywordTableView Table)> Tables =
    [
        ("global_defs", new(GlobalDefsKeywords.Table.HandledKeywords, GlobalDefsKeywords.Table.IgnoredKeywords)),
        ("vrrp_instance", new(VrrpInstanceKeywords.Table.HandledKeywords, VrrpInstanceKeywords.Table.IgnoredKeywords)),
        ("vrrp_script", new(VrrpScriptKeywords.Table.HandledKeywords, VrrpScriptKeywords.Table.IgnoredKeywords)),
        ("vrrp_sync_group", new(VrrpSyncGroupKeywords.Table.HandledKeywords, VrrpSyncGroupKeywords.Table.IgnoredKeywords)),
    ];

    public static TheoryData<string> CaseIds => new(BoundarySweepCases.All.Select(c => c.Id));

    [Fact]
    public void Every_keyword_the_loader_parses_has_a_sweep_entry()
    {
        var specs = BoundarySweepCases.Specs.ToLookup(s => (BoundarySweepCases.BlockName(s.Block), s.Keyword));
        var missing = Tables
            .SelectMany(t => t.Table.Handled.Select(k => (t.Block, k)))
            .Where(key => !specs[key].Any(s => s.Cases.Count > 0 || !string.IsNullOrWhiteSpace(s.NotSweptReason)))
            .Select(key => $"{key.Block} {key.k}")
            .ToList();
        Assert.True(missing.Count == 0,
            "keywords without a sweep entry (add boundary values to BoundarySweepCases, or a 'not swept because' reason): "
            + string.Join(", ", missing));

        var unknown = BoundarySweepCases.Specs
            .Where(s => !Tables.Any(t => t.Block == BoundarySweepCases.BlockName(s.Block) && t.Table.Handled.Contains(s.Keyword)))
            .Select(s => $"{BoundarySweepCases.BlockName(s.Block)} {s.Keyword}")
            .ToList();
        Assert.True(unknown.Count == 0, "sweep entries for keywords the loader does not parse: " + string.Join(", ", unknown));
    }

    [Fact]
    public void Case_ids_are_unique_and_allow_list_entries_name_cases()
    {
        var ids = BoundarySweepCases.All.Select(c => c.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(DeliberateDifferences, d =>
        {
            Assert.Contains(d.Key, ids);
            Assert.False(string.IsNullOrWhiteSpace(d.Value), $"{d.Key}: a deliberate difference needs its reason");
        });
    }

    [Fact]
    [Trait("Tier", "Keepalived")]
    public void The_base_configuration_is_accepted_by_both()
    {
        using var dir = new TempDir();
        foreach (var block in Enum.GetValues<SweepBlock>())
        {
            // A case that only repeats a base line renders the base configuration of its block.
            var baseCase = new SweepCase("base", block, "none", "");
            string file = dir.Write($"base-{block}.conf", baseCase.Config(KeepalivedCli.HostInterface));
            var (exit, output) = KeepalivedCli.ConfigTest(file);
            Assert.True(exit == 0, $"keepalived rejects the sweep's base configuration for {block}:\n{output}");
            var result = KeepalivedConfigLoader.Load(file);
            Assert.True(ConfigTest.GetExitCode(result) == 0, $"KeepSharp rejects the base configuration for {block}:\n{string.Join("\n", result.Diagnostics)}");
        }
    }

    [Theory]
    [Trait("Tier", "Keepalived")]
    [MemberData(nameof(CaseIds))]
    public void Config_test_verdict_matches_keepalived(string id)
    {
        var sweepCase = BoundarySweepCases.Find(id);
        using var dir = new TempDir();
        string file = dir.Write("sweep.conf", sweepCase.Config(KeepalivedCli.HostInterface));

        var (expected, keepalivedOutput) = KeepalivedCli.ConfigTest(file);
        var result = KeepalivedConfigLoader.Load(file);
        int actual = ConfigTest.GetExitCode(result);
        string report = $"""
            case {id}: keepalived -t exit {expected}, KeepSharp exit {actual}
            --- keepalived:
            {keepalivedOutput.Trim()}
            --- KeepSharp:
            {string.Join("\n", result.Diagnostics)}
            --- config:
            {File.ReadAllText(file)}
            """;

        if (expected == KeepalivedExitMissingParameter && actual == ConfigTest.ExitConfigTestFailed
            && keepalivedOutput.Contains("is missing a parameter after keyword", StringComparison.Ordinal))
        {
            // Deliberate: keepalived stops reading at a keyword without its value and exits 2 (a fatal parse error);
            // KeepSharp reports it with file:line among every other problem and exits 5, like any config-test failure.
            Assert.Contains(result.Errors, d => d.Message.Contains("requires a value", StringComparison.Ordinal));
            return;
        }

        if (DeliberateDifferences.TryGetValue(id, out var reason))
        {
            Assert.True(expected != actual, $"allow-listed difference is gone, remove it from DeliberateDifferences ({reason})\n{report}");
            return;
        }

        Assert.True(expected == actual, report);

        if (sweepCase.Probe is { } probe)
        {
            var match = Regex.Match(keepalivedOutput, probe.KeepalivedPattern);
            Assert.True(match.Success, $"keepalived did not log the value ({probe.KeepalivedPattern})\n{report}");
            Assert.True(result.Config is not null, $"KeepSharp kept no model to compare the value with\n{report}");
            Assert.Equal(match.Groups[1].Value, probe.KeepSharpValue(result.Config!));
        }
    }

    [Fact]
    public void The_sweep_covers_every_block_with_failing_and_passing_cases()
    {
        foreach (var block in Enum.GetValues<SweepBlock>())
        {
            Assert.True(BoundarySweepCases.All.Count(c => c.Block == block) >= 10, $"{block}: too few sweep cases");
        }
    }

    private sealed record KeywordTableView(IEnumerable<string> Handled, IEnumerable<string> Ignored);
}
