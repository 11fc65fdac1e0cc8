using System.Text;

namespace KeepSharp.Config.Parsing;

/// <summary>
/// Reads configuration files into token lines the way keepalived does: comments, <c>@id</c> / <c>@^id</c>
/// conditional lines, <c>$NAME=value</c> definitions (also multi-line) with <c>$NAME</c> / <c>${NAME}</c>
/// substitution, and <c>include</c> (globs, relative to the including file, sorted, nested, loop-checked).
/// </summary>
internal sealed class ConfigReader
{
    private const int MaxSubstitutionDepth = 32;

    private static readonly HashSet<string> IncludeKeywords =
        new(["include", "includer", "includem", "includew", "includeb", "includea"], StringComparer.Ordinal);

    private readonly ParseContext _context;
    private readonly IConfigFileSystem _fs;
    private readonly Dictionary<string, string> _parameters = new(StringComparer.Ordinal);
    private readonly List<string> _openFiles = [];
    private readonly List<ConfigLine> _lines = [];
    private readonly List<string> _files = [];

    public ConfigReader(ParseContext context, IConfigFileSystem fs)
    {
        _context = context;
        _fs = fs;
    }

    public IReadOnlyList<ConfigLine> Lines => _lines;

    public IReadOnlyList<string> Files => _files;

