using System.Globalization;
using static KeepSharp.Config.Parsing.ValueParsers;

namespace KeepSharp.Config.Parsing;

/// <summary>
/// <c>vrrp_track_process NAME { process NAME_OR_PATH [ARGS...]; param_match [initial|partial]; quorum N; quorum_max N;
/// delay S; fork_delay S; terminate_delay S; weight N [reverse]; full_command }</c>, and the
/// <c>track_process { NAME [weight N [reverse|noreverse]] }</c> entries of instances and sync groups
/// (keepalived's vrrp_parser.c <c>vrrp_tprocess_*_handler</c>, vrrp_track.c <c>alloc_track_process</c>).
/// </summary>
internal static class VrrpTrackProcessKeywords
{
    public const int MaxQuorum = 65535;

    /// <summary>The delays' range in seconds: keepalived reads them in microseconds, 1..3600 s × TIMER_HZ.</summary>
    public const double MaxDelaySeconds = 3600;

    public static KeywordTable<VrrpTrackProcess> Table { get; } = new KeywordTable<VrrpTrackProcess>("vrrp_track_process")
        .On("process", Process)
        .On("param_match", ParamMatch)
        .On("weight", Weight)
        .On("quorum", Quorum)
        .On("quorum_max", QuorumMax)
        .On("delay", (c, p, s) => Delay(c, p, s, fork: true, terminate: true))
        .On("fork_delay", (c, p, s) => Delay(c, p, s, fork: true, terminate: false))
        .On("terminate_delay", (c, p, s) => Delay(c, p, s, fork: false, terminate: true))
        .On("full_command", (c, p, s) => p.FullCommand = true);

    /// <summary>The top-level block; kept only when it names a process (vrrp_tprocess_end_handler).</summary>
    public static void Declaration(ParseContext context, ConfigBuilder builder, ConfigStatement statement)
    {
        if (!(BlockHelpers.TryName(context, statement, out var name) & BlockHelpers.TryBlock(context, statement, out var block)) || name.Length == 0)
        {
            return;
        }

        var process = new VrrpTrackProcess(name, statement.Location);
        Table.Apply(context, process, block);
        if (process.Process.Length == 0)
        {
            context.Error(statement.Location, $"track process '{name}' process name not specified");
            return;
        }

        builder.TrackProcesses.Add(process);
        TrackerDeclarations.Of(context).Processes.Add(process);
    }

    /// <summary>An instance's or sync group's <c>track_process</c> block.</summary>
    public static IReadOnlyList<TrackProcessReference> Entries(ParseContext context, ConfigStatement statement, string owner, IReadOnlyList<TrackProcessReference> existing) =>
        TrackEntryParser.Entries(context, statement, owner, "process", existing, TrackerDeclarations.Of(context).Processes,
            t => t.Name, t => t.Weight, t => t.WeightReverse, r => r.Name,
            (entry, weight, reverse) => new TrackProcessReference(entry.Name, weight, reverse, entry.Location), badReverseDropsEntry: false);

    private static void Process(ParseContext context, VrrpTrackProcess process, ConfigStatement statement)
    {
        if (!TryArg(context, statement, out var path))
        {
            return;
        }

        if (process.Process.Length > 0)
        {
            context.Error(statement.Location, $"Process already set for track process {process.Name} - ignoring {path}");
            return;
        }

        process.Process = path;
        if (statement.Args.Count > 1)
        {
            process.Parameters = statement.Args.Skip(1).Select(a => a.Text).ToList();
            if (process.ParamMatch == ProcessParamMatch.None)
            {
                process.ParamMatch = ProcessParamMatch.Exact;
            }

            process.FullCommand = true;
        }
    }

    private static void ParamMatch(ParseContext context, VrrpTrackProcess process, ConfigStatement statement)
    {
        ProcessParamMatch? match = statement.Args.Count == 0 ? ProcessParamMatch.Exact : statement.Args[0].Text switch
        {
            "initial" => ProcessParamMatch.Initial,
            "partial" => ProcessParamMatch.Partial,
            _ => null,
        };
        if (match is not { } value)
        {
            context.Error(statement.Location, $"Invalid param_match type {statement.Args[0].Text} - ignoring");
            return;
        }

        process.ParamMatch = value;
        process.FullCommand = true;
    }

    private static void Weight(ParseContext context, VrrpTrackProcess process, ConfigStatement statement)
    {
        if (statement.Args.Count == 0)
        {
            context.Error(statement.Location, $"No weight specified for track process {process.Name} - ignoring");
            return;
        }

        string text = statement.Args[0].Text;
        if (process.Weight != 0)
        {
            context.Error(statement.Location, $"Weight already set for track process {process.Name} - ignoring {text}");
            return;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long weight)
            || weight < -TrackEntryParser.WeightLimit || weight > TrackEntryParser.WeightLimit)
        {
            context.Error(statement.Location, $"Weight ({text}) for vrrp_track_process {process.Name} must be between [-254..254] inclusive. Ignoring...");
            return;
        }

        if (statement.Args.Count >= 2)
        {
            if (statement.Args[1].Text == "reverse")
            {
                process.WeightReverse = true;
            }
            else
            {
                context.Error(statement.Location, $"vrrp_track_process {process.Name} unknown weight option {statement.Args[1].Text}");
            }
        }

        process.Weight = (int)weight;
    }

    private static void Quorum(ParseContext context, VrrpTrackProcess process, ConfigStatement statement)
    {
        if (!TryInt(context, statement, 1, MaxQuorum, out int quorum))
        {
            return;
        }

        if (quorum > process.QuorumMaximum)
        {
            context.Error(statement.Location, "Quorum is greater than quorum_max - ignoring");
            return;
        }

        process.Quorum = quorum;
    }

    private static void QuorumMax(ParseContext context, VrrpTrackProcess process, ConfigStatement statement)
    {
        if (!TryInt(context, statement, 0, MaxQuorum, out int maximum))
        {
            return;
        }

        // keepalived allows quorum_max 0 when quorum was not raised above its default.
        if ((maximum != 0 || process.Quorum > 1) && maximum < process.Quorum)
        {
            context.Error(statement.Location, "quorum_max is less than quorum - ignoring");
            return;
        }

        process.QuorumMaximum = maximum;
        if (maximum == 0)
        {
            process.Quorum = 0;
        }
        else if (process.Quorum == 0)
        {
            process.Quorum = 1;
        }
    }

    private static void Delay(ParseContext context, VrrpTrackProcess process, ConfigStatement statement, bool fork, bool terminate)
    {
        if (!TryTimer(context, statement, 0, MaxDelaySeconds, out var delay, minExclusive: true))
        {
            return;
        }

        if (delay <= TimeSpan.Zero)
        {
            // keepalived reads microseconds: anything below 1 µs is 0, outside 0.000001..3600.
            context.Error(statement.Location, $"{statement.Name} ({statement.Args[0].Text}) for vrrp_track_process {process.Name} must be between [0.000001..3600] inclusive. Ignoring...");
            return;
        }

        if (fork)
        {
            process.ForkDelay = delay;
        }

        if (terminate)
        {
            process.TerminateDelay = delay;
        }
    }
}
