using System.Globalization;
using System.Text;

namespace KeepSharp.Config.Parsing;

/// <summary>
/// Reads configuration files into token lines as keepalived 2.2.7's read_line (lib/parser.c) does: comments
/// (<c>\#</c> and <c>\!</c> escape them outside quotes), <c>@id</c> / <c>@^id</c> conditional lines, <c>$NAME=value</c>
/// definitions (multi-line with trailing <c>\</c>), <c>$NAME</c> / <c>${NAME}</c> substitution with the standard
/// <c>${_PWD}</c>, <c>${_INSTANCE}</c>, <c>${_RANDOM [min [max]]}</c>, <c>${_HASH}</c>, <c>${_BANG}</c>, the
/// <c>~SEQ</c> / <c>~SEQx</c> / <c>~LST</c> line generators, and <c>include</c>, <c>includer</c>, <c>includem</c>,
/// <c>includew</c>, <c>includeb</c>, <c>includea</c> (globs with braces, relative to the including file, sorted,
/// nested, loop-checked).
/// </summary>
internal sealed class ConfigReader
{
    private const int MaxExpansionDepth = 32;
    private const int MaxReplacementsPerLine = 1000;

    /// <summary>keepalived's include_t: which problems of an include are errors rather than log lines.</summary>
    [Flags]
    private enum IncludeChecks
    {
        None = 0,
        Read = 0x01,     // a match that is a directory, executable, or unreadable
        Match = 0x02,    // a named file (no wildcard) that does not exist
        Wildcard = 0x04, // a wildcard that matches nothing
        Brace = 0x08,    // a brace alternative that does not exist
        All = Read | Match | Wildcard | Brace,
    }

    private sealed class Definition
    {
        public string Value = "";
        public bool Multiline;
        public Func<string?, ConfigLocation, string>? Function;
        public int MaxParams;
    }

    private readonly ParseContext _context;
    private readonly IConfigFileSystem _fs;
    private readonly Random _random;
    private readonly Dictionary<string, Definition> _definitions = new(StringComparer.Ordinal);
    private readonly List<string> _openFiles = [];
    private readonly Stack<string> _directories = new();
    private readonly List<ConfigLine> _lines = [];
    private readonly List<string> _files = [];
    private Definition? _collecting;

    public ConfigReader(ParseContext context, IConfigFileSystem fs)
    {
        _context = context;
        _fs = fs;
        _random = context.Options.Random ?? new Random();
        AddStandard("_PWD", (_, _) => CurrentDirectory);
        AddStandard("_INSTANCE", (_, _) => _context.Options.ConfigId ?? "");
        AddStandard("_RANDOM", RandomValue, maxParams: 2);
        _definitions["_HASH"] = new Definition { Value = "#" };
        _definitions["_BANG"] = new Definition { Value = "!" };
    }

    public IReadOnlyList<ConfigLine> Lines => _lines;

    public IReadOnlyList<string> Files => _files;

    private string CurrentDirectory => _directories.Count > 0 ? _directories.Peek() : Environment.CurrentDirectory;

    /// <summary>Reads a file from disk (through the file system abstraction); a pattern reads every match, as keepalived's -f does.</summary>
    public void ReadMainFile(string path)
    {
        if (Glob.HasWildcard(path) || path.Contains('{'))
        {
            Include(IncludeChecks.Read | IncludeChecks.Match | IncludeChecks.Wildcard, path, new ConfigLocation(path, 0));
            if (_files.Count == 0)
            {
                _context.Error(new ConfigLocation(path, 0), "Failed to open configuration file");
            }

            return;
        }

        string full = Path.GetFullPath(path);
        if (!_fs.FileExists(full))
        {
            _context.Error(new ConfigLocation(path, 0), $"configuration file '{path}' not found");
            return;
        }

        ReadFile(full, path, new ConfigLocation(path, 0));
    }

