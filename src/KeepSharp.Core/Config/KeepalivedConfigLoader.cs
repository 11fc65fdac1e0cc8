using KeepSharp.Config.Parsing;

namespace KeepSharp.Config;

/// <summary>
/// Loads keepalived configuration (the VRRP half) into a <see cref="KeepalivedConfig"/>.
/// Never throws for bad input: every problem becomes a positioned <see cref="ConfigDiagnostic"/>.
/// </summary>
public static class KeepalivedConfigLoader
{
    public static ConfigLoadResult Load(string path, IConfigFileSystem? fileSystem = null) =>
        Load(path, ConfigLoadOptions.Default, fileSystem);

    public static ConfigLoadResult Load(string path, ConfigLoadOptions options, IConfigFileSystem? fileSystem = null) =>
        Run(options, fileSystem, reader => reader.ReadMainFile(path));

    public static ConfigLoadResult Parse(string text, string fileName = "<text>", IConfigFileSystem? fileSystem = null) =>
        Parse(text, fileName, ConfigLoadOptions.Default, fileSystem);

    public static ConfigLoadResult Parse(string text, string fileName, ConfigLoadOptions options, IConfigFileSystem? fileSystem = null) =>
        Run(options, fileSystem, reader => reader.ReadText(text, fileName));

    private static ConfigLoadResult Run(ConfigLoadOptions options, IConfigFileSystem? fileSystem, Action<ConfigReader> read)
    {
        var context = new ParseContext(options ?? ConfigLoadOptions.Default);
        var reader = new ConfigReader(context, fileSystem ?? PhysicalConfigFileSystem.Instance);
        read(reader);

        var statements = StatementTreeBuilder.Build(reader.Lines, context);
        var builder = new ConfigBuilder();
        TopLevelKeywords.Table.Apply(context, builder, statements);
        var config = ConfigValidator.Build(context, builder, reader.Files);

        return new ConfigLoadResult(config, context.Diagnostics.ToList());
    }
}
