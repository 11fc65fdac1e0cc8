namespace KeepSharp.Config.Parsing;

/// <summary>
/// One statement: a keyword, its arguments on the same line, and (when a '{' followed) its block.
/// </summary>
internal sealed class ConfigStatement
{
    public ConfigStatement(Token keyword) => Keyword = keyword;

    public Token Keyword { get; }

    public string Name => Keyword.Text;

    public List<Token> Args { get; } = [];

    public List<ConfigStatement>? Block { get; set; }

    public ConfigLocation Location => Keyword.Location;

    /// <summary>"keyword arg1 arg2" as written (for messages).</summary>
    public string Header => Args.Count == 0 ? Name : $"{Name} {string.Join(' ', Args.Select(a => a.Text))}";

    /// <summary>The arguments joined by single spaces (scripts, notify commands).</summary>
    public string JoinedArgs => string.Join(' ', Args.Select(a => a.Text));
}
