using System.Globalization;

namespace KeepSharp.Config.Parsing;

/// <summary>
/// The entries of an instance's or sync group's <c>track_file { NAME [weight N [reverse|noreverse]] }</c> and
/// <c>track_process { ... }</c> blocks (track_file.c <c>vrrp_alloc_track_file</c>, vrrp_track.c
/// <c>alloc_track_process</c>): the tracker must be declared earlier, an entry is taken once, the weight
/// (−254..254) and reverse default to the tracker's.
/// </summary>
internal static class TrackEntryParser
{
    public const int WeightLimit = 254;

    /// <summary>
    /// An instance's or sync group's block of entries naming trackers declared earlier (<paramref name="declared"/>):
    /// each entry resolved against its tracker and appended to <paramref name="existing"/>.
    /// </summary>
    public static IReadOnlyList<TReference> Entries<TTracker, TReference>(
        ParseContext context, ConfigStatement statement, string owner, string what, IReadOnlyList<TReference> existing,
        IReadOnlyList<TTracker> declared, Func<TTracker, string> nameOf, Func<TTracker, int> weightOf, Func<TTracker, bool> reverseOf,
        Func<TReference, string> referenceName, Func<ConfigStatement, int, bool, TReference> create, bool badReverseDropsEntry)
        where TTracker : class
    {
        var result = existing.ToList();
        if (!BlockHelpers.TryBlock(context, statement, out var block))
        {
            return result;
        }

        foreach (var entry in block)
        {
            var tracker = declared.FirstOrDefault(t => nameOf(t) == entry.Name);
            var resolved = Resolve(context, entry, owner, what, tracker is not null, result.Any(r => referenceName(r) == entry.Name),
                tracker is null ? 0 : weightOf(tracker), tracker is not null && reverseOf(tracker), badReverseDropsEntry);
            if (resolved is var (weight, reverse))
            {
                result.Add(create(entry, weight, reverse));
            }
        }

        return result;
    }

    /// <summary>One entry resolved: its weight and reverse, or null when keepalived ignores the entry (already reported).</summary>
    public static (int Weight, bool Reverse)? Resolve(
        ParseContext context, ConfigStatement entry, string owner, string what, bool found, bool duplicate,
        int defaultWeight, bool defaultReverse, bool badReverseDropsEntry)
    {
        string name = entry.Name;
        if (!found)
        {
            context.Error(entry.Location, $"({owner}) track {what} {name} not found, ignoring...");
            return null;
        }

        if (duplicate)
        {
            context.Error(entry.Location, $"({owner}) duplicate track_{what} {name} - ignoring");
            return null;
        }

        int weight = defaultWeight;
        bool reverse = defaultReverse;
        var args = entry.Args;
        if (args.Count == 0)
        {
            return (weight, reverse);
        }

        if (args[0].Text != "weight")
        {
            context.Error(entry.Location, $"({owner}) unknown track {what} option {args[0].Text} - ignoring");
            return null;
        }

        if (args.Count == 1)
        {
            context.Error(entry.Location, $"({owner}) weight without value specified for track {what} {name} - ignoring");
            return null;
        }

        if (long.TryParse(args[1].Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long w)
            && w >= -WeightLimit && w <= WeightLimit)
        {
            weight = (int)w;
        }
        else
        {
            context.Error(entry.Location, $"({owner}) weight for track {what} {name} must be in [-{WeightLimit}..{WeightLimit}] inclusive. Ignoring...");
        }

        if (args.Count >= 3)
        {
            switch (args[2].Text)
            {
                case "reverse":
                    reverse = true;
                    break;
                case "noreverse":
                    reverse = false;
                    break;
                default:
                    context.Error(entry.Location, $"({owner}) unknown track {what} {name} weight option {args[2].Text} - ignoring");
                    if (badReverseDropsEntry)
                    {
                        return null;
                    }

                    break;
            }
        }

        return (weight, reverse);
    }
}
