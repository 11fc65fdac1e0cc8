namespace KeepSharp.Config;

/// <summary>Severity of a configuration diagnostic.</summary>
public enum ConfigSeverity
{
    Warning,
    Error,
}

/// <summary>A position in a configuration file (1-based line; 0 means "the file as a whole").</summary>
public sealed record ConfigLocation(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}

/// <summary>One message about the configuration, positioned at a file and line.</summary>
public sealed record ConfigDiagnostic(ConfigSeverity Severity, string File, int Line, string Message)
{
    /// <summary>
    /// Whether keepalived's <c>-t</c> would count this as a configuration problem (non-zero exit).
    /// keepalived only logs some conditions (e.g. a missing include file) without failing the test.
    /// </summary>
    public bool FailsConfigTest { get; init; } = true;

    /// <summary>
    /// An include the configuration asked to be checked (<c>includer</c>, <c>includem</c>, <c>-e</c>...) failed: keepalived
    /// 2.2.7 then exits 6 (KEEPALIVED_EXIT_NO_CONFIG), under <c>-t</c> too.
    /// </summary>
    public bool ConfigFileError { get; init; }

    public ConfigLocation Location => new(File, Line);

    public override string ToString() =>
        $"{File}:{Line}: {(Severity == ConfigSeverity.Error ? "error" : "warning")}: {Message}";
}
