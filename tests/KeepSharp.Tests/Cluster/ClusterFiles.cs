using System.Text.Json;
using KeepSharp.Daemon;
using KeepSharp.Tests.Config;

namespace KeepSharp.Tests.Cluster;

/// <summary>Runs <c>keepsharp check-cluster</c> in process on example files or on configs written to a temporary folder.</summary>
internal sealed class ClusterFiles : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ks-cluster-").FullName;

    public static string Example(string folder, string file) => Path.Combine(TestPaths.RepoRoot, "examples", folder, file);

    /// <summary>Writes <paramref name="text"/> as <c>NAME.conf</c>; returns the path.</summary>
    public string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name + ".conf");
        File.WriteAllText(path, text);
        return path;
    }

    public static (int Exit, string Output) Check(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CheckClusterCommand.Run(args, output, error);
        return (exit, output + error.ToString());
    }

    public static (int Exit, JsonElement Report) CheckJson(params string[] files)
    {
        (int exit, string output) = Check([.. files, "--json"]);
        return (exit, JsonDocument.Parse(output).RootElement.Clone());
    }

    /// <summary>A host with one instance (or several, via <paramref name="instances"/>) and optional extra top-level text.</summary>
    public static string Host(string routerId, string instances, string extra = "") => $$"""
        global_defs {
            router_id {{routerId}}
        }
        {{extra}}
        {{instances}}
        """;

    public static string Instance(string name = "VI_1", int vrid = 51, int priority = 100, string state = "BACKUP", string vips = "10.9.0.100",
        string body = "", string advertInt = "1") => $$"""
        vrrp_instance {{name}} {
            state {{state}}
            interface eth0
            virtual_router_id {{vrid}}
            priority {{priority}}
            advert_int {{advertInt}}
            {{body}}
            virtual_ipaddress {
                {{vips}}
            }
        }
        """;

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
