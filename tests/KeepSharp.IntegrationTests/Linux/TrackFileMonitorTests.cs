using KeepSharp.Config;
using KeepSharp.Daemon.Logging;
using KeepSharp.Daemon.Runtime.Tracking;

namespace KeepSharp.IntegrationTests.Linux;

/// <summary>
/// <see cref="TrackFileMonitor"/> on real files with real inotify, driven by a real poll loop: the values keepalived
/// would read (trackers/track_file.c) after writes, garbage, deletes, renames and init_file.
/// </summary>
public sealed class TrackFileMonitorTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private readonly string _dir = Directory.CreateTempSubdirectory("ks-trackfile-").FullName;
    private readonly PollerLoop _loop = new();
    private readonly Log _log = new([], detail: false);
    private readonly List<(string Name, long Value)> _reports = [];

    public void Dispose()
    {
        _loop.Dispose();
        _log.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private TrackFileMonitor Monitor(params VrrpTrackFile[] files) =>
        new(files, _loop, _log, (name, value) => _reports.Add((name, value)));

    private VrrpTrackFile File(string name, string fileName) =>
        new(name, new ConfigLocation("test.conf", 1)) { FilePath = Path.Combine(_dir, fileName) };

    private void ExpectValue(string name, long value, string what)
    {
        bool seen = _loop.RunUntil(() => _reports.Count > 0 && _reports[^1] == (name, value), Bound);
        Assert.True(seen, $"{what}: expected {name} = {value} within {Bound.TotalSeconds} s; reports: {string.Join(", ", _reports)}");
    }

    [Fact]
    public void Values_follow_writes_garbage_deletes_and_renames_as_keepalived_reads_them()
    {
        var tracked = File("tf", "value");
        using var monitor = Monitor(tracked);
        monitor.Start();
        Assert.Equal([("tf", 0L)], _reports); // missing at start: 0, reported once

        System.IO.File.WriteAllText(tracked.FilePath, "5\n");
        ExpectValue("tf", 5, "a written value");

        System.IO.File.WriteAllText(tracked.FilePath, "  -12 trailing words");
        ExpectValue("tf", -12, "leading blanks and a sign, trailing text ignored (strtol)");

        System.IO.File.WriteAllText(tracked.FilePath, "0x1f");
        ExpectValue("tf", 31, "hexadecimal (strtol base 0)");

        System.IO.File.WriteAllText(tracked.FilePath, "garbage");
        ExpectValue("tf", 0, "no digits reads as 0");

        System.IO.File.WriteAllText(tracked.FilePath, "7");
        ExpectValue("tf", 7, "a value again");
        System.IO.File.WriteAllText(tracked.FilePath, "99999999999");
        System.IO.File.WriteAllText(Path.Combine(_dir, "other"), "3"); // an event in the directory for another file
        _loop.RunFor(TimeSpan.FromMilliseconds(300));
        Assert.Equal(("tf", 7L), _reports[^1]); // out of the int range: ignored, the last value stays

        System.IO.File.Delete(tracked.FilePath);
        ExpectValue("tf", 0, "a deleted file counts as 0");

        string staged = Path.Combine(_dir, "staged");
        System.IO.File.WriteAllText(staged, "42\n");
        System.IO.File.Move(staged, tracked.FilePath);
        ExpectValue("tf", 42, "a file moved in is read");

        System.IO.File.Move(tracked.FilePath, Path.Combine(_dir, "away"));
        ExpectValue("tf", 0, "a file moved away counts as 0");

        System.IO.File.WriteAllText(tracked.FilePath, "");
        _loop.RunFor(TimeSpan.FromMilliseconds(300));
        Assert.Equal(("tf", 0L), _reports[^1]); // empty: 0, unchanged, so not reported again
    }

    [Fact]
    public void An_existing_file_is_read_at_start_and_two_trackers_of_one_directory_are_told_apart()
    {
        var a = File("a", "a");
        var b = File("b", "b");
        System.IO.File.WriteAllText(a.FilePath, "3\n");
        using var monitor = Monitor(a, b);
        monitor.Start();
        Assert.Equal([("a", 3L), ("b", 0L)], _reports);

        System.IO.File.WriteAllText(b.FilePath, "9");
        ExpectValue("b", 9, "the second file");
        Assert.DoesNotContain(("a", 9L), _reports);
    }

    [Fact]
    public void Init_file_creates_a_missing_file_keeps_an_existing_one_and_overwrite_replaces_it()
    {
        var created = File("created", "created");
        created.Init = TrackFileInit.Create;
        created.InitValue = 17;
        var kept = File("kept", "kept");
        kept.Init = TrackFileInit.Create;
        kept.InitValue = 5;
        System.IO.File.WriteAllText(kept.FilePath, "2\n");
        var replaced = File("replaced", "replaced");
        replaced.Init = TrackFileInit.Overwrite;
        replaced.InitValue = -3;
        System.IO.File.WriteAllText(replaced.FilePath, "2\n");

        using var monitor = Monitor(created, kept, replaced);
        monitor.Start();

        Assert.Equal("17\n", System.IO.File.ReadAllText(created.FilePath));
        Assert.Equal("2\n", System.IO.File.ReadAllText(kept.FilePath));
        Assert.Equal("-3\n", System.IO.File.ReadAllText(replaced.FilePath));
        Assert.Equal([("created", 17L), ("kept", 2L), ("replaced", -3L)], _reports);
    }

    [Fact]
    public void A_file_in_a_missing_directory_is_dropped()
    {
        var missing = File("missing", Path.Combine("no-such-dir", "value"));
        var present = File("present", "present");
        using var monitor = Monitor(missing, present);
        monitor.Start();
        Assert.Equal([("present", 0L)], _reports);
        Assert.False(monitor.Paths.ContainsKey("missing"));
    }
}
