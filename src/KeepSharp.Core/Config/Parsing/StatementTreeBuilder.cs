namespace KeepSharp.Config.Parsing;

/// <summary>
/// Builds the block structure from token lines: a '{' opens the block of the statement on its line (or,
/// at the start of a line, of the statement on the previous line); '}' closes it. Reports unbalanced braces.
/// </summary>
internal static class StatementTreeBuilder
{
    private sealed record Frame(List<ConfigStatement> Statements, ConfigStatement? Owner, ConfigLocation OpenedAt);

    public static List<ConfigStatement> Build(IReadOnlyList<ConfigLine> lines, ParseContext context)
    {
        var root = new List<ConfigStatement>();
        var stack = new Stack<Frame>();
        stack.Push(new Frame(root, null, new ConfigLocation("", 0)));

        foreach (var line in lines)
        {
            ConfigStatement? current = null;
            for (int t = 0; t < line.Tokens.Count; t++)
            {
                var token = line.Tokens[t];
                switch (token.Kind)
                {
                    case TokenKind.OpenBrace:
                    {
                        var owner = current;
                        if (owner is null && t == 0 && stack.Peek().Statements is { Count: > 0 } siblings &&
                            siblings[^1].Block is null && siblings[^1].Location.File == token.Location.File)
                        {
                            owner = siblings[^1]; // "keyword\n{" style
                        }

                        if (owner is null || owner.Block is not null)
                        {
                            context.Error(token.Location, "unexpected '{' without a keyword before it");
                            owner = new ConfigStatement(token); // anonymous block: parsed, then dropped
                        }

                        owner.Block = [];
                        stack.Push(new Frame(owner.Block, owner, token.Location));
                        current = null;
                        break;
                    }

                    case TokenKind.CloseBrace:
                        if (stack.Count > 1)
                        {
                            stack.Pop();
                        }
                        else
                        {
                            context.Error(token.Location, "unexpected '}' (no block is open)");
                        }

                        current = null;
                        break;

                    default:
                        if (current is null)
                        {
                            current = new ConfigStatement(token);
                            stack.Peek().Statements.Add(current);
                        }
                        else
                        {
                            current.Args.Add(token);
                        }

                        break;
                }
            }
        }

        while (stack.Count > 1)
        {
            var frame = stack.Pop();
            string what = frame.Owner is { } owner && owner.Keyword.Kind == TokenKind.Word ? $"'{owner.Header}'" : "block";
            context.Error(frame.OpenedAt, $"missing '}}' at end of file: {what} opened at {frame.OpenedAt} is never closed");
        }

        return root;
    }
}
