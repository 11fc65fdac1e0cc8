using System.Globalization;
using KeepSharp.IntegrationTests.Daemon;
using KeepSharp.Lab;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Operations;

/// <summary>The package scripts/build-deb.sh builds, read with dpkg-deb and built once for the class.</summary>
public sealed class DebPackageFixture
{
    public DebPackageFixture()
    {
        Repo = RepoRoot.Find();
        _ = KeepSharpProcess.BinaryPath; // built by ./build.sh, not here
        ShResult built = Sh.Run([Path.Combine(Repo, "scripts", "build-deb.sh")], check: true, timeoutMs: 120_000);
        Output = built.StdOut;
        string version = KeepSharpProcess.Run("-v").StdErr.Split(' ')[1].TrimStart('v');
        Version = version;
        Architecture = Sh.Run("dpkg", "--print-architecture").StdOut.Trim();
        Deb = Path.Combine(Repo, "artifacts", $"keepsharp_{version}_{Architecture}.deb");
    }

    public string Repo { get; }
    public string Output { get; }
    public string Version { get; }
    public string Architecture { get; }
    /// <summary>The .deb's path.</summary>
    public string Deb { get; }

    public string Field(string name) => Sh.Run("dpkg-deb", "-f", Deb, name).StdOut.Trim();
}