    /// <summary>Reads text that is not (necessarily) on disk; includes are resolved against <paramref name="fileName"/>'s directory.</summary>
    public void ReadText(string text, string fileName)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(fileName)) ?? "/";
        _files.Add(fileName);
        _openFiles.Add(Path.GetFullPath(fileName));
        ReadLines(text, fileName, directory);
        _openFiles.RemoveAt(_openFiles.Count - 1);
    }

    private void ReadFile(string fullPath, string displayName, ConfigLocation from, IncludeChecks checks = IncludeChecks.Read)
    {
        string text;
        try
        {
            text = _fs.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Report(checks, IncludeChecks.Read, from, $"Configuration file '{displayName}' open problem ({e.Message}) - skipping");
            return;
        }

        _files.Add(displayName);
        _openFiles.Add(fullPath);
        ReadLines(text, displayName, Path.GetDirectoryName(fullPath) ?? "/");
        _openFiles.RemoveAt(_openFiles.Count - 1);
    }

    private void ReadLines(string text, string displayName, string directory)
    {
        _directories.Push(directory);
        var raw = text.Split('\n');
        for (int i = 0; i < raw.Length; i++)
        {
            var location = new ConfigLocation(displayName, i + 1);
            string line = raw[i].TrimEnd('\r');
            if (_collecting is { } definition)
            {
                // A multi-line definition ends at its first line without '\' or at an empty line; comment-only lines are skipped.
                if (line.Length == 0)
                {
                    EndDefinition();
                    continue;
                }

                string part = Decomment(line);
                if (part.Length > 0)
                {
                    ContinueDefinition(definition, part);
                }

                continue;
            }

            string decommented = Decomment(line);
            if (decommented.Length > 0)
            {
                ProcessLine(decommented, location, 0);
            }
        }

        EndDefinition();
        _directories.Pop();
    }

    /// <summary>
    /// keepalived's decomment(): leading whitespace, a comment ('!' or '#' outside double quotes) and trailing blanks
    /// go; <c>\#</c> and <c>\!</c> outside quotes become '#' and '!'; a final '\' is kept (a continuation).
    /// </summary>
    internal static string Decomment(string line)
    {
        string s = line.TrimStart(' ', '\t');
        var result = new StringBuilder(s.Length);
        bool quote = false;
        bool continuation = false;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '"')
            {
                quote = !quote;
            }
            else if (c == '\\')
            {
                if (i + 1 >= s.Length)
                {
                    continuation = true;
                    break;
                }

                if (!quote && s[i + 1] is '#' or '!')
                {
                    result.Append(s[++i]);
                    continue;
                }

                result.Append(c).Append(s[++i]);
                continue;
            }
            else if (!quote && c is '!' or '#')
            {
                break;
            }

            result.Append(c);
        }

        string text = result.ToString().TrimEnd(' ', '\t');
        return continuation ? text + "\\" : text;
    }

    /// <summary>One logical line through keepalived's read_line loop: @id, definitions, ~SEQ/~LST, substitution, include.</summary>
    private void ProcessLine(string buf, ConfigLocation location, int depth)
    {
        if (_context.LineBudgetSpent)
        {
            return;
        }

        if (++_context.Lines > ParseContext.MaxLines)
        {
            _context.LineBudgetSpent = true;
            _context.Error(location, $"the configuration has more than {ParseContext.MaxLines} lines with its includes and generated lines: the rest is not read");
            return;
        }

        if (buf.Length == 0)
        {
            return;
        }

        if (depth > MaxExpansionDepth)
        {
            _context.Error(location, $"parameter substitution nested too deeply: {buf}");
            return;
        }

        List<string>? following = null;
        int rechecks = 0;
        while (buf.Length > 0)
        {
            if (buf[0] == '@')
            {
                bool negate = buf.Length > 1 && buf[1] == '^';
                int start = negate ? 2 : 1;
                int space = buf.IndexOfAny([' ', '\t'], start);
                string? configId = _context.Options.ConfigId;
                if (space < 0 || (configId is not null && buf[start..space] == configId) == negate)
                {
                    buf = "";
                    break;
                }

                buf = buf[space..].TrimStart(' ', '\t');
                if (buf.Length == 0)
                {
                    break;
                }
            }

            if (buf[0] == '$' && TryDefine(buf))
            {
                buf = "";
                break;
            }

            if (buf.StartsWith("~SEQ", StringComparison.Ordinal))
            {
                if (!Sequence(buf, location, depth))
                {
                    _context.Error(location, $"Invalid ~SEQ specification '{buf}'");
                }

                buf = "";
                break;
            }

            if (buf.StartsWith("~LST", StringComparison.Ordinal))
            {
                if (!List(buf, location, depth))
                {
                    _context.Error(location, $"Invalid ~LST specification '{buf}'");
                }

                buf = "";
                break;
            }

            if (buf[0] == '~' || !buf.Contains('$') || !Replace(ref buf, location, ref following))
            {
                break;
            }

            buf = Decomment(buf);
            if (buf.Length == 0 || (buf[0] != '@' && !buf.Contains('$')))
            {
                break;
            }

            if (++rechecks > MaxExpansionDepth)
            {
                _context.Error(location, $"parameter substitution nested too deeply: {buf}");
                return;
            }
        }

        if (buf.Length > 0)
        {
            Emit(buf, location);
        }

        // The further lines of a multi-line definition follow the line that used it, each read like a line of its own.
        if (following is not null)
        {
            foreach (string line in following)
            {
                ProcessLine(line, location, depth + 1);
            }
        }
    }

    private void Emit(string buf, ConfigLocation location)
    {
        // keepalived's is_include(): "include" and a blank, or "include" + one of r m w b a and a blank; the rest of the line is the pattern.
        if (buf.StartsWith("include", StringComparison.Ordinal) && buf.Length > 8)
        {
            IncludeChecks? checks = char.IsWhiteSpace(buf[7]) ? IncludeChecks.None
                : !char.IsWhiteSpace(buf[8]) ? null
                : buf[7] switch
                {
                    'r' => IncludeChecks.Read,
                    'a' => IncludeChecks.All,
                    'w' => IncludeChecks.Read | IncludeChecks.Match | IncludeChecks.Wildcard,
                    'm' => IncludeChecks.Read | IncludeChecks.Match,
                    'b' => IncludeChecks.Read | IncludeChecks.Brace,
                    _ => null,
                };
            if (checks is { } found)
            {
                int start = found == IncludeChecks.None ? 8 : 9;
                Include(found, buf[start..].TrimStart(' ', '\t'), location);
                return;
            }
        }

        var tokens = Tokenizer.Tokenize(buf, location, _context);
        if (tokens.Count == 0)
        {
            return;
        }

        if (tokens.Count == 1 && tokens[0].IsWord && !tokens[0].Quoted &&
            tokens[0].Text is "include" or "includer" or "includem" or "includew" or "includeb" or "includea")
        {
            _context.Error(location, $"'{tokens[0].Text}' requires a file name or pattern");
            return;
        }

        _lines.Add(new ConfigLine(tokens, location));
    }

    // ---- definitions -------------------------------------------------------------------------------------------

    private void AddStandard(string name, Func<string?, ConfigLocation, string> function, int maxParams = 0) =>
        _definitions[name] = new Definition { Function = function, MaxParams = maxParams };

    /// <summary>keepalived's check_definition(): "$NAME=VALUE" (no blank before '='); a final '\' opens a multi-line one.</summary>
    private bool TryDefine(string buf)
    {
        if (buf.Length < 2 || !IsNameStart(buf[1]))
        {
            return false;
        }

        int i = 2;
        while (i < buf.Length && buf[i] != '=')
        {
            if (!IsNameChar(buf[i]))
            {
                return false;
            }

            i++;
        }

        if (i >= buf.Length)
        {
            return false;
        }

        string name = buf[1..i];
        string value = buf[(i + 1)..].TrimStart(' ', '\t');
        var definition = Define(name, value);
        if (value.EndsWith('\\'))
        {
            string first = value[..^1].TrimEnd(' ', '\t');
            definition.Value = first.Length == 0 ? "" : first + "\n";
            definition.Multiline = true;
            _collecting = definition;
        }

        return true;
    }

    /// <summary>Sets a definition (a standard one is overridden: its function goes).</summary>
    private Definition Define(string name, string value)
    {
        if (!_definitions.TryGetValue(name, out var definition))
        {
            definition = new Definition();
            _definitions[name] = definition;
        }

        definition.Function = null;
        definition.MaxParams = 0;
        definition.Multiline = false;
        definition.Value = value;
        return definition;
    }

    private void ContinueDefinition(Definition definition, string part)
    {
        bool more = part.EndsWith('\\');
        if (more)
        {
            part = part[..^1].TrimEnd(' ', '\t') + "\n";
        }

        // A line holding only '\' adds nothing.
        if (part.Length >= 2 || (part.Length > 0 && !more))
        {
            definition.Value += part;
        }

        if (!more)
        {
            EndDefinition();
        }
    }

    private void EndDefinition()
    {
        if (_collecting is { } definition && definition.Value.Length == 0)
        {
            definition.Multiline = false;
        }

        _collecting = null;
    }

    /// <summary>
    /// keepalived's replace_param(): every <c>$NAME</c> (followed by a blank, ',', ')' or the end) and <c>${NAME}</c> /
    /// <c>${NAME params}</c> that names a definition is replaced, the replacement itself scanned again; a multi-line
    /// definition only at the end of the line, its first line in place and the others into <paramref name="following"/>.
    /// A value starting with '~' stops the scan. Returns whether anything was replaced.
    /// </summary>
    private bool Replace(ref string buf, ConfigLocation location, ref List<string>? following)
    {
        bool found = false;
        int position = 0;
        int replacements = 0;
        while ((position = buf.IndexOf('$', position)) >= 0 && position + 1 < buf.Length)
        {
            if (!FindDefinition(buf, position + 1, out var definition, out int end, out string? parameters))
            {
                position++;
                continue;
            }

            if (++replacements > MaxReplacementsPerLine)
            {
                _context.Error(location, $"parameter substitution nested too deeply: {buf}");
                buf = "";
                return true;
            }

            found = true;
            string value = definition.Function is { } function ? function(parameters, location) : definition.Value;
            string replacement = value;
            if (definition.Multiline)
            {
                int newline = value.IndexOf('\n');
                if (newline >= 0)
                {
                    replacement = value[..newline];
                    List<string> rest = [.. value[(newline + 1)..].Split('\n')];
                    if (following is not null)
                    {
                        rest.AddRange(following);
                    }

                    following = rest;
                }
            }

            buf = string.Concat(buf.AsSpan(0, position), replacement, buf.AsSpan(end));
            if (value.TrimStart(' ', '\t').StartsWith('~'))
            {
                break;
            }
        }

        return found;
    }

    /// <summary>keepalived's find_definition() for a use at <paramref name="start"/> (just after the '$').</summary>
    private bool FindDefinition(string buf, int start, out Definition definition, out int end, out string? parameters)
    {
        definition = null!;
        end = 0;
        parameters = null;
        bool braces = buf[start] == '{';
        int nameStart = braces ? start + 1 : start;
        if (nameStart >= buf.Length || !IsNameStart(buf[nameStart]))
        {
            return false;
        }

        int nameEnd = nameStart + 1;
        while (nameEnd < buf.Length && IsNameChar(buf[nameEnd]))
        {
            nameEnd++;
        }

        if (braces)
        {
            int p = nameEnd;
            int first = -1;
            int last = -1;
            while (p < buf.Length && (buf[p] == ' ' || char.IsAsciiDigit(buf[p])))
            {
                if (buf[p] != ' ')
                {
                    if (first < 0)
                    {
                        first = p;
                    }

                    last = p;
                }

                p++;
            }

            if ((first >= 0 && last + 1 != p) || p >= buf.Length || buf[p] != '}')
            {
                return false;
            }

            if (first >= 0)
            {
                parameters = buf[first..(last + 1)];
            }

            end = p + 1;
        }
        else
        {
            if (nameEnd < buf.Length && buf[nameEnd] is not (' ' or '\t' or ',' or ')'))
            {
                return false;
            }

            end = nameEnd;
        }

        if (!_definitions.TryGetValue(buf[nameStart..nameEnd], out var found) ||
            (found.Multiline && (parameters is not null || end != buf.Length)) ||
            (parameters is not null && found.MaxParams == 0))
        {
            return false;
        }

        definition = found;
        return true;
    }

    /// <summary>${_RANDOM [min [max]]}: random() % (max - min + 1) + min, 0 and 32767 by default.</summary>
    private string RandomValue(string? parameters, ConfigLocation location)
    {
        ulong min = 0;
        ulong max = 32767;
        if (parameters is not null)
        {
            string[] words = parameters.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            min = ParseUnsigned(words[0]);
            if (words.Length > 1)
            {
                max = ParseUnsigned(words[1]);
            }

            if (words.Length > 2)
            {
                _context.Warning(location, $"Too many parameters or extra text for ${{_RANDOM {parameters}}}", failsConfigTest: false);
            }
        }

        ulong range = unchecked(max - min + 1);
        ulong draw = (ulong)_random.Next();
        long value = unchecked((long)((range == 0 ? draw : draw % range) + min));
        return value.ToString(CultureInfo.InvariantCulture);
    }

    private static ulong ParseUnsigned(string digits) =>
        ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n) ? n : ulong.MaxValue;

    // ---- ~SEQ and ~LST ---------------------------------------------------------------------------------------

    /// <summary>
    /// <c>~SEQ(var, end)</c>, <c>~SEQ(var, start, end)</c>, <c>~SEQ(var, start, step, end)</c> (numbers as strtol base 0,
    /// definitions allowed), then the line: the line is read once per value with <c>$var</c> defined as it (decimal, or
    /// lower-case hex without 0x for <c>~SEQx</c>). Returns false for keepalived's "Invalid ~SEQ specification".
    /// </summary>
    private bool Sequence(string buf, ConfigLocation location, int depth)
    {
        int p = 4;
        bool hex = p < buf.Length && buf[p] == 'x';
        if (hex)
        {
            p++;
        }

        p = SkipBlanks(buf, p);
        if (p >= buf.Length || buf[p++] != '(')
        {
            return false;
        }

        p = SkipBlanks(buf, p);
        int varStart = p;
        while (p < buf.Length && buf[p] is not (' ' or '\t' or ',' or ')'))
        {
            p++;
        }

        string variable = buf[varStart..p];
        p = SkipBlanks(buf, p);
        int close = buf.IndexOf(')', p);
        if (p >= buf.Length || buf[p] == ')' || variable.Length == 0 || close < 0)
        {
            _context.Error(location, $"Invalid ~SEQ definition '{buf}'");
            return false;
        }

        string parameters = buf[SkipBlanks(buf, p + 1)..(close + 1)];
        List<string>? multiline = null;
        Replace(ref parameters, location, ref multiline);
        if (multiline is not null)
        {
            _context.Error(location, $"~SEQ parameter is multiline definition '{buf}'");
            return false;
        }

        long start, step, last;
        int q = 0;
        long one = StrToL(parameters, ref q);
        q = SkipBlanks(parameters, q);
        if (q < parameters.Length && parameters[q] == ')')
        {
            last = one;
            step = last < 1 ? -1 : 1;
            start = last < 0 ? -1 : 1;
        }
        else
        {
            if (q >= parameters.Length || parameters[q] != ',')
            {
                _context.Error(location, $"Invalid ~SEQ definition '{buf}'");
                return false;
            }

            q++;
            long two = StrToL(parameters, ref q);
            q = SkipBlanks(parameters, q);
            if (q < parameters.Length && parameters[q] == ')')
            {
                start = one;
                last = two;
                step = start <= last ? 1 : -1;
            }
            else
            {
                if (q >= parameters.Length || parameters[q] != ',')
                {
                    _context.Error(location, $"Invalid ~SEQ definition '{buf}'");
                    return false;
                }

                q++;
                long three = StrToL(parameters, ref q);
                q = SkipBlanks(parameters, q);
                if (q >= parameters.Length || parameters[q] != ')')
                {
                    _context.Error(location, $"Invalid ~SEQ definition '{buf}'");
                    return false;
                }

                start = one;
                step = two;
                last = three;
                if (step == 0 || (start < last && step < 0) || (start > last && step > 0))
                {
                    _context.Error(location, $"Invalid ~SEQ values '{buf}'");
                    return false;
                }
            }
        }

        if (hex && (start < 0 || last < 0))
        {
            _context.Error(location, $"~SEQx is only valid for positive numbers '{buf}'");
            return false;
        }

        string text = buf[SkipBlanks(buf, close + 1)..];
        // Counted in 128 bits: a sequence ending near long.MaxValue must neither overflow nor loop for ever.
        Int128 count = step > 0 ? (start > last ? 0 : ((Int128)last - start) / step + 1)
                                : (start < last ? 0 : ((Int128)start - last) / -(Int128)step + 1);
        if (count > ParseContext.MaxLines - _context.Lines)
        {
            _context.Error(location, $"~SEQ would generate {count} lines, more than the {ParseContext.MaxLines} a configuration may have in all '{buf}'");
            return true;
        }

        for (long i = 0; i < (long)count && !_context.LineBudgetSpent; i++)
        {
            long value = (long)(start + (Int128)i * step);
            Define(variable, hex ? value.ToString("x", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture));
            ProcessLine(text, location, depth + 1);
        }

        return true;
    }

    /// <summary>
    /// <c>~LST(var, v1, v2...)</c> or <c>~LST({var1, var2}, {a1, a2}, {b1, b2}...)</c>, then the line: read once per value
    /// set with each variable defined as its value (missing trailing values are empty). Values hold no blanks.
    /// </summary>
    private bool List(string buf, ConfigLocation location, int depth)
    {
        int p = SkipBlanks(buf, 4);
        if (p >= buf.Length || buf[p++] != '(')
        {
            return false;
        }

        p = SkipBlanks(buf, p);
        char endChar = ',';
        if (At(buf, p) == '{')
        {
            endChar = '}';
            p = SkipBlanks(buf, p + 1);
        }

        List<string> variables = [];
        while (true)
        {
            int start = p;
            while (p < buf.Length && buf[p] is not (' ' or '\t' or ',' or '}'))
            {
                p++;
            }

            variables.Add(buf[start..p]);
            p = SkipBlanks(buf, p);
            if (At(buf, p) == endChar)
            {
                break;
            }

            if (At(buf, p) != ',')
            {
                return false;
            }

            p = SkipBlanks(buf, p + 1);
        }

        if (At(buf, p) == '}')
        {
            p = SkipBlanks(buf, p + 1);
        }

        if (At(buf, p) != ',')
        {
            return false;
        }

        p = SkipBlanks(buf, p + 1);
        List<List<string>> sets = [];
        while (true)
        {
            endChar = ',';
            if (At(buf, p) == '{')
            {
                endChar = '}';
                p = SkipBlanks(buf, p + 1);
            }

            List<string> values = [];
            while (true)
            {
                int start = p;
                while (p < buf.Length && buf[p] is not (' ' or '\t' or ',' or '}' or ')'))
                {
                    p++;
                }

                values.Add(buf[start..p]);
                p = SkipBlanks(buf, p);
                if (At(buf, p) == endChar || (At(buf, p) == ')' && endChar == ','))
                {
                    break;
                }

                if (At(buf, p) != ',')
                {
                    return false;
                }

                p = SkipBlanks(buf, p + 1);
                if (values.Count > variables.Count - 1)
                {
                    _context.Error(location, $"~LST specification has too many values '{buf}'");
                    return false;
                }
            }

            while (values.Count < variables.Count)
            {
                values.Add("");
            }

            sets.Add(values);
            if (At(buf, p) == '}' && endChar == '}')
            {
                p = SkipBlanks(buf, p + 1);
            }

            if (At(buf, p) == ')')
            {
                break;
            }

            if (At(buf, p) != ',')
            {
                return false;
            }

            p = SkipBlanks(buf, p + 1);
        }

        string text = buf[Math.Min(buf.Length, SkipBlanks(buf, p + 1))..];
        foreach (var values in sets)
        {
            for (int v = 0; v < variables.Count; v++)
            {
                Define(variables[v], values[v]);
            }

            ProcessLine(text, location, depth + 1);
        }

        return true;
    }

    private static char At(string s, int i) => i < s.Length ? s[i] : '\0';

    private static int SkipBlanks(string s, int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }

    /// <summary>strtol(s, &amp;end, 0): blanks, a sign, then 0x hex, 0 octal or decimal; no digits leave <paramref name="i"/> alone and give 0.</summary>
    private static long StrToL(string s, ref int i)
    {
        int p = i;
        while (p < s.Length && char.IsWhiteSpace(s[p]))
        {
            p++;
        }

        bool negative = false;
        if (p < s.Length && s[p] is '+' or '-')
        {
            negative = s[p] == '-';
            p++;
        }

        int radix = 10;
        if (p + 1 < s.Length && s[p] == '0' && s[p + 1] is 'x' or 'X' && p + 2 < s.Length && char.IsAsciiHexDigit(s[p + 2]))
        {
            radix = 16;
            p += 2;
        }
        else if (p < s.Length && s[p] == '0')
        {
            radix = 8;
        }

        int digitsStart = p;
        long value = 0;
        while (p < s.Length)
        {
            int digit = char.IsAsciiDigit(s[p]) ? s[p] - '0' : char.IsAsciiLetter(s[p]) ? char.ToLowerInvariant(s[p]) - 'a' + 10 : 99;
            if (digit >= radix)
            {
                break;
            }

            value = unchecked((value * radix) + digit);
            p++;
        }

        if (p == digitsStart)
        {
            return 0;
        }

        i = p;
        return negative ? -value : value;
    }

    // ---- include ---------------------------------------------------------------------------------------------

    /// <summary>
    /// keepalived's open_glob_file(): the pattern (relative to the including file's directory) is globbed with braces;
    /// what is wrong with it is an error when <paramref name="checks"/> (or -e) asks for that check, else a log line.
    /// </summary>
    private void Include(IncludeChecks checks, string pattern, ConfigLocation location)
    {
        if (_context.Options.AllConfig)
        {
            checks = IncludeChecks.All;
        }

        string absolute = Path.IsPathRooted(pattern) ? pattern : Path.Combine(CurrentDirectory, pattern);
        var matches = new List<string>();
        bool missing = false;
        bool wildcards = false;
        foreach (var alternative in Glob.ExpandBraces(absolute))
        {
            wildcards |= Glob.HasWildcard(alternative);
            matches.AddRange(Glob.MatchMarked(alternative, _fs, out bool alternativeMissing));
            missing |= alternativeMissing;
        }

        if (matches.Count == 0)
        {
            if (missing)
            {
                Report(checks, HasBrace(pattern) ? IncludeChecks.Brace : IncludeChecks.Match, location, $"Config files missing '{pattern}'.");
            }
            else if (wildcards && checks.HasFlag(IncludeChecks.Wildcard))
            {
                Report(checks, IncludeChecks.Wildcard, location, $"No config files matched '{pattern}'.");
            }

            return;
        }

        if (missing)
        {
            Report(checks, IncludeChecks.Brace, location, $"Some config files missing: \"{pattern}\".");
            if (checks.HasFlag(IncludeChecks.Brace))
            {
                return;
            }
        }

        foreach (var match in matches)
        {
            if (match.EndsWith('/'))
            {
                Report(checks, IncludeChecks.Read, location, $"Configuration file '{match}' is a directory - skipping");
                continue;
            }

            if (_fs.IsExecutable(match))
            {
                Report(checks, IncludeChecks.Read, location, $"Configuration file '{match}' is not a regular non-executable file - skipping");
                continue;
            }

            string full = Path.GetFullPath(match);
            int open = _openFiles.IndexOf(full);
            if (open >= 0)
            {
                var chain = string.Join(" -> ", _openFiles.Skip(open).Append(full));
                _context.Error(location, $"include loop: '{pattern}' includes a file that is already being read ({chain})");
                continue;
            }

            if (_openFiles.Count > _context.Options.MaxIncludeDepth)
            {
                _context.Error(location, $"includes nested more than {_context.Options.MaxIncludeDepth} deep at '{pattern}'");
                continue;
            }

            ReadFile(full, full, location, checks);
        }
    }

    private void Report(IncludeChecks checks, IncludeChecks problem, ConfigLocation location, string message)
    {
        if ((checks & problem) != 0)
        {
            _context.FileError(location, message);
        }
        else
        {
            // keepalived logs it and carries on; -t does not fail.
            _context.Warning(location, message, failsConfigTest: false);
        }
    }

    private static bool HasBrace(string pattern)
    {
        for (int i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                i++;
            }
            else if (pattern[i] == '{')
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
