namespace KeepSharp.Config.Parsing;

/// <summary>
/// Reading notify lines as keepalived does: the first word is the command (split again when the script is loaded),
/// the second and third the user and group; a repeated keyword keeps the first ("already specified - ignoring").
/// </summary>
internal static class NotifyLineParsers
{
    /// <summary>Sets <paramref name="slot"/> from the statement unless it is empty, already set, or its command cannot be split.</summary>
    public static void Script(ParseContext context, ConfigStatement statement, string owner, NotifyScriptLine? current, Action<NotifyScriptLine> slot)
    {
        if (statement.Args.Count == 0 || !statement.Args[0].IsWord)
        {
            return; // the caller's TryArg has reported it
        }

        if (current is not null)
        {
            context.Error(statement.Location, $"{owner}{statement.Name} script already specified - ignoring {statement.Args[0].Text}");
            return;
        }

        string command = statement.Args[0].Text;
        if (!KeepSharp.Scripts.ScriptCommandLine.TryParse(command, out _, out string? error))
        {
            // keepalived logs "Unable to parse script '...' - ignoring" without failing -t.
            context.Warning(statement.Location, $"Unable to parse script '{command}' - ignoring ({error})", failsConfigTest: false);
            return;
        }

        slot(new NotifyScriptLine(command, Word(statement, 1), Word(statement, 2), statement.Location));
    }

    /// <summary><c>notify_fifo PATH [user [group]]</c>; keepalived reports a second one.</summary>
    public static void Fifo(ParseContext context, ConfigStatement statement, string type, NotifyFifoLine? current, Action<NotifyFifoLine> slot)
    {
        if (statement.Args.Count == 0 || !statement.Args[0].IsWord)
        {
            context.Error(statement.Location, $"No {type}notify_fifo name specified");
            return;
        }

        if (current is not null)
        {
            context.Error(statement.Location, $"{type}notify_fifo already specified - ignoring {statement.Args[0].Text}");
            return;
        }

        slot(new NotifyFifoLine(statement.Args[0].Text, Word(statement, 1), Word(statement, 2), statement.Location));
    }

    /// <summary><c>*_notify_fifo_script "script [args]" [user [group]]</c>.</summary>
    public static void FifoScript(ParseContext context, ConfigStatement statement, string type, NotifyScriptLine? current, Action<NotifyScriptLine> slot)
    {
        if (statement.Args.Count == 0 || !statement.Args[0].IsWord)
        {
            context.Error(statement.Location, $"No {type}notify_fifo_script specified");
            return;
        }

        if (current is not null)
        {
            context.Error(statement.Location, $"{type}notify_fifo_script already specified - ignoring {statement.Args[0].Text}");
            return;
        }

        Script(context, statement, "", null, slot);
    }

    private static string? Word(ConfigStatement statement, int index) =>
        statement.Args.Count > index && statement.Args[index].IsWord ? statement.Args[index].Text : null;
}
