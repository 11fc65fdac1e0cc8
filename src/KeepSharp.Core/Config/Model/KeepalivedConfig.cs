namespace KeepSharp.Config;

/// <summary>The typed keepalived configuration (VRRP half).</summary>
public sealed class KeepalivedConfig
{
    public GlobalDefs GlobalDefs { get; set; } = new();

    public IReadOnlyList<VrrpInstance> VrrpInstances { get; set; } = [];

    public IReadOnlyList<VrrpScript> VrrpScripts { get; set; } = [];

    public IReadOnlyList<VrrpSyncGroup> VrrpSyncGroups { get; set; } = [];

    /// <summary>The <c>track_file</c>/<c>vrrp_track_file</c> blocks, in file order.</summary>
    public IReadOnlyList<VrrpTrackFile> VrrpTrackFiles { get; set; } = [];

    /// <summary>The <c>vrrp_track_process</c> blocks, in file order.</summary>
    public IReadOnlyList<VrrpTrackProcess> VrrpTrackProcesses { get; set; } = [];

    /// <summary>Every file read (main file first, then includes in reading order).</summary>
    public IReadOnlyList<string> Files { get; set; } = [];
}
