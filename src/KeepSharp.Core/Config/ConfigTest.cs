namespace KeepSharp.Config;

/// <summary>
/// keepalived's <c>-t</c> (config test) verdict for a loaded configuration.
/// keepalived 2.2.7 exits 0 when it has nothing to report about the configuration and
/// 5 (KEEPALIVED_EXIT_CONFIG_TEST) as soon as it reported any configuration problem, including ones it
/// only warns about (unknown keyword, unknown track_script, truncated auth_pass, ...).
/// It exits 6 (KEEPALIVED_EXIT_CONFIG_TEST_SECURITY) when scripts would run without script security;
/// that and host-level checks (interfaces or script files that do not exist) are runtime concerns and
/// are not produced here.
/// </summary>
public static class ConfigTest
{
    public const int ExitOk = 0;
    public const int ExitConfigTestFailed = 5;
    public const int ExitConfigTestSecurity = 6;

    /// <summary>KEEPALIVED_EXIT_NO_CONFIG: a checked include failed (it has the same value as the security exit).</summary>
    public const int ExitNoConfig = 6;

    public static int GetExitCode(ConfigLoadResult result) =>
        result.Diagnostics.Any(d => d.ConfigFileError) ? ExitNoConfig
        : result.HasErrors || result.Diagnostics.Any(d => d.FailsConfigTest) ? ExitConfigTestFailed : ExitOk;

    /// <summary>Loads <paramref name="path"/>, writes every diagnostic to <paramref name="output"/>, returns the exit code.</summary>
    public static int Run(string path, TextWriter output, ConfigLoadOptions? options = null, IConfigFileSystem? fileSystem = null)
    {
        var result = KeepalivedConfigLoader.Load(path, options ?? ConfigLoadOptions.Default, fileSystem);
        foreach (var diagnostic in result.Diagnostics)
        {
            output.WriteLine(diagnostic.ToString());
        }

        return GetExitCode(result);
    }
}
