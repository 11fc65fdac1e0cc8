using KeepSharp.Config;
using KeepSharp.Daemon.Logging;
using KeepSharp.Daemon.Runtime.Loop;
using KeepSharp.Linux.Files;
using KeepSharp.Vrrp.Tracking;

namespace KeepSharp.Daemon.Runtime.Tracking;

/// <summary>
/// Watches the tracked files (keepalived's trackers/track_file.c <c>init_track_files</c>, <c>process_inotify</c>):
/// <list type="bullet">
/// <item>At <see cref="Start"/>: <c>init_file</c> writes its value ("N\n") when the file is missing, or, with
/// <c>overwrite</c>, also over an existing regular file; then each path is resolved (an existing file through its
/// links; else its directory, which must exist, or the file is dropped), its directory watched with inotify
/// (IN_CLOSE_WRITE | IN_DELETE | IN_MOVE), and the file read (missing: 0).</item>
/// <item>A file closed after writing or moved in is read again (<see cref="TrackFileValue"/>); a deleted or moved-away
/// file counts as 0. Only a changed value reaches the callback.</item>
/// </list>
/// Everything runs on the loop: the inotify descriptor is watched through <see cref="ILoopServices.WatchReadable"/>.
/// </summary>
internal sealed class TrackFileMonitor : IDisposable
{
    private const InotifyEvents Watched = InotifyEvents.CloseWrite | InotifyEvents.Delete | InotifyEvents.Move;

    private readonly ILoopServices _loop;
    private readonly Log _log;
    private readonly Action<string, long> _onValue;
    private readonly List<Watch> _files = [];
    private InotifyWatcher? _inotify;
    private IDisposable? _readable;

    /// <param name="files">The tracked files some instance or sync group tracks (keepalived forgets the others).</param>
    /// <param name="onValue">Called on the loop with the file's name and value: once per file at <see cref="Start"/>, then on each change.</param>
    public TrackFileMonitor(IEnumerable<VrrpTrackFile> files, ILoopServices loop, Log log, Action<string, long> onValue)
    {
        _loop = loop;
        _log = log;
        _onValue = onValue;
        Files = [.. files];
    }

    public IReadOnlyList<VrrpTrackFile> Files { get; }

    /// <summary>The resolved path of each watched file, by tracker name (files dropped at start are absent).</summary>
    public IReadOnlyDictionary<string, string> Paths => _files.ToDictionary(f => f.Config.Name, f => f.Path);

    /// <summary>The last value of each watched file, by tracker name.</summary>
    public IReadOnlyDictionary<string, long> Values => _files.ToDictionary(f => f.Config.Name, f => f.Value);

    public void Start()
    {
        foreach (VrrpTrackFile file in Files)
        {
            Initialise(file);
            if (Resolve(file) is not { } path)
                continue;
            _inotify ??= new InotifyWatcher();
            int wd = _inotify.AddWatch(Path.GetDirectoryName(path)!, Watched);
            if (wd < 0)
                _log.Warning($"Unable to monitor track file {file.Name} (errno {-wd})");
            var watch = new Watch(file, path, wd) { Value = Read(path) ?? 0 };
            _files.Add(watch);
            _onValue(file.Name, watch.Value);
        }
        if (_inotify is not null)
            _readable = _loop.WatchReadable(_inotify.Fd, OnReadable);
    }

    public void Dispose()
    {
        _readable?.Dispose();
        _inotify?.Dispose();
    }

    private void OnReadable()
    {
        _inotify!.ReadEvents(e =>
        {
            if ((e.Mask & InotifyEvents.IsDirectory) != 0)
                return;
            foreach (Watch watch in _files)
            {
                if (watch.Descriptor != e.Watch || watch.FileName != e.Name)
                    continue;
                long? value = (e.Mask & (InotifyEvents.MovedFrom | InotifyEvents.Delete)) != 0 ? 0 : Read(watch.Path);
                if (value is not { } v)
                {
                    _log.Info($"Invalid number read from {watch.Path} - ignoring");
                    continue;
                }
                if (v == watch.Value)
                    continue;
                watch.Value = v;
                _onValue(watch.Config.Name, v);
            }
        });
    }

    /// <summary>track_file_end_handler: <c>init_file</c> at start.</summary>
    private void Initialise(VrrpTrackFile file)
    {
        if (file.Init == TrackFileInit.None)
            return;
        if (File.Exists(file.FilePath) || Directory.Exists(file.FilePath))
        {
            if (file.Init == TrackFileInit.Create)
                return;
            if ((File.GetAttributes(file.FilePath) & (FileAttributes.Directory | FileAttributes.Device)) != 0)
            {
                _log.Error($"Cannot initialise track file {file.Name} - it is not a regular file");
                return;
            }
        }
        try
        {
            File.WriteAllText(file.FilePath, $"{file.InitValue}\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Error($"Unable to initialise track file {file.Name}");
        }
    }

    /// <summary>init_track_files: the file through its links, or its (existing) directory plus the name.</summary>
    private string? Resolve(VrrpTrackFile file)
    {
        string full = Path.GetFullPath(file.FilePath);
        if (File.Exists(full))
            return new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        string? dir = Path.GetDirectoryName(full);
        if (dir is null || !Directory.Exists(dir))
        {
            _log.Error($"Track file directory for {file.Name} does not exist - removing");
            return null;
        }
        string resolvedDir = new DirectoryInfo(dir).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? dir;
        return Path.Combine(resolvedDir, Path.GetFileName(full));
    }

    /// <summary>process_track_file: the value, 0 when the file cannot be opened or is empty, null for an invalid number.</summary>
    private static long? Read(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.None);
            Span<byte> buffer = stackalloc byte[TrackFileValue.MaxBytes];
            int length = RandomAccess.Read(handle, buffer, 0);
            return length <= 0 ? 0 : TrackFileValue.Parse(buffer[..length]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private sealed class Watch(VrrpTrackFile config, string path, int descriptor)
    {
        public VrrpTrackFile Config { get; } = config;

        public string Path { get; } = path;

        public string FileName { get; } = System.IO.Path.GetFileName(path);

        public int Descriptor { get; } = descriptor;

        public long Value { get; set; }
    }
}
