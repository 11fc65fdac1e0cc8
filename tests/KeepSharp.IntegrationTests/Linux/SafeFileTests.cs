using System.Text;
using KeepSharp.Linux.Files;

namespace KeepSharp.IntegrationTests.Linux;

/// <summary>
/// Files written as root in a directory anyone can write to: a symlink planted on the path is replaced,
/// never written through; a file someone else prepared is never appended to (keepalived's CVE-2018-19044..19046).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SafeFileTests : IDisposable
{
    private const UnixFileMode ReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const string VictimText = "precious, owned by the test\n";

    private readonly string _dir = Directory.CreateTempSubdirectory("keepsharp-safefile-").FullName;

    private string Victim()
    {
        string victim = Path.Combine(_dir, "victim");
        File.WriteAllText(victim, VictimText);
        return victim;
    }

    [Fact]
    public void Replace_replaces_a_planted_symlink_and_leaves_its_target_untouched()
    {
        string victim = Victim();
        string target = Path.Combine(_dir, "keepalived.stats");
        File.CreateSymbolicLink(target, victim);

        Assert.Equal(0, SafeFile.Replace(target, Encoding.ASCII.GetBytes("statistics\n"), ReadWrite));

        Assert.Equal(VictimText, File.ReadAllText(victim));
        var written = new FileInfo(target);
        Assert.Null(written.LinkTarget);
        Assert.Equal("statistics\n", File.ReadAllText(target));
        Assert.Equal(ReadWrite, File.GetUnixFileMode(target));
        Assert.Equal(["keepalived.stats", "victim"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Replace_does_not_write_into_an_existing_file_that_a_reader_holds_open()
    {
        string target = Path.Combine(_dir, "keepalived.pid");
        File.WriteAllText(target, "old\n");
        using FileStream reader = File.OpenRead(target);

        Assert.Equal(0, SafeFile.Replace(target, Encoding.ASCII.GetBytes("4242\n"), ReadWrite));

        // The open descriptor still sees the old file: the new text went to a new inode.
        Assert.Equal("old\n", new StreamReader(reader).ReadToEnd());
        Assert.Equal("4242\n", File.ReadAllText(target));
    }

    [Fact]
    public void OpenForAppend_refuses_a_symlink_a_hard_link_and_a_file_of_another_user()
    {
        string victim = Victim();
        string symlink = Path.Combine(_dir, "via-symlink.log");
        File.CreateSymbolicLink(symlink, victim);
        string hardLink = Path.Combine(_dir, "via-hardlink.log");
        Shell.Run("ln", victim, hardLink);
        string foreign = Path.Combine(_dir, "foreign.log");
        File.WriteAllText(foreign, "");
        Shell.Run("chown", "65534", foreign);

        var symlinkRefused = Assert.Throws<IOException>(() => SafeFile.OpenForAppend(symlink, ReadWrite));
        Assert.Contains("symbolic links", symlinkRefused.Message); // ELOOP from O_NOFOLLOW
        Assert.Contains("2 hard links", Assert.Throws<IOException>(() => SafeFile.OpenForAppend(hardLink, ReadWrite)).Message);
        Assert.Contains("owned by uid 65534", Assert.Throws<IOException>(() => SafeFile.OpenForAppend(foreign, ReadWrite)).Message);
        Assert.Equal(VictimText, File.ReadAllText(victim));
        Assert.Equal("", File.ReadAllText(foreign));
    }

    [Fact]
    public void OpenForAppend_creates_then_appends_to_its_own_file()
    {
        string log = Path.Combine(_dir, "keepalived.log");
        foreach (string line in new[] { "first\n", "second\n" })
        {
            using var stream = new FileStream(SafeFile.OpenForAppend(log, UnixFileMode.UserRead | UnixFileMode.UserWrite), FileAccess.Write, bufferSize: 0);
            stream.Write(Encoding.ASCII.GetBytes(line));
        }
        Assert.Equal("first\nsecond\n", File.ReadAllText(log));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(log));
    }

    [Fact]
    public void ReadNoFollow_does_not_read_through_a_symlink()
    {
        string victim = Victim();
        string link = Path.Combine(_dir, "keepalived.pid");
        File.CreateSymbolicLink(link, victim);

        Assert.Null(SafeFile.ReadNoFollow(link));
        File.Delete(link);
        File.WriteAllText(link, "123\n");
        Assert.Equal("123\n", SafeFile.ReadNoFollow(link));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
