namespace KeepSharp.Config.Parsing;

/// <summary>Shell-style globbing for include patterns: '*', '?', '[...]' and csh brace expressions.</summary>
internal static class Glob
{
    public static bool HasWildcard(string pattern) => pattern.IndexOfAny(['*', '?', '[']) >= 0;

    /// <summary>Expands "{a,b}" alternatives (nested allowed), in order.</summary>
    public static IEnumerable<string> ExpandBraces(string pattern)
    {
        int open = -1, depth = 0;
        for (int i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '{')
            {
                if (depth++ == 0)
                {
                    open = i;
                }
            }
            else if (pattern[i] == '}' && depth > 0 && --depth == 0)
            {
                var alternatives = SplitTopLevel(pattern[(open + 1)..i]);
                if (alternatives.Count < 2)
                {
                    continue;
                }

                string prefix = pattern[..open], suffix = pattern[(i + 1)..];
                return alternatives.SelectMany(a => ExpandBraces(prefix + a + suffix)).ToList();
            }
        }

        return [pattern];
    }

    private static List<string> SplitTopLevel(string s)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '{')
            {
                depth++;
            }
            else if (s[i] == '}')
            {
                depth--;
            }
            else if (s[i] == ',' && depth == 0)
            {
                parts.Add(s[start..i]);
                start = i + 1;
            }
        }

        parts.Add(s[start..]);
        return parts;
    }

    /// <summary>
    /// glob(3) with GLOB_MARK as keepalived calls it: the existing files and directories (a directory ends with '/')
    /// matching an absolute pattern without braces, sorted; <paramref name="missing"/> tells whether a directory the
    /// pattern reads, or the named file, does not exist (keepalived's "missing" as opposed to "no match").
    /// </summary>
    public static List<string> MatchMarked(string absolutePattern, IConfigFileSystem fs, out bool missing)
    {
        missing = false;
        var segments = absolutePattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = new List<string> { "/" };
        for (int s = 0; s < segments.Length && current.Count > 0; s++)
        {
            string segment = segments[s];
            var next = new List<string>();
            foreach (var dir in current)
            {
                if (!HasWildcard(segment))
                {
                    next.Add(Path.Combine(dir, segment));
                    continue;
                }

                if (!fs.DirectoryExists(dir))
                {
                    missing = true;
                    continue;
                }

                foreach (var name in fs.EnumerateEntries(dir))
                {
                    if ((!name.StartsWith('.') || segment.StartsWith('.')) && IsMatch(segment, name))
                    {
                        next.Add(Path.Combine(dir, name));
                    }
                }
            }

            current = next;
        }

        var result = new List<string>();
        foreach (var path in current.Order(StringComparer.Ordinal))
        {
            if (fs.FileExists(path))
            {
                result.Add(path);
            }
            else if (fs.DirectoryExists(path))
            {
                result.Add(path + "/");
            }
            else
            {
                missing = true;
            }
        }

        return result;
    }

    /// <summary>fnmatch-style match of one path segment.</summary>
    public static bool IsMatch(string pattern, string name) => IsMatch(pattern, 0, name, 0);

    private static bool IsMatch(string p, int pi, string n, int ni)
    {
        while (pi < p.Length)
        {
            char c = p[pi];
            switch (c)
            {
                case '*':
                    while (pi < p.Length && p[pi] == '*')
                    {
                        pi++;
                    }

                    if (pi == p.Length)
                    {
                        return true;
                    }

                    for (int k = ni; k <= n.Length; k++)
                    {
                        if (IsMatch(p, pi, n, k))
                        {
                            return true;
                        }
                    }

                    return false;
                case '?':
                    if (ni >= n.Length)
                    {
                        return false;
                    }

                    pi++;
                    ni++;
                    break;
                case '[':
                    if (ni >= n.Length)
                    {
                        return false;
                    }

                    int end = ClassEnd(p, pi);
                    if (end < 0)
                    {
                        goto default; // a lone '[' is literal
                    }

                    if (!ClassMatches(p, pi + 1, end, n[ni]))
                    {
                        return false;
                    }

                    pi = end + 1;
                    ni++;
                    break;
                case '\\' when pi + 1 < p.Length:
                    if (ni >= n.Length || n[ni] != p[pi + 1])
                    {
                        return false;
                    }

                    pi += 2;
                    ni++;
                    break;
                default:
                    if (ni >= n.Length || n[ni] != c)
                    {
                        return false;
                    }

                    pi++;
                    ni++;
                    break;
            }
        }

        return ni == n.Length;
    }

    private static int ClassEnd(string p, int open)
    {
        int i = open + 1;
        if (i < p.Length && p[i] is '!' or '^')
        {
            i++;
        }

        if (i < p.Length && p[i] == ']')
        {
            i++;
        }

        return p.IndexOf(']', i);
    }

    private static bool ClassMatches(string p, int start, int end, char c)
    {
        bool negate = p[start] is '!' or '^';
        if (negate)
        {
            start++;
        }

        bool found = false;
        for (int i = start; i < end; i++)
        {
            if (i + 2 < end && p[i + 1] == '-')
            {
                found |= c >= p[i] && c <= p[i + 2];
                i += 2;
            }
            else
            {
                found |= c == p[i];
            }
        }

        return found != negate;
    }
}
