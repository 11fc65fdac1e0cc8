namespace KeepSharp.Config.Parsing;

/// <summary>Collects diagnostics while reading and parsing.</summary>
internal sealed class ParseContext
{
    private readonly List<ConfigDiagnostic> _diagnostics = [];

    public ParseContext(ConfigLoadOptions options) => Options = options;

    public ConfigLoadOptions Options { get; }

    public IReadOnlyList<ConfigDiagnostic> Diagnostics => _diagnostics;

    /// <summary>
    /// Most lines one load may process: the files' lines, those read again through includes, and those the <c>~SEQ</c> /
    /// <c>~LST</c> generators produce (nested ones multiply). keepalived has no limit: <c>~SEQ(i, 0, 2000000000)</c>, or a
    /// few files that include each other several times over, keep it busy for minutes; a real configuration is far below.
    /// </summary>
    public const long MaxLines = 50_000;

    /// <summary>Lines processed so far in this load.</summary>
    public long Lines { get; set; }

    /// <summary>Set once the budget is spent (reported once, at the line that spent it): the rest is not read.</summary>
    public bool LineBudgetSpent { get; set; }

    public void Error(ConfigLocation at, string message) =>
        _diagnostics.Add(new ConfigDiagnostic(ConfigSeverity.Error, at.File, at.Line, message));

    /// <summary>A checked include that failed (keepalived's config_file_error: exit 6).</summary>
    public void FileError(ConfigLocation at, string message) =>
        _diagnostics.Add(new ConfigDiagnostic(ConfigSeverity.Error, at.File, at.Line, message) { ConfigFileError = true });

    public void Warning(ConfigLocation at, string message, bool failsConfigTest = true) =>
        _diagnostics.Add(new ConfigDiagnostic(ConfigSeverity.Warning, at.File, at.Line, message) { FailsConfigTest = failsConfigTest });
}
