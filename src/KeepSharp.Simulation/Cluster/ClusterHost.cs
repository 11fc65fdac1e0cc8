using KeepSharp.Config;

namespace KeepSharp.Simulation.Cluster;

/// <summary>
/// One host of the cluster: its loaded configuration, named by its <c>router_id</c>, else by its file name.
/// </summary>
/// <param name="Name">The host's name in the report.</param>
/// <param name="File">The configuration file, as given.</param>
/// <param name="Config">The configuration, loaded as the daemon loads it.</param>
public sealed record ClusterHost(string Name, string File, KeepalivedConfig Config)
{
    /// <summary>The host named by <c>router_id</c> when set, else by the file name without its extension.</summary>
    public static ClusterHost Create(string file, KeepalivedConfig config) =>
        new(config.GlobalDefs.RouterId is { Length: > 0 } id ? id : Path.GetFileNameWithoutExtension(file), file, config);
}
