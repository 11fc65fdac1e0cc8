using System.Runtime.CompilerServices;

namespace KeepSharp.Config.Parsing;

/// <summary>
/// The <c>track_file</c> and <c>vrrp_track_process</c> blocks read so far in one parse. keepalived looks a tracker up
/// when it reads an instance's (or sync group's) <c>track_file</c>/<c>track_process</c> entry
/// (<c>vrrp_alloc_track_file</c>, <c>alloc_track_process</c>), so a tracker declared after the instance is "not found":
/// the entries resolve against this list at that point.
/// </summary>
internal sealed class TrackerDeclarations
{
    private static readonly ConditionalWeakTable<ParseContext, TrackerDeclarations> ByParse = new();

    public List<VrrpTrackFile> Files { get; } = [];

    public List<VrrpTrackProcess> Processes { get; } = [];

    public static TrackerDeclarations Of(ParseContext context) => ByParse.GetValue(context, _ => new TrackerDeclarations());
}
