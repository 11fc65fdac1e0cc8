using System.Globalization;
using KeepSharp.IntegrationTests.Daemon;
using KeepSharp.Lab;

namespace KeepSharp.IntegrationTests.HealthChecks;

/// <summary>Helpers for the tracking tests: flag-file scripts, configs with track blocks, child process census.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class TrackingLab
{
    /// <summary>An executable script on <paramref name="host"/> that fails while <c>fail</c> exists beside it.</summary>
    public static string FlagScript(LabHost host, string name = "check.sh")
    {
        string flag = FailFlag(host);
        return Script(host, name, $"[ ! -e {flag} ]");
    }

    public static string FailFlag(LabHost host) => Path.Combine(host.RunDir, "fail");

    public static string Script(LabHost host, string name, string body)
    {
        string path = Path.Combine(host.RunDir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    public static string VrrpScript(string name, string path, string body) => $$"""
        vrrp_script {{name}} {
            script "{{path}}"
            {{body}}
        }
        """;

    /// <summary>The lab config with <paramref name="prefix"/> (vrrp_script blocks) before the instance.</summary>
    public static string Config(string routerId, string state, int priority, string prefix, string extra) =>
        prefix + "\n" + DaemonLab.Config(routerId, state, priority, extra: extra);

    /// <summary>Pids of the children of <paramref name="pid"/> (root pid namespace).</summary>
    public static List<int> ChildrenOf(int pid)
    {
        var children = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out int child))
                continue;
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                if (int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture) == pid)
                    children.Add(child);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return children;
    }

    /// <summary>Children of <paramref name="pid"/> (root pid namespace) in state Z.</summary>
    public static int ZombieChildren(int pid)
    {
        int zombies = 0;
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (f[0] == "Z" && int.Parse(f[1], CultureInfo.InvariantCulture) == pid)
                zombies++;
        }
        return zombies;
    }

    /// <summary>Processes whose command line contains <paramref name="marker"/>.</summary>
    public static int ProcessesMatching(string marker)
    {
        int n = 0;
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(marker, StringComparison.Ordinal))
                    n++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return n;
    }

    /// <summary>Starts <paramref name="kind"/> on <paramref name="host"/> with <paramref name="config"/>, stopped with the lab.</summary>
    public static LabDaemon Start(DaemonLab lab, LabHost host, DaemonKind kind, string config)
    {
        if (kind == DaemonKind.KeepSharp)
            return lab.StartKeepSharp(host, config);
        Assert.True(File.Exists("/usr/sbin/keepalived"), "keepalived 2.2.7 is needed at /usr/sbin/keepalived");
        var daemon = LabDaemon.Create(DaemonKind.Keepalived, host, lab.WriteConfig(host, config), lab.Binary, lab.Timeline);
        lab.Track(daemon);
        daemon.Start();
        return daemon;
    }

    /// <summary>
    /// A full config: <paramref name="globals"/> inside global_defs, <paramref name="prefix"/> (vrrp_script,
    /// trackers, sync groups) before VI_1, which is a seed-like instance with <paramref name="extra"/>.
    /// </summary>
    public static string FullConfig(string routerId, string state, int priority, string globals = "", string prefix = "", string extra = "",
        int vrid = 51, string vip = "10.51.0.161", string name = "VI_1") => $$"""
        global_defs {
           router_id {{routerId}}
           {{globals}}
        }
        {{prefix}}
        vrrp_instance {{name}} {
            state {{state}}
            interface eth0
            virtual_router_id {{vrid}}
            priority {{priority}}
            advert_int 1
            authentication {
                auth_type PASS
                auth_pass 1111
            }
            {{extra}}
            virtual_ipaddress {
                {{vip}}
            }
        }
        """;

    /// <summary>Lines of <paramref name="path"/> (none when missing).</summary>
    public static string[] Lines(string path) =>
        File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0).ToArray() : [];
}