/// <summary>
/// The Debian package: what dpkg-deb reads from it, and what dpkg does with it in a throwaway root
/// (<c>dpkg --root</c> with the maintainer scripts run outside a chroot, DPKG_ROOT set): never the host's root,
/// whose keepalived other tests need.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DebPackageTests(DebPackageFixture deb, ITestOutputHelper output) : IClassFixture<DebPackageFixture>
{
    private static readonly string DebianDefault = "# Options to pass to keepalived\n\n# DAEMON_ARGS are appended to the keepalived command-line\nDAEMON_ARGS=\"\"\n";

    [Fact]
    public void It_is_named_after_the_project_version_and_provides_conflicts_with_and_replaces_keepalived()
    {
        Assert.True(File.Exists(deb.Deb), $"{deb.Deb} missing; build-deb.sh said: {deb.Output}");
        Assert.Contains(deb.Deb, deb.Output);
        Assert.Equal("keepsharp", deb.Field("Package"));
        Assert.Equal(deb.Version, deb.Field("Version"));
        Assert.Equal(deb.Architecture, deb.Field("Architecture"));
        Assert.Equal("keepalived", deb.Field("Provides"));
        Assert.Equal("keepalived", deb.Field("Conflicts"));
        Assert.Equal("keepalived", deb.Field("Replaces"));
        Assert.StartsWith("libc6 (>= ", deb.Field("Depends"));
        Assert.Equal("/etc/default/keepalived", Sh.Run("dpkg-deb", "-I", deb.Deb, "conffiles").StdOut.Trim());
    }

    [Fact]
    public void It_carries_both_binary_names_the_unit_and_its_keepalived_alias()
    {
        string[] contents = Sh.Run("dpkg-deb", "-c", deb.Deb).StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (string line in contents)
            output.WriteLine(line);
        string Entry(string path) => Assert.Single(contents, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[5] == path);

        Assert.StartsWith("-rwxr-xr-x root/root", Entry("./usr/sbin/keepalived"));
        Assert.EndsWith("./usr/sbin/keepsharp link to ./usr/sbin/keepalived", Entry("./usr/sbin/keepsharp")); // a hard link
        Assert.StartsWith("-rw-r--r-- root/root", Entry("./lib/systemd/system/keepsharp.service"));
        Assert.EndsWith("./lib/systemd/system/keepalived.service -> keepsharp.service", Entry("./lib/systemd/system/keepalived.service"));
        Assert.StartsWith("-rw-r--r-- root/root", Entry("./etc/default/keepalived"));
        Assert.StartsWith("-rw-r--r-- root/root", Entry("./usr/share/keepsharp/keepalived.conf.sample"));
        // The configuration is never shipped: postinst copies the sample only where there is none.
        Assert.DoesNotContain(contents, l => l.Contains("./etc/keepalived", StringComparison.Ordinal));

        using var x = new Scratch();
        Sh.Run("dpkg-deb", "-x", deb.Deb, x.Dir);
        string[] unit = File.ReadAllLines(Path.Combine(x.Dir, "lib/systemd/system/keepsharp.service"));
        Assert.Contains("Type=notify", unit);
        Assert.Contains("ExecStart=/usr/sbin/keepalived --dont-fork $KEEPALIVED_OPTIONS $DAEMON_ARGS", unit); // comm "keepalived"
        Assert.Contains("Alias=keepalived.service", unit);
        Assert.DoesNotContain(unit, l => l.StartsWith("Conflicts=", StringComparison.Ordinal));
        Assert.Contains("EnvironmentFile=-/etc/default/keepalived", unit);
        Assert.Contains("EnvironmentFile=-/etc/sysconfig/keepalived", unit);
        Assert.Equal(DebianDefault, File.ReadAllText(Path.Combine(x.Dir, "etc/default/keepalived")));
        Assert.Equal(File.ReadAllBytes(KeepSharpProcess.BinaryPath), File.ReadAllBytes(Path.Combine(x.Dir, "usr/sbin/keepalived")));
    }

    [Fact]
    public void Installed_over_keepalived_it_takes_its_names_and_never_touches_the_operators_config()
    {
        using var x = new Scratch();
        ThrowawayRoot root = ThrowawayRoot.Create(x.Dir);
        root.Install(FakeKeepalived(x.Dir));
        Directory.CreateDirectory(root.At("etc/keepalived"));
        const string Operators = "global_defs {\n   router_id from_keepalived_days\n}\n";
        File.WriteAllText(root.At("etc/keepalived/keepalived.conf"), Operators);

        ShResult installed = root.Install(deb.Deb);
        output.WriteLine(installed.StdOut + installed.StdErr);

        Assert.Contains("will remove keepalived in favour of keepsharp", installed.StdErr);
        Assert.StartsWith("ii ", root.Status("keepsharp"));
        Assert.Equal('c', root.Status("keepalived")[1]); // not installed any more: only its configuration is left
        Assert.Equal("keepsharp: /usr/sbin/keepalived", root.Owner("/usr/sbin/keepalived"));
        Assert.Equal("keepsharp: /lib/systemd/system/keepalived.service", root.Owner("/lib/systemd/system/keepalived.service"));
        Assert.Equal("keepsharp: /etc/default/keepalived", root.Owner("/etc/default/keepalived"));
        Assert.Equal(Inode(root.At("usr/sbin/keepsharp")), Inode(root.At("usr/sbin/keepalived")));
        Assert.Equal("keepsharp.service", new FileInfo(root.At("lib/systemd/system/keepalived.service")).LinkTarget);
        Assert.Equal(DebianDefault, File.ReadAllText(root.At("etc/default/keepalived")));
        Assert.Equal(Operators, File.ReadAllText(root.At("etc/keepalived/keepalived.conf")));
        Assert.DoesNotContain("installed a sample", installed.StdOut);

        // Reinstalled (an upgrade's path) and purged: the configuration stays as it was.
        root.Install(deb.Deb);
        root.Dpkg("--purge", "keepsharp");
        Assert.Equal(Operators, File.ReadAllText(root.At("etc/keepalived/keepalived.conf")));
        Assert.False(File.Exists(root.At("usr/sbin/keepalived")));
        Assert.False(File.Exists(root.At("lib/systemd/system/keepsharp.service")));
    }

    [Fact]
    public void Installed_where_there_is_no_config_it_adds_the_sample_once_which_the_daemon_accepts()
    {
        using var x = new Scratch();
        ThrowawayRoot root = ThrowawayRoot.Create(x.Dir);

        ShResult installed = root.Install(deb.Deb);

        string config = root.At("etc/keepalived/keepalived.conf");
        Assert.Contains("installed a sample /etc/keepalived/keepalived.conf", installed.StdOut);
        Assert.Equal(File.ReadAllText(Path.Combine(deb.Repo, "packaging/keepalived.conf.sample")), File.ReadAllText(config));
        Assert.Equal((UnixFileMode)Convert.ToInt32("644", 8), File.GetUnixFileMode(config));
        Assert.Equal("dpkg-query: no path found matching pattern /etc/keepalived/keepalived.conf",
            Sh.Try("dpkg-query", $"--admindir={root.Admin}", "-S", "/etc/keepalived/keepalived.conf").StdErr.Trim());
        Assert.Equal(0, Sh.Try(root.At("usr/sbin/keepalived"), "-t", "-f", config).ExitCode);

        File.AppendAllText(config, "! edited\n");
        ShResult again = root.Install(deb.Deb);
        Assert.DoesNotContain("installed a sample", again.StdOut);
        Assert.EndsWith("! edited\n", File.ReadAllText(config));
    }

    [Fact]
    public void The_keepalived_name_runs_keepsharp_and_killall_keepalived_stops_it()
    {
        using var lab = new DaemonLab(output);
        LabHost host = lab.Topology.H171;
        string files = Path.Combine(host.RunDir, "package");
        Sh.Run("dpkg-deb", "-x", deb.Deb, files);
        string keepalived = Path.Combine(files, "usr/sbin/keepalived");
        Assert.Contains("KeepSharp v", host.Exec(keepalived, "-v").StdErr);

        // As an operator types it: no -n, so it detaches (the child starts itself again by its own path).
        string config = lab.WriteConfig(host, DaemonLab.Config("keep_171", "MASTER", 100));
        string pidFile = Path.Combine(host.RunDir, "keepalived.pid");
        host.Exec(keepalived, "-f", config, "-p", pidFile, "-G");
        Assert.True(DaemonLab.WaitFor(() => File.Exists(pidFile), TimeSpan.FromSeconds(3)), "no pid file");
        Assert.True(DaemonLab.WaitFor(() => lab.Topology.HoldsVip(host), TimeSpan.FromSeconds(6)), "it did not become master");
        string pid = File.ReadAllText(pidFile).Trim();

        // Inside the lab host's own PID namespace: only its processes are seen, and signalled.
        Assert.Equal("keepalived", host.Exec("cat", $"/proc/{pid}/comm").StdOut.Trim());
        Assert.Equal(pid, host.Exec("pidof", "keepalived").StdOut.Trim());
        host.Exec("killall", "keepalived");

        Assert.True(DaemonLab.WaitFor(() => !File.Exists(pidFile), TimeSpan.FromSeconds(5)), "killall keepalived did not stop it");
        Assert.False(lab.Topology.HoldsVip(host), "the address was not released");
        Assert.Equal("", host.Exec("sh", "-c", "pidof keepalived || true").StdOut.Trim());
    }

    private static long Inode(string path) =>
        long.Parse(Sh.Run("stat", "-c", "%i", path).StdOut.Trim(), CultureInfo.InvariantCulture);

    /// <summary>A stand-in for Debian's keepalived package: its binary, unit and conffile at Debian's paths.</summary>
    private static string FakeKeepalived(string dir)
    {
        string tree = Path.Combine(dir, "fake-keepalived");
        foreach (string d in new[] { "DEBIAN", "usr/sbin", "lib/systemd/system", "etc/default" })
            Directory.CreateDirectory(Path.Combine(tree, d));
        File.WriteAllText(Path.Combine(tree, "usr/sbin/keepalived"), "#!/bin/sh\necho the old keepalived\n");
        File.SetUnixFileMode(Path.Combine(tree, "usr/sbin/keepalived"), (UnixFileMode)Convert.ToInt32("755", 8));
        File.WriteAllText(Path.Combine(tree, "lib/systemd/system/keepalived.service"), "[Service]\nType=notify\nExecStart=/usr/sbin/keepalived --dont-fork\n");
        File.WriteAllText(Path.Combine(tree, "etc/default/keepalived"), DebianDefault);
        File.WriteAllText(Path.Combine(tree, "DEBIAN/conffiles"), "/etc/default/keepalived\n");
        File.WriteAllText(Path.Combine(tree, "DEBIAN/control"),
            "Package: keepalived\nVersion: 1:2.2.7-1\nArchitecture: all\nMaintainer: test <test@localhost>\nDescription: stand-in for Debian's keepalived\n");
        string path = Path.Combine(dir, "keepalived_2.2.7-1_all.deb");
        Sh.Run("dpkg-deb", "--root-owner-group", "--build", tree, path);
        return path;
    }

    /// <summary>A dpkg database and root in a scratch directory.</summary>
    private sealed class ThrowawayRoot
    {
        private ThrowawayRoot(string dir) => Dir = dir;

        public string Dir { get; }
        public string Admin => Path.Combine(Dir, "var/lib/dpkg");

        public static ThrowawayRoot Create(string scratch)
        {
            var root = new ThrowawayRoot(Path.Combine(scratch, "root"));
            Directory.CreateDirectory(Path.Combine(root.Admin, "info"));
            Directory.CreateDirectory(Path.Combine(root.Admin, "updates"));
            File.WriteAllText(Path.Combine(root.Admin, "status"), "");
            return root;
        }

        public string At(string path) => Path.Combine(Dir, path);

        /// <summary>libc6 is the host's, not the scratch root's: dependencies are not checked here.</summary>
        public ShResult Install(string package) => Dpkg("--force-depends", "-i", package);

        public ShResult Dpkg(params string[] args) =>
            Sh.Run(["dpkg", $"--root={Dir}", "--force-script-chrootless", "--log=/dev/null", .. args], check: true, timeoutMs: 60_000);

        public string Status(string package) =>
            Sh.Run("dpkg-query", $"--admindir={Admin}", "-W", "-f=${db:Status-Abbrev}", package).StdOut;

        public string Owner(string path) => Sh.Run("dpkg-query", $"--admindir={Admin}", "-S", path).StdOut.Trim();
    }

    private sealed class Scratch : IDisposable
    {
        public string Dir { get; } = Directory.CreateTempSubdirectory("keepsharp-deb-").FullName;

        public void Dispose() => Directory.Delete(Dir, recursive: true);
    }
}
