using System.Text;

namespace KeepSharp.Scripts;

/// <summary>
/// A script command as keepalived runs it: the argv it executes, and whether it goes through <c>/bin/sh -c</c>.
/// Splitting follows keepalived 2.2.7 <c>lib/parser.c alloc_strvec_quoted_escaped()</c>, which
/// <c>lib/notify.c set_script_params_array()</c> applies to the script string: words are separated by
/// <c>" \t\f\n\r\v"</c>; <c>'</c> and <c>"</c> quote (and may start or end mid-word: <c>a'b c'd</c> is one word);
/// a backslash escapes in and out of quotes (<c>\n \t \a \b \E \f \r \v</c>, <c>\xHH..</c>, <c>\cX</c>, octal
/// <c>\NNN</c>, anything else stands for itself). An unterminated quote or a trailing backslash rejects the line.
/// </summary>
public sealed class ScriptCommandLine
{
    private const string WhiteSpace = " \t\f\n\r\v";

    private ScriptCommandLine(IReadOnlyList<string> arguments)
    {
        Arguments = arguments;
    }

    /// <summary>The words: [0] is the program (or, for a shell command, the redirection such as <c>&lt;/path</c>).</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The program path or name, <c>Arguments[0]</c>.</summary>
    public string Program => Arguments[0];

    /// <summary>
    /// keepalived runs a script with <c>system()</c> (that is <c>/bin/sh -c</c>) rather than <c>execve()</c> only when it
    /// is not "execable": <c>check_script_secure()</c> returns <c>SC_SYSTEM</c> without setting <c>SC_EXECABLE</c> for a
    /// command starting <c>&lt;</c>, optional blanks, then <c>/</c> (a file-openable test such as
    /// <c>"&lt;/dev/tcp/..."</c> or <c>"&lt;/etc/flag"</c>). Builds with libmagic also use the shell for a file that is
    /// neither an executable nor a shared object (no <c>#!</c>): see <see cref="ShellCommand"/>.
    /// </summary>
    public bool IsFileTest
    {
        get
        {
            string first = Arguments[0];
            if (first.Length < 2 || first[0] != '<')
            {
                return false;
            }

            int i = 1;
            while (i < first.Length && (first[i] == ' ' || first[i] == '\t'))
            {
                i++;
            }

            return i < first.Length && first[i] == '/';
        }
    }

    /// <summary>
    /// The string keepalived hands to <c>system()</c>: <c>lib/notify.c cmd_str_r()</c> wraps every word in single
    /// quotes (embedded quotes are not escaped, exactly as keepalived does), except a first word that starts with
    /// <c>&lt;</c> or <c>&gt;</c>, which is left bare so the shell treats it as a redirection.
    /// </summary>
    public string ShellCommand
    {
        get
        {
            var text = new StringBuilder();
            for (int i = 0; i < Arguments.Count; i++)
            {
                string word = Arguments[i];
                if (i > 0)
                {
                    text.Append(' ');
                }

                bool bare = i == 0 && word.Length > 0 && (word[0] == '<' || word[0] == '>');
                if (bare)
                {
                    text.Append(word);
                }
                else
                {
                    text.Append('\'').Append(word).Append('\'');
                }
            }

            return text.ToString();
        }
    }

    /// <summary>
    /// The argv to execute: <see cref="Arguments"/> itself, or <c>/bin/sh -c ShellCommand</c> when
    /// <paramref name="useShell"/> (keepalived's <c>system()</c>, which execs <c>/bin/sh -c</c>).
    /// </summary>
    public IReadOnlyList<string> ExecArguments(bool useShell)
        => useShell ? ["/bin/sh", "-c", ShellCommand] : Arguments;

    /// <summary>Splits a script string; false (with a reason) where keepalived refuses it.</summary>
    public static bool TryParse(string script, out ScriptCommandLine? command, out string? error)
    {
        ArgumentNullException.ThrowIfNull(script);
        command = null;
        if (!TrySplit(script, out List<string> words, out error))
        {
            return false;
        }

        if (words.Count == 0)
        {
            error = "empty script command";
            return false;
        }

        command = new ScriptCommandLine(words);
        return true;
    }

    /// <summary>Splits a script string, throwing <see cref="FormatException"/> where keepalived refuses it.</summary>
    public static ScriptCommandLine Parse(string script)
        => TryParse(script, out ScriptCommandLine? command, out string? error) ? command! : throw new FormatException(error);

    /// <summary>
    /// keepalived's <c>alloc_strvec_quoted_escaped()</c> on one string. keepalived applies it twice to a notify or
    /// script line: once to the whole configuration line (keyword, script string, user, group) and once more to the
    /// script string (<c>set_script_params_array</c>), so escapes and quotes inside the script string are honoured.
    /// </summary>
    public static bool TrySplit(string text, out List<string> words, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        words = [];
        error = null;
        var word = new StringBuilder();
        char quote = '\0';
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && WhiteSpace.Contains(text[i], StringComparison.Ordinal))
            {
                i++;
            }

            if (i == text.Length)
            {
                break;
            }

            word.Clear();
            while (i < text.Length)
            {
                char c = text[i];
                if (c == '\\')
                {
                    i++;
                    if (i == text.Length)
                    {
                        error = $"Missing escape char at end: '{text}'";
                        return false;
                    }

                    word.Append(Unescape(text, ref i));
                    continue;
                }

                if (quote != '\0')
                {
                    if (c == quote)
                    {
                        quote = '\0';
                    }
                    else
                    {
                        word.Append(c);
                    }

                    i++;
                    continue;
                }

                if (c == '"' || c == '\'')
                {
                    quote = c;
                    i++;
                    continue;
                }

                if (WhiteSpace.Contains(c, StringComparison.Ordinal))
                {
                    break;
                }

                word.Append(c);
                i++;
            }

            if (quote != '\0')
            {
                error = $"String '{text}': missing terminating {quote}";
                return false;
            }

            words.Add(word.ToString());
        }

        return true;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    // Called with i just past the backslash (text[i] exists); leaves i past the escape.
    // keepalived builds the value in a C char, so hex and octal values keep their low 8 bits.
    private static char Unescape(string text, ref int i)
    {
        char c = text[i];
        if (c == 'x' && i + 1 < text.Length && char.IsAsciiHexDigit(text[i + 1]))
        {
            int value = 0;
            i++;
            while (i < text.Length && char.IsAsciiHexDigit(text[i]))
            {
                value = ((value << 4) | HexValue(text[i])) & 0xff;
                i++;
            }

            return (char)value;
        }

        if (c == 'c' && i + 1 < text.Length)
        {
            char control = (char)(text[i + 1] & 0x1f);
            i += 2;
            return control;
        }

        if (c is >= '0' and <= '7')
        {
            int value = c - '0';
            i++;
            for (int n = 0; n < 2 && i < text.Length && text[i] is >= '0' and <= '7'; n++)
            {
                value = ((value << 3) + (text[i] - '0')) & 0xff;
                i++;
            }

            return (char)value;
        }

        i++;
        return c switch
        {
            'a' => '\a',
            'b' => '\b',
            'E' => '\x1b',
            'f' => '\f',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'v' => '\v',
            _ => c,
        };
    }
}
