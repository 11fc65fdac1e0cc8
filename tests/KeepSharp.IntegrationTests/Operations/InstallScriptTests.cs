using KeepSharp.IntegrationTests.Daemon;
using KeepSharp.Lab;

namespace KeepSharp.IntegrationTests.Operations;

/// <summary>scripts/install.sh and scripts/uninstall.sh, run for real into a temporary root (never the host's).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InstallScriptTests : IDisposable
{
    private readonly string _repo = RepoRoot.Find();
    private readonly string _root = Directory.CreateTempSubdirectory("keepsharp-install-").FullName;

    private string Install => Path.Combine(_repo, "scripts", "install.sh");
    private string Uninstall => Path.Combine(_repo, "scripts", "uninstall.sh");
    private string Binary => Path.Combine(_root, "usr/sbin/keepsharp");
    private string Unit => Path.Combine(_root, "etc/systemd/system/keepsharp.service");
    private string Config => Path.Combine(_root, "etc/keepalived/keepalived.conf");

    [Fact]
    public void Install_puts_the_binary_the_notify_unit_and_a_sample_config_in_place_with_their_modes()
    {
        ShResult result = Sh.Run(Install, "--destdir", _root, "--binary", KeepSharpProcess.BinaryPath);

        Assert.Contains("installed /usr/sbin/keepsharp", result.StdOut);
        Assert.Equal(File.ReadAllBytes(KeepSharpProcess.BinaryPath), File.ReadAllBytes(Binary));
        Assert.Equal(Mode("755"), File.GetUnixFileMode(Binary));
        Assert.Equal(Mode("644"), File.GetUnixFileMode(Unit));
        Assert.Equal(Mode("644"), File.GetUnixFileMode(Config));
        Assert.Equal(File.ReadAllText(Path.Combine(_repo, "packaging/keepsharp.service")), File.ReadAllText(Unit));
        Assert.Equal(File.ReadAllText(Path.Combine(_repo, "packaging/keepalived.conf.sample")), File.ReadAllText(Config));
        Assert.Contains("installed a sample /etc/keepalived/keepalived.conf", result.StdOut);

        string[] unit = File.ReadAllLines(Unit);
        Assert.Contains("Type=notify", unit);
        Assert.Contains("NotifyAccess=main", unit);
        Assert.Contains("EnvironmentFile=-/etc/sysconfig/keepalived", unit);
        Assert.Contains("EnvironmentFile=-/etc/default/keepalived", unit);
        Assert.Contains("ExecStart=/usr/sbin/keepsharp --dont-fork $KEEPALIVED_OPTIONS $DAEMON_ARGS", unit);
        Assert.Contains("Conflicts=keepalived.service", unit);

        // The sample is a configuration the installed binary accepts.
        Assert.Equal(0, Sh.Try(Binary, "-t", "-f", Config).ExitCode);
    }

    [Fact]
    public void An_existing_config_is_never_touched_and_a_second_install_changes_nothing()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Config)!);
        const string Operators = "global_defs {\n   router_id operators_own\n}\n";
        File.WriteAllText(Config, Operators);
        File.SetUnixFileMode(Config, Mode("600"));
        var written = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Config, written);

        ShResult first = Sh.Run(Install, "--destdir", _root, "--binary", KeepSharpProcess.BinaryPath);
        DateTime binaryWritten = File.GetLastWriteTimeUtc(Binary);
        ShResult second = Sh.Run(Install, "--destdir", _root, "--binary", KeepSharpProcess.BinaryPath);

        Assert.Contains("kept the existing /etc/keepalived/keepalived.conf", first.StdOut);
        Assert.Equal(Operators, File.ReadAllText(Config));
        Assert.Equal(Mode("600"), File.GetUnixFileMode(Config));
        Assert.Equal(written, File.GetLastWriteTimeUtc(Config));
        Assert.Contains("/usr/sbin/keepsharp is up to date", second.StdOut);
        Assert.Contains("/etc/systemd/system/keepsharp.service is up to date", second.StdOut);
        Assert.Equal(binaryWritten, File.GetLastWriteTimeUtc(Binary));
    }

    [Fact]
    public void A_changed_binary_is_replaced_through_a_new_file_not_rewritten_in_place()
    {
        Sh.Run(Install, "--destdir", _root, "--binary", KeepSharpProcess.BinaryPath);
        string old = Path.Combine(_root, "old-keepsharp");
        File.Copy(Binary, old);
        File.AppendAllText(Binary, "stale");
        long inode = Inode(Binary);

        ShResult result = Sh.Run(Install, "--destdir", _root, "--binary", KeepSharpProcess.BinaryPath);

        Assert.Contains("updated /usr/sbin/keepsharp", result.StdOut);
        Assert.NotEqual(inode, Inode(Binary)); // a running daemon keeps its file (no ETXTBSY, no torn binary)
        Assert.Equal(File.ReadAllBytes(old), File.ReadAllBytes(Binary));
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(_root, "usr/sbin")), f => f.EndsWith(".keepsharp-new", StringComparison.Ordinal));
    }

    [Fact]
    public void Uninstall_removes_what_install_put_there_and_leaves_the_config_twice_over()
    {
        // DESTDIR from the environment, as make-style installs pass it.
        Sh.Run("env", $"DESTDIR={_root}", Install, "--binary", KeepSharpProcess.BinaryPath);
        File.AppendAllText(Config, "! edited by the operator\n");
        string config = File.ReadAllText(Config);

        ShResult first = Sh.Run("env", $"DESTDIR={_root}", Uninstall);
        ShResult second = Sh.Run(Uninstall, "--destdir", _root);

        Assert.False(File.Exists(Binary));
        Assert.False(File.Exists(Unit));
        Assert.Equal(config, File.ReadAllText(Config));
        Assert.Contains("removed /usr/sbin/keepsharp", first.StdOut);
        Assert.Contains("left /etc/keepalived/keepalived.conf in place", first.StdOut);
        Assert.Contains("/usr/sbin/keepsharp is not installed", second.StdOut);
        Assert.Equal([Config], Directory.GetFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Installing_into_the_host_root_is_refused_to_a_non_root_caller()
    {
        ShResult result = Sh.Try("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", Install, "--binary", KeepSharpProcess.BinaryPath);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("installing into / needs root", result.StdErr);
    }

    private static UnixFileMode Mode(string octal) => (UnixFileMode)Convert.ToInt32(octal, 8);

    private static long Inode(string path) => long.Parse(Sh.Run("stat", "-c", "%i", path).StdOut.Trim(), System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
