namespace KeepSharp.Config;

/// <summary>
/// One <c>track_file NAME { ... }</c> (or its deprecated synonym <c>vrrp_track_file</c>) block: a file whose integer
/// value, times the weight, adjusts the priority of the instances that track it (keepalived's trackers/track_file.c).
/// </summary>
public sealed class VrrpTrackFile
{
    /// <summary>keepalived's default weight of a tracked file.</summary>
    public const int DefaultWeight = 1;

    public VrrpTrackFile(string name, ConfigLocation location)
    {
        Name = name;
        Location = location;
    }

    public string Name { get; }

    public ConfigLocation Location { get; }

    /// <summary>The <c>file</c> path as written (resolved against the directory at start).</summary>
    public string FilePath { get; set; } = "";

    /// <summary>−254..254; default 1.</summary>
    public int Weight { get; set; } = DefaultWeight;

    public bool WeightReverse { get; set; }

    /// <summary>How <c>init_file</c> prepares the file at start.</summary>
    public TrackFileInit Init { get; set; }

    /// <summary>The value <c>init_file</c> writes (default 0).</summary>
    public int InitValue { get; set; }
}

/// <summary>keepalived's <c>track_file_init</c> modes.</summary>
public enum TrackFileInit : byte
{
    /// <summary>No <c>init_file</c>: the file is left alone.</summary>
    None,
    /// <summary><c>init_file [VALUE]</c>: write the value only if the file does not exist.</summary>
    Create,
    /// <summary><c>init_file [VALUE] overwrite</c>: write the value even if the (regular) file exists.</summary>
    Overwrite,
}

/// <summary>A <c>track_file</c> entry of an instance or sync group, with the weight it resolved to.</summary>
public sealed record TrackFileReference(string Name, int Weight, bool WeightReverse, ConfigLocation Location);