    /// <summary>Reads a file from disk (through the file system abstraction).</summary>
    public void ReadMainFile(string path)
    {
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

    private void ReadFile(string fullPath, string displayName, ConfigLocation from)
    {
        string text;
        try
        {
            text = _fs.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _context.Error(from, $"cannot read configuration file '{displayName}': {e.Message}");
            return;
        }

        _files.Add(displayName);
        _openFiles.Add(fullPath);
        ReadLines(text, displayName, Path.GetDirectoryName(fullPath) ?? "/");
        _openFiles.RemoveAt(_openFiles.Count - 1);
    }

    private void ReadLines(string text, string displayName, string directory)
    {
        var raw = text.Split('\n');
        for (int i = 0; i < raw.Length; i++)
        {
            var location = new ConfigLocation(displayName, i + 1);
            string? multiline = ProcessLine(raw[i].TrimEnd('\r'), location, directory, 0);
            if (multiline is null)
            {
                continue;
            }

            // "$NAME= \" : the value is the following lines, each but the last ending with '\'.
            var value = new StringBuilder();
            while (++i < raw.Length)
            {
                string part = Tokenizer.StripComment(raw[i].TrimEnd('\r')).TrimEnd();
                bool more = part.EndsWith('\\');
                value.Append(more ? part[..^1] : part).Append('\n');
                if (!more)
                {
                    break;
                }
            }

            _parameters[multiline] = value.ToString().TrimEnd('\n');
        }
    }

    /// <summary>Processes one line; returns a parameter name when the line opens a multi-line definition.</summary>
    private string? ProcessLine(string line, ConfigLocation location, string directory, int depth)
    {
        string text = Tokenizer.StripComment(line).Trim();
        if (text.Length == 0)
        {
            return null;
        }

        if (text[0] == '@')
        {
            int space = IndexOfWhiteSpace(text);
            string id = space < 0 ? text[1..] : text[1..space];
            bool negate = id.StartsWith('^');
            if (negate)
            {
                id = id[1..];
            }

            bool matches = _context.Options.ConfigId is { } configId && configId == id;
            if (matches == negate)
            {
                return null;
            }

            text = space < 0 ? "" : text[space..].Trim();
            if (text.Length == 0)
            {
                return null;
            }
        }

        if (TryParseDefinition(text, out string name, out string value))
        {
            if (value == "\\")
            {
                return name;
            }

            _parameters[name] = value;
            return null;
        }

        if (_parameters.Count > 0)
        {
            string substituted = Substitute(text);
            if (!string.Equals(substituted, text, StringComparison.Ordinal))
            {
                if (depth >= MaxSubstitutionDepth)
                {
                    _context.Error(location, $"parameter substitution nested too deeply: {text}");
                    return null;
                }

                foreach (var part in substituted.Split('\n'))
                {
                    ProcessLine(part, location, directory, depth + 1);
                }

                return null;
            }
        }

        // include is recognised on the raw text: its pattern may hold '{a,b}' brace expressions.
        int firstSpace = IndexOfWhiteSpace(text);
        if (firstSpace > 0 && IncludeKeywords.Contains(text[..firstSpace]))
        {
            Include(text[..firstSpace], text[firstSpace..].Trim(), location, directory);
            return null;
        }

        var tokens = Tokenizer.Tokenize(text, location, _context);
        if (tokens.Count == 0)
        {
            return null;
        }

        if (tokens.Count == 1 && tokens[0].IsWord && !tokens[0].Quoted && IncludeKeywords.Contains(tokens[0].Text))
        {
            _context.Error(location, $"'{tokens[0].Text}' requires a file name or pattern");
            return null;
        }

        _lines.Add(new ConfigLine(tokens, location));
        return null;
    }

    private void Include(string keyword, string argument, ConfigLocation location, string directory)
    {
        string pattern = argument.Length >= 2 && argument[0] is '"' or '\'' && argument[^1] == argument[0]
            ? argument[1..^1]
            : argument;
        if (pattern.Length == 0)
        {
            _context.Error(location, $"'{keyword}' requires a file name or pattern");
            return;
        }
        string absolute = Path.IsPathRooted(pattern) ? pattern : Path.Combine(directory, pattern);
        var files = new List<string>();
        foreach (var alternative in Glob.ExpandBraces(absolute))
        {
            if (Glob.HasWildcard(alternative))
            {
                files.AddRange(Glob.Match(alternative, _fs));
            }
            else if (_fs.FileExists(alternative))
            {
                files.Add(alternative);
            }
            else
            {
                // keepalived 2.2.7 logs "Config files missing" for a plain include but does not fail -t.
                _context.Warning(location, $"include file '{pattern}' not found", failsConfigTest: false);
            }
        }

        foreach (var file in files)
        {
            string full = Path.GetFullPath(file);
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

            ReadFile(full, full, location);
        }
    }

    /// <summary>"$NAME=VALUE" (no space before '='; name [A-Za-z_][A-Za-z0-9_]*).</summary>
    private static bool TryParseDefinition(string text, out string name, out string value)
    {
        name = value = "";
        if (text.Length < 3 || text[0] != '$' || !IsNameStart(text[1]))
        {
            return false;
        }

        int i = 2;
        while (i < text.Length && IsNameChar(text[i]))
        {
            i++;
        }

        if (i >= text.Length || text[i] != '=')
        {
            return false;
        }

        name = text[1..i];
        value = text[(i + 1)..].Trim();
        return true;
    }

    /// <summary>One pass of substitution of $NAME (followed by whitespace or end) and ${NAME}; undefined names stay.</summary>
    private string Substitute(string text)
    {
        var result = new StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '$' && i + 1 < text.Length)
            {
                if (text[i + 1] == '{')
                {
                    int close = text.IndexOf('}', i + 2);
                    if (close > 0 && _parameters.TryGetValue(text[(i + 2)..close], out var braced))
                    {
                        result.Append(braced);
                        i = close + 1;
                        continue;
                    }
                }
                else if (IsNameStart(text[i + 1]))
                {
                    int end = i + 2;
                    while (end < text.Length && IsNameChar(text[end]))
                    {
                        end++;
                    }

                    if ((end == text.Length || char.IsWhiteSpace(text[end])) &&
                        _parameters.TryGetValue(text[(i + 1)..end], out var plain))
                    {
                        result.Append(plain);
                        i = end;
                        continue;
                    }
                }
            }

            result.Append(c);
            i++;
        }

        return result.ToString();
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static int IndexOfWhiteSpace(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsWhiteSpace(s[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
