namespace KeepSharp.Config;

/// <summary>The outcome of loading a configuration: the model (when there are no errors) and every diagnostic.</summary>
public sealed class ConfigLoadResult
{
    public ConfigLoadResult(KeepalivedConfig? config, IReadOnlyList<ConfigDiagnostic> diagnostics)
    {
        Diagnostics = diagnostics;
        HasErrors = diagnostics.Any(d => d.Severity == ConfigSeverity.Error);
        Config = HasErrors ? null : config;
    }

    /// <summary>The parsed configuration; null if and only if <see cref="HasErrors"/>.</summary>
    public KeepalivedConfig? Config { get; }

    public IReadOnlyList<ConfigDiagnostic> Diagnostics { get; }

    public bool HasErrors { get; }

    public IEnumerable<ConfigDiagnostic> Errors => Diagnostics.Where(d => d.Severity == ConfigSeverity.Error);

    public IEnumerable<ConfigDiagnostic> Warnings => Diagnostics.Where(d => d.Severity == ConfigSeverity.Warning);
}
