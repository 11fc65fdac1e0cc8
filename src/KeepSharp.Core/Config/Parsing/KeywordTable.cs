namespace KeepSharp.Config.Parsing;

internal delegate void KeywordHandler<in T>(ParseContext context, T target, ConfigStatement statement);

/// <summary>
/// The keywords of one block: keyword -> handler, plus keywords that are accepted and skipped.
/// Unknown keywords give a positioned warning; their blocks are skipped with them.
/// </summary>
internal sealed class KeywordTable<T>
{
    private readonly Dictionary<string, KeywordHandler<T>> _handlers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ignored = new(StringComparer.Ordinal);

    public KeywordTable(string blockName) => BlockName = blockName;

    public string BlockName { get; }

    /// <summary>Handles <paramref name="keyword"/>; a handler wins over an <see cref="Ignore"/> of the same keyword.</summary>
    public KeywordTable<T> On(string keyword, KeywordHandler<T> handler)
    {
        _handlers.Add(keyword, handler);
        _ignored.Remove(keyword);
        return this;
    }

    public KeywordTable<T> On(IEnumerable<string> keywords, KeywordHandler<T> handler)
    {
        foreach (var k in keywords)
        {
            On(k, handler);
        }

        return this;
    }

    /// <summary>Keywords keepalived knows that this parser accepts without modelling them.</summary>
    public KeywordTable<T> Ignore(params string[] keywords)
    {
        foreach (var k in keywords.Where(k => !_handlers.ContainsKey(k)))
        {
            _ignored.Add(k);
        }

        return this;
    }

    public bool Knows(string keyword) => _handlers.ContainsKey(keyword) || _ignored.Contains(keyword);

    /// <summary>Keywords with a handler (their values are parsed and checked).</summary>
    public IEnumerable<string> HandledKeywords => _handlers.Keys;

    /// <summary>Keywords accepted and skipped without looking at their values.</summary>
    public IEnumerable<string> IgnoredKeywords => _ignored;

    public void Apply(ParseContext context, T target, IEnumerable<ConfigStatement> statements)
    {
        foreach (var statement in statements)
        {
            if (_handlers.TryGetValue(statement.Name, out var handler))
            {
                handler(context, target, statement);
            }
            else if (!_ignored.Contains(statement.Name))
            {
                context.Warning(statement.Location, $"unknown keyword '{statement.Name}' in {BlockName} - ignored");
            }
        }
    }
}
