using KeepSharp.Config;
using KeepSharp.Simulation.Cluster;

namespace KeepSharp.Daemon;

/// <summary>
/// <c>keepsharp check-cluster FILE... [--json]</c>: one keepalived.conf per host, checked together
/// (<see cref="ClusterCheck"/>). Exit 0 when the cluster is sound, 1 when a finding breaks failover, 2 when a file
/// does not load.
/// </summary>
internal static class CheckClusterCommand
{
    public const string Name = "check-cluster";

    public const string UsageText = """
        Usage: keepsharp check-cluster FILE... [--json]
          Checks one keepalived.conf per host together: pairs the instances into virtual routers, compares
          them, and runs the election in virtual time with every host healthy, then with each tracker,
          interface and host failing alone. A host is named by its router_id, else by its file name.
          --json    the report as JSON
        Exit status: 0 sound, 1 a finding breaks failover, 2 a file does not load.
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        bool json = false;
        var files = new List<string>();
        foreach (string arg in args)
        {
            if (arg == "--json")
                json = true;
            else if (arg is "-h" or "--help")
            {
                output.WriteLine(UsageText);
                return 0;
            }
            else if (arg.StartsWith('-'))
            {
                error.WriteLine($"keepsharp check-cluster: unrecognized option '{arg}'");
                error.WriteLine(UsageText);
                return ClusterReport.ExitLoadFailed;
            }
            else
                files.Add(arg);
        }
        if (files.Count == 0)
        {
            error.WriteLine("keepsharp check-cluster: no configuration files given");
            error.WriteLine(UsageText);
            return ClusterReport.ExitLoadFailed;
        }

        var hosts = new List<ClusterHost>();
        var configFindings = new List<ClusterFinding>();
        bool failed = false;
        foreach (string file in files)
        {
            // Another host's file: loaded as its daemon loads it, without this host's interfaces (their MTU and
            // addresses are the other host's); its config-id, for @name lines, is taken from the file name.
            ConfigLoadResult result = KeepalivedConfigLoader.Load(file, new ConfigLoadOptions { ConfigId = Path.GetFileNameWithoutExtension(file) });
            if (result.Config is not { } config)
            {
                failed = true;
                error.WriteLine($"keepsharp check-cluster: {file} does not load:");
                foreach (ConfigDiagnostic d in result.Diagnostics)
                    error.WriteLine($"  {d}");
                continue;
            }
            ClusterHost host = ClusterHost.Create(file, config);
            foreach (ConfigDiagnostic d in result.Diagnostics)
                configFindings.Add(new ClusterFinding(FindingSeverity.Warning, "config", null, $"{host.Name}: {d.Message}", [d.Location]));
            hosts.Add(host);
        }
        if (failed)
            return ClusterReport.ExitLoadFailed;
        foreach (var duplicate in hosts.GroupBy(h => h.Name).Where(g => g.Count() > 1))
        {
            error.WriteLine($"keepsharp check-cluster: {string.Join(" and ", duplicate.Select(h => h.File))} both name host '{duplicate.Key}' (router_id): give each host its own");
            return ClusterReport.ExitLoadFailed;
        }

        ClusterReport report = ClusterCheck.Run(hosts, configFindings);
        output.Write(json ? ClusterReportJson.Format(report) + Environment.NewLine : ClusterReportText.Format(report));
        return report.ExitCode;
    }
}
