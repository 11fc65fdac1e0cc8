namespace KeepSharp.Config;

/// <summary>One <c>vrrp_script NAME { ... }</c> block.</summary>
public sealed class VrrpScript
{
    public VrrpScript(string name, ConfigLocation location)
    {
        Name = name;
        Location = location;
    }

    public string Name { get; set; }

    public ConfigLocation Location { get; set; }

    /// <summary>The command line as written (quotes removed).</summary>
    public string Script { get; set; } = "";

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan? Timeout { get; set; }

    public int Weight { get; set; }

    public bool WeightReverse { get; set; }

    public int Rise { get; set; } = 1;

    public int Fall { get; set; } = 1;

    public string? User { get; set; }

    public string? Group { get; set; }

    public bool InitFail { get; set; }
}

/// <summary>One <c>vrrp_sync_group NAME { group { ... } }</c> block.</summary>
public sealed class VrrpSyncGroup
{
    public VrrpSyncGroup(string name, ConfigLocation location)
    {
        Name = name;
        Location = location;
    }

    public string Name { get; set; }

    public ConfigLocation Location { get; set; }

    public IReadOnlyList<string> Instances { get; set; } = [];

    public IReadOnlyList<TrackScriptReference> TrackScripts { get; set; } = [];

    /// <summary>The group's <c>track_interface</c> entries (every member tracks them, with their weights).</summary>
    public IReadOnlyList<TrackInterfaceReference> TrackInterfaces { get; set; } = [];

    /// <summary>The group's <c>track_file</c> entries (every member tracks them).</summary>
    public IReadOnlyList<TrackFileReference> TrackFiles { get; set; } = [];

    /// <summary>The group's <c>track_process</c> entries (every member tracks them).</summary>
    public IReadOnlyList<TrackProcessReference> TrackProcesses { get; set; } = [];

    /// <summary><c>sync_group_tracking_weight</c>: members keep their trackers' weights (see TrackingPlan).</summary>
    public bool SyncGroupTrackingWeight { get; set; }

    public string? Notify { get; set; }

    public string? NotifyMaster { get; set; }

    public string? NotifyBackup { get; set; }

    public string? NotifyFault { get; set; }

    public string? NotifyStop { get; set; }

    /// <summary>The notify lines as keepalived reads them (command, user, group); the strings above are the lines as written.</summary>
    public NotifyScripts NotifyScripts { get; } = new();

    /// <summary><c>notify_priority_changes</c> of the group, inherited by members without their own; null when not set.</summary>
    public bool? NotifyPriorityChanges { get; set; }
}
