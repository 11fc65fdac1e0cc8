using KeepSharp.Config;
using KeepSharp.Daemon.CommandLine;

namespace KeepSharp.Daemon;

/// <summary><c>keepsharp -t</c>: checks a configuration and exits with keepalived's codes.</summary>
internal static class ConfigTestCommand
{
    public static int Run(DaemonOptions options)
    {
        ConfigLoadResult result = KeepalivedConfigLoader.Load(options.ConfigFile, options.ConfigId);
        using TextWriter output = options.ConfigTestLogFile is { } file ? new StreamWriter(file) : Console.Error;
        foreach (ConfigDiagnostic diagnostic in result.Diagnostics)
            output.WriteLine(diagnostic.ToString());
        int code = ConfigTest.GetExitCode(result);
        if (code == 0)
            output.WriteLine($"{options.ConfigFile}: configuration OK");
        return code;
    }
}
