namespace KeepSharp.Config.Parsing;

/// <summary>Collects diagnostics while reading and parsing.</summary>
internal sealed class ParseContext
{
    private readonly List<ConfigDiagnostic> _diagnostics = [];

    public ParseContext(ConfigLoadOptions options) => Options = options;

    public ConfigLoadOptions Options { get; }

    public IReadOnlyList<ConfigDiagnostic> Diagnostics => _diagnostics;

    public void Error(ConfigLocation at, string message) =>
        _diagnostics.Add(new ConfigDiagnostic(ConfigSeverity.Error, at.File, at.Line, message));

    /// <summary>A checked include that failed (keepalived's config_file_error: exit 6).</summary>
    public void FileError(ConfigLocation at, string message) =>
        _diagnostics.Add(new ConfigDiagnostic(ConfigSeverity.Error, at.File, at.Line, message) { ConfigFileError = true });

    public void Warning(ConfigLocation at, string message, bool failsConfigTest = true) =>
        _diagnostics.Add(new ConfigDiagnostic(ConfigSeverity.Warning, at.File, at.Line, message) { FailsConfigTest = failsConfigTest });
}
