namespace KeepSharp.Config;

/// <summary>The typed keepalived configuration (VRRP half).</summary>
public sealed class KeepalivedConfig
{
    public GlobalDefs GlobalDefs { get; set; } = new();

    public IReadOnlyList<VrrpInstance> VrrpInstances { get; set; } = [];

    public IReadOnlyList<VrrpScript> VrrpScripts { get; set; } = [];

    public IReadOnlyList<VrrpSyncGroup> VrrpSyncGroups { get; set; } = [];

    /// <summary>Every file read (main file first, then includes in reading order).</summary>
    public IReadOnlyList<string> Files { get; set; } = [];
}
