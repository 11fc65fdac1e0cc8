namespace KeepSharp.Config.Parsing;

internal enum TokenKind
{
    Word,
    OpenBrace,
    CloseBrace,
}

/// <summary>One token of the configuration language, with its position. Quoted strings are one Word, quotes removed.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, ConfigLocation Location, bool Quoted = false)
{
    public bool IsWord => Kind == TokenKind.Word;

    public bool IsWordText(string text) => Kind == TokenKind.Word && !Quoted && Text == text;

    public override string ToString() => Text;
}

/// <summary>The tokens of one logical configuration line.</summary>
internal sealed record ConfigLine(IReadOnlyList<Token> Tokens, ConfigLocation Location);
