using KeepSharp.Linux.Notify;
using KeepSharp.Vrrp.Notification;

namespace KeepSharp.IntegrationTests.Linux;

/// <summary>A real notify FIFO: created, read back byte for byte, unlinked on close only when created.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class NotifyFifoFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keepsharp-fifo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Lines_read_back_from_the_fifo_are_keepalived_s_format_and_a_created_fifo_is_removed_on_close()
    {
        string path = Path.Combine(_dir, "notify.fifo");
        Assert.True(NotifyFifoFile.TryCreate(path, null, null, out bool created, out string? message), message);
        Assert.True(created);
        using var fifo = NotifyFifoFile.Open(path, created, out message);
        Assert.NotNull(fifo);
        Assert.True(fifo.IsFifo, message);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            File.GetUnixFileMode(path) & ~(UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)); // 0644 less the umask

        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read); // opens at once: our O_RDWR end exists
        fifo.Write(new VrrpNotification(VrrpNotificationTarget.Instance, "VI_1", VrrpNotificationEvent.Master, 100).FifoLine());
        fifo.Write(new VrrpNotification(VrrpNotificationTarget.Group, "G1", VrrpNotificationEvent.Backup, 0).FifoLine());
        var buffer = new byte[256];
        int total = 0;
        string expected = "INSTANCE \"VI_1\" MASTER 100\nGROUP \"G1\" BACKUP 0\n";
        while (total < expected.Length)
        {
            total += reader.Read(buffer, total, buffer.Length - total);
        }

        Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(buffer, 0, total));
        fifo.Dispose();
        Assert.False(File.Exists(path), "a FIFO the daemon created is unlinked at close");
    }

    [Fact]
    public void An_existing_fifo_is_kept_and_writes_without_a_reader_never_block()
    {
        string path = Path.Combine(_dir, "existing.fifo");
        Assert.True(NotifyFifoFile.TryCreate(path, null, null, out _, out _));
        Assert.True(NotifyFifoFile.TryCreate(path, null, null, out bool createdAgain, out string? message), message);
        Assert.False(createdAgain, "EEXIST: reused");
        var fifo = NotifyFifoFile.Open(path, createdAgain, out _)!;
        string line = new string('x', 4095) + "\n";
        for (int i = 0; i < 100; i++)
        {
            fifo.Write(line); // 400 KB into a 64 KB pipe nobody reads
        }

        Assert.True(fifo.DroppedWrites > 0, "a full pipe drops lines instead of blocking");
        fifo.Dispose();
        Assert.True(File.Exists(path), "a FIFO that existed before is left in place");
    }

    [Fact]
    public void A_symlink_is_refused_as_keepalived_s_O_NOFOLLOW_does()
    {
        string target = Path.Combine(_dir, "target.fifo");
        Assert.True(NotifyFifoFile.TryCreate(target, null, null, out _, out _));
        string link = Path.Combine(_dir, "link.fifo");
        File.CreateSymbolicLink(link, target);
        Assert.True(NotifyFifoFile.TryCreate(link, null, null, out bool created, out _));
        Assert.Null(NotifyFifoFile.Open(link, created, out string? message));
        Assert.Contains("Unable to open notify fifo", message, StringComparison.Ordinal);
    }
}
