using System.Net;
using System.Net.Sockets;

namespace KeepSharp.Config.Parsing;

/// <summary>Mutable state collected while parsing, turned into the model by <see cref="ConfigValidator"/>.</summary>
internal sealed class ConfigBuilder
{
    public GlobalDefs GlobalDefs { get; } = new();

    public List<string> NotificationEmail { get; } = [];

    public List<VrrpInstanceBuilder> Instances { get; } = [];

    public List<VrrpScript> Scripts { get; } = [];

    public List<VrrpSyncGroupBuilder> SyncGroups { get; } = [];

    public List<VrrpTrackFile> TrackFiles { get; } = [];

    public List<VrrpTrackProcess> TrackProcesses { get; } = [];
}

internal sealed class VrrpInstanceBuilder(VrrpInstance instance)
{
    public VrrpInstance Instance { get; } = instance;

    public List<VirtualIpAddress> VirtualIpAddresses { get; } = [];

    public List<VirtualIpAddress> VirtualIpAddressesExcluded { get; } = [];

    public List<TrackScriptReference> TrackScripts { get; } = [];

    public List<TrackInterfaceReference> TrackInterfaces { get; } = [];

    public List<UnicastPeer> UnicastPeers { get; } = [];

    public List<VirtualRoute> VirtualRoutes { get; } = [];

    public List<VirtualRule> VirtualRules { get; } = [];

    /// <summary>A unicast keyword was given (keepalived's VRRP_FLAG_UNICAST_CONFIGURED).</summary>
    public bool UnicastConfigured { get; set; }

    /// <summary>Some peer has min_ttl/max_ttl (keepalived then sets VRRP_FLAG_CHECK_UNICAST_SRC).</summary>
    public bool PeerTtlGiven { get; set; }

    public int? UnicastTtl { get; set; }

    public ConfigLocation? UnicastTtlLocation { get; set; }

    public bool CheckUnicastSource { get; set; }

    public bool? Accept { get; set; }

    public bool? StrictMode { get; set; }

    public bool HasPriority { get; set; }

    public bool HasState { get; set; }

    public bool? V3ChecksumAsV2 { get; set; }

    public TimeSpan? GarpLowerPrioDelay { get; set; }

    public int? GarpLowerPrioRepeat { get; set; }

    public bool? LowerPrioNoAdvert { get; set; }

    public bool? HigherPrioSendAdvert { get; set; }

    public int? DownTimerAdverts { get; set; }

    public bool HasVirtualRouterId { get; set; }

    public bool InvalidVirtualIpAddresses { get; set; }

    public bool HasInterface { get; set; }

    public int? Version { get; set; }

    /// <summary>The instance's address family, fixed by the first address read (see VrrpInstanceKeywords.SameFamily).</summary>
    public AddressFamily? Family { get; set; }

    public double AdvertSeconds { get; set; } = 1;

    public ConfigLocation? AdvertLocation { get; set; }

    public TimeSpan? GarpMasterDelay { get; set; }

    public int? GarpMasterRepeat { get; set; }

    public TimeSpan? GarpMasterRefresh { get; set; }

    public int? GarpMasterRefreshRepeat { get; set; }

    public bool? SkipCheckAdvAddr { get; set; }
}

internal sealed class VrrpSyncGroupBuilder(VrrpSyncGroup group)
{
    public VrrpSyncGroup Group { get; } = group;

    public List<(string Name, ConfigLocation Location)> Members { get; } = [];

    public List<TrackScriptReference> TrackScripts { get; } = [];
}

internal static class BlockHelpers
{
    /// <summary>The statement's block; an error "expected '{' after 'keyword args'" when there is none.</summary>
    public static bool TryBlock(ParseContext context, ConfigStatement statement, out List<ConfigStatement> block)
    {
        block = statement.Block ?? [];
        if (statement.Block is null)
        {
            context.Error(statement.Location, $"expected '{{' after '{statement.Header}'");
            return false;
        }

        return true;
    }

    /// <summary>The block's name (first argument); an error when it is missing.</summary>
    public static bool TryName(ParseContext context, ConfigStatement statement, out string name)
    {
        if (statement.Args.Count > 0)
        {
            name = statement.Args[0].Text;
            return true;
        }

        name = "";
        context.Error(statement.Location, $"{statement.Name} must have a name");
        return false;
    }

    /// <summary>Entries of a list block (e.g. track_script { a b }): every word of every line is one entry.</summary>
    public static IEnumerable<(string Name, ConfigLocation Location)> ListEntries(ConfigStatement statement) =>
        (statement.Block ?? []).SelectMany(s => s.Args.Prepend(s.Keyword).Where(t => t.IsWord).Select(t => (t.Text, t.Location)));
}
