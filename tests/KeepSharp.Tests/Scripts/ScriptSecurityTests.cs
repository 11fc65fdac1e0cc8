using KeepSharp.Linux.Processes;
using KeepSharp.Scripts;

namespace KeepSharp.Tests.Scripts;

/// <summary>keepalived's check_script_secure() on real files in a temporary directory (the tests run as root).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ScriptSecurityTests : IDisposable
{
    private const UnixFileMode Rwxr_xr_x = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private static readonly ScriptUser Root = new(0, 0);
    private readonly string _dir;

    public ScriptSecurityTests()
    {
        Assert.True(Environment.UserName == "root", "these tests create root-owned files and need root");
        _dir = Directory.CreateTempSubdirectory("keepsharp-security-").FullName;
        File.SetUnixFileMode(_dir, Rwxr_xr_x);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_root_owned_script_in_root_owned_directories_is_secure()
    {
        string script = Script(_dir, "check.sh");
        var result = Check(script + " arg", Root, scriptSecurity: true);
        Assert.Equal(ScriptCheckFlags.IsScript | ScriptCheckFlags.Executable, result.Flags);
        Assert.False(result.Disabled);
        Assert.Equal([script, "arg"], result.Arguments);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public void A_world_writable_directory_component_is_named_and_disables_the_script_with_script_security()
    {
        string writable = Directory.CreateDirectory(Path.Combine(_dir, "writable")).FullName;
        File.SetUnixFileMode(writable, Rwxr_xr_x | UnixFileMode.OtherWrite);
        string script = Script(writable, "check.sh");

        var secured = Check(script, Root, scriptSecurity: true);
        Assert.True(secured.Flags.HasFlag(ScriptCheckFlags.Insecure | ScriptCheckFlags.Inhibit), secured.Flags.ToString());
        Assert.True(secured.Disabled);
        Assert.Equal(writable, secured.InsecureComponent);
        string message = Assert.Single(secured.Messages);
        Assert.StartsWith($"Unsafe permissions found for script '{script}' - disabling: '{writable}'", message, StringComparison.Ordinal);

        // Without enable_script_security keepalived only reports it: the script still runs.
        var open = Check(script, Root, scriptSecurity: false);
        Assert.Equal(ScriptCheckFlags.IsScript | ScriptCheckFlags.Executable | ScriptCheckFlags.Insecure, open.Flags);
        Assert.False(open.Disabled);
        Assert.StartsWith($"Unsafe permissions found for script '{script}': ", Assert.Single(open.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public void A_sticky_world_writable_directory_is_accepted_like_tmp()
    {
        string sticky = Directory.CreateDirectory(Path.Combine(_dir, "sticky")).FullName;
        File.SetUnixFileMode(sticky, Rwxr_xr_x | UnixFileMode.OtherWrite | UnixFileMode.GroupWrite | UnixFileMode.StickyBit);
        Assert.False(Check(Script(sticky, "check.sh"), Root, scriptSecurity: true).Flags.HasFlag(ScriptCheckFlags.Insecure));
    }

    [Fact]
    public void A_group_writable_script_is_insecure_unless_the_group_is_root()
    {
        string script = Script(_dir, "check.sh");
        File.SetUnixFileMode(script, Rwxr_xr_x | UnixFileMode.GroupWrite);
        Assert.False(Check(script, Root, true).Flags.HasFlag(ScriptCheckFlags.Insecure));

        Chown(script, 0, 65534);
        var result = Check(script, Root, true);
        Assert.True(result.Disabled);
        Assert.Equal(script, result.InsecureComponent);
    }

    [Fact]
    public void A_script_owned_by_another_user_is_insecure()
    {
        string script = Script(_dir, "check.sh");
        Chown(script, 65534, 65534);
        Assert.Equal(script, Check(script, Root, true).InsecureComponent);
    }

    [Fact]
    public void A_symlink_is_resolved_and_the_resolved_path_is_checked_and_run()
    {
        string writable = Directory.CreateDirectory(Path.Combine(_dir, "writable")).FullName;
        File.SetUnixFileMode(writable, Rwxr_xr_x | UnixFileMode.OtherWrite);
        string real = Script(writable, "real.sh");
        string link = Path.Combine(_dir, "check");
        File.CreateSymbolicLink(link, real);

        var result = Check(link, Root, true);
        Assert.Equal(real, result.Arguments[0]);
        Assert.True(result.Disabled, "the target's directory is world-writable");
        Assert.Equal(writable, result.InsecureComponent);
    }

    [Fact]
    public void A_symlinked_directory_keeps_the_written_file_name_when_it_is_the_same_file()
    {
        string realDir = Directory.CreateDirectory(Path.Combine(_dir, "real")).FullName;
        File.SetUnixFileMode(realDir, Rwxr_xr_x);
        string script = Script(realDir, "check.sh");
        string linkedDir = Path.Combine(_dir, "linked");
        File.CreateSymbolicLink(linkedDir, realDir);

        var result = Check(Path.Combine(linkedDir, "check.sh"), Root, true);
        Assert.Equal(script, result.Arguments[0]);
        Assert.False(result.Disabled);
    }

    [Fact]
    public void Scripts_not_run_as_root_are_not_path_checked_but_must_be_executable_by_their_user()
    {
        string writable = Directory.CreateDirectory(Path.Combine(_dir, "writable")).FullName;
        File.SetUnixFileMode(writable, Rwxr_xr_x | UnixFileMode.OtherWrite);
        string script = Script(writable, "check.sh");
        var nobody = new ScriptUser(65534, 65534);
        Assert.Equal(ScriptCheckFlags.IsScript | ScriptCheckFlags.Executable, Check(script, nobody, true).Flags);

        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var denied = Check(script, nobody, true);
        Assert.True(denied.Disabled);
        Assert.Equal($"WARNING - script '{script}' is not executable for uid:gid 65534:65534 - disabling.", Assert.Single(denied.Messages));
    }

    [Fact]
    public void Missing_scripts_bare_names_and_file_tests()
    {
        var missing = Check(Path.Combine(_dir, "missing.sh"), Root, true);
        Assert.Equal(ScriptCheckFlags.NotFound, missing.Flags);
        Assert.True(missing.Disabled);

        var bare = Check("true", Root, false);
        Assert.False(bare.Disabled);
        Assert.StartsWith("/", bare.Arguments[0], StringComparison.Ordinal);
        Assert.Contains("resolved by path search", bare.Messages[0], StringComparison.Ordinal);

        var fileTest = Check("</etc/hostname", Root, true);
        Assert.Equal(ScriptCheckFlags.System, fileTest.Flags);
        Assert.True(fileTest.UseShell);
        Assert.False(fileTest.Disabled);
    }

    [Fact]
    public void Default_script_user_is_keepalived_script_when_it_exists_else_the_daemon_with_an_error_under_script_security()
    {
        bool exists = ScriptUser.TryResolve(ScriptUser.DefaultUserName, null, out var named, out _);
        Assert.Equal(exists, ScriptUser.TryGetDefault(scriptSecurity: true, out var secured, out string? error));
        Assert.True(ScriptUser.TryGetDefault(scriptSecurity: false, out var open, out _));
        Assert.Equal(exists ? named : ScriptUser.Daemon, open);
        Assert.Equal(exists ? named : ScriptUser.Daemon, secured);
        Assert.Equal(exists ? null : "Unable to set default user keepalived_script for script", error);
        Assert.Equal(new ScriptUser(65534, 65534), ScriptUser.Resolve("nobody", "nogroup"));
        Assert.False(ScriptUser.TryResolve("no-such-user-keepsharp", null, out _, out string? missing));
        Assert.Equal("Script user 'no-such-user-keepsharp' does not exist", missing);
    }

    private static ScriptCheckResult Check(string script, ScriptUser user, bool scriptSecurity)
        => ScriptSecurity.Check(ScriptCommandLine.Parse(script), user, scriptSecurity);

    private static string Script(string directory, string name)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(path, Rwxr_xr_x);
        return path;
    }

    private static void Chown(string path, int uid, int gid)
        => Assert.Equal(0, System.Diagnostics.Process.Start("chown", $"{uid}:{gid} {path}") is { } p && p.WaitForExit(10_000) ? p.ExitCode : -1);
}
