using System.Text;

namespace KeepSharp.Config.Parsing;

/// <summary>
/// Splits one configuration line into tokens as keepalived does: whitespace separates words, '{' and '}'
/// are tokens of their own (also glued to words), '"' and '\'' quote (quotes removed, escapes honoured),
/// '!' and '#' start a comment anywhere outside quotes.
/// </summary>
internal static class Tokenizer
{
    /// <summary>Removes a trailing comment ('!' or '#' outside quotes).</summary>
    public static string StripComment(string line)
    {
        char quote = '\0';
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quote != '\0')
            {
                if (c == '\\' && i + 1 < line.Length)
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c is '!' or '#')
            {
                return line[..i];
            }
        }

        return line;
    }

    /// <summary>Tokenizes a comment-free line. Reports an unterminated quote as an error.</summary>
    public static List<Token> Tokenize(string line, ConfigLocation location, ParseContext context)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < line.Length)
        {
            char c = line[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c is '{' or '}')
            {
                tokens.Add(new Token(c == '{' ? TokenKind.OpenBrace : TokenKind.CloseBrace, c.ToString(), location));
                i++;
                continue;
            }

            var word = new StringBuilder();
            bool quoted = false;
            while (i < line.Length && !char.IsWhiteSpace(line[i]) && line[i] is not ('{' or '}'))
            {
                char q = line[i];
                if (q is '"' or '\'')
                {
                    quoted = true;
                    int start = i;
                    i++;
                    bool closed = false;
                    while (i < line.Length)
                    {
                        char d = line[i];
                        if (d == q)
                        {
                            closed = true;
                            i++;
                            break;
                        }

                        if (d == '\\' && i + 1 < line.Length)
                        {
                            word.Append(Unescape(line[i + 1]));
                            i += 2;
                            continue;
                        }

                        word.Append(d);
                        i++;
                    }

                    if (!closed)
                    {
                        context.Error(location, $"unterminated quote: {line[start..].Trim()}");
                    }

                    continue;
                }

                word.Append(q);
                i++;
            }

            tokens.Add(new Token(TokenKind.Word, word.ToString(), location, quoted));
        }

        return tokens;
    }

    private static char Unescape(char c) => c switch
    {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        'a' => '\a',
        'b' => '\b',
        'f' => '\f',
        'v' => '\v',
        'E' => '\x1b',
        _ => c,
    };
}
