using System.Globalization;
using static KeepSharp.Config.Parsing.ValueParsers;

namespace KeepSharp.Config.Parsing;

/// <summary>
/// <c>track_file NAME { file PATH; weight N [reverse]; init_file [VALUE] [overwrite] }</c> (and the deprecated
/// <c>vrrp_track_file</c>), and the <c>track_file { NAME [weight N [reverse|noreverse]] }</c> entries of instances and
/// sync groups; keepalived's trackers/track_file.c <c>track_file_*_handler</c>.
/// </summary>
internal static class VrrpTrackFileKeywords
{
    /// <summary>The init value keepalived calls sensible (it warns outside, and still writes it).</summary>
    public const int SensibleInitLimit = 254;

    public static KeywordTable<VrrpTrackFile> Table { get; } = new KeywordTable<VrrpTrackFile>("track_file")
        .On("file", File)
        .On("weight", Weight)
        .On("init_file", InitFile);

    /// <summary>The top-level block; kept only when it names a file (track_file_end_handler).</summary>
    public static void Declaration(ParseContext context, ConfigBuilder builder, ConfigStatement statement)
    {
        if (!(BlockHelpers.TryName(context, statement, out var name) & BlockHelpers.TryBlock(context, statement, out var block)) || name.Length == 0)
        {
            return;
        }

        var file = new VrrpTrackFile(name, statement.Location);
        Table.Apply(context, file, block);
        if (file.FilePath.Length == 0)
        {
            context.Error(statement.Location, $"No file set for track_file {name} - ignoring");
            return;
        }

        builder.TrackFiles.Add(file);
        TrackerDeclarations.Of(context).Files.Add(file);
    }

    /// <summary>An instance's or sync group's <c>track_file</c> block.</summary>
    public static IReadOnlyList<TrackFileReference> Entries(ParseContext context, ConfigStatement statement, string owner, IReadOnlyList<TrackFileReference> existing) =>
        TrackEntryParser.Entries(context, statement, owner, "file", existing, TrackerDeclarations.Of(context).Files,
            t => t.Name, t => t.Weight, t => t.WeightReverse, r => r.Name,
            (entry, weight, reverse) => new TrackFileReference(entry.Name, weight, reverse, entry.Location), badReverseDropsEntry: true);

    private static void File(ParseContext context, VrrpTrackFile file, ConfigStatement statement)
    {
        if (!TryArg(context, statement, out var path))
        {
            return;
        }

        if (file.FilePath.Length > 0)
        {
            context.Error(statement.Location, $"File already set for track file {file.Name} - ignoring {path}");
            return;
        }

        file.FilePath = path;
    }

    private static void Weight(ParseContext context, VrrpTrackFile file, ConfigStatement statement)
    {
        if (!TryArg(context, statement, out var text))
        {
            return;
        }

        if (file.Weight != VrrpTrackFile.DefaultWeight)
        {
            context.Error(statement.Location, $"Weight already set for track file {file.Name} - ignoring {text}");
            return;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long weight)
            && weight >= -TrackEntryParser.WeightLimit && weight <= TrackEntryParser.WeightLimit)
        {
            file.Weight = (int)weight;
        }
        else
        {
            context.Error(statement.Location, $"Weight ({text}) for track_file {file.Name} must be between [-254..254] inclusive. Ignoring...");
            file.Weight = VrrpTrackFile.DefaultWeight;
        }

        if (statement.Args.Count >= 2)
        {
            if (statement.Args[1].Text == "reverse")
            {
                file.WeightReverse = true;
            }
            else
            {
                context.Error(statement.Location, $"track_file {file.Name} unknown weight option {statement.Args[1].Text}");
            }
        }
    }

    private static void InitFile(ParseContext context, VrrpTrackFile file, ConfigStatement statement)
    {
        file.Init = TrackFileInit.Create;
        file.InitValue = 0;
        foreach (var arg in statement.Args)
        {
            string word = arg.Text.TrimStart();
            if (word.Length > 0 && (char.IsAsciiDigit(word[0]) || word[0] == '-'))
            {
                if (!int.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
                {
                    context.Error(statement.Location, $"Track file {file.Name} init value {word} is invalid");
                    value = 0;
                }
                else if (value < -SensibleInitLimit || value > SensibleInitLimit)
                {
                    context.Error(statement.Location, $"Track file {file.Name} init value {value} is outside sensible range [{-SensibleInitLimit}, {SensibleInitLimit}]");
                }

                file.InitValue = value;
            }
            else if (word == "overwrite")
            {
                file.Init = TrackFileInit.Overwrite;
            }
            else
            {
                context.Error(statement.Location, $"Unknown track file init option {word}");
            }
        }
    }
}
