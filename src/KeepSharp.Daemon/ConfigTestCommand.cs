using KeepSharp.Config;
using KeepSharp.Daemon.CommandLine;

namespace KeepSharp.Daemon;

/// <summary><c>keepsharp -t</c>: checks a configuration and exits with keepalived's codes (0 fine, 5 problems).</summary>
internal static class ConfigTestCommand
{
    public static int Run(DaemonOptions options)
    {
        if (options.ConfigTestLogFile is { } file)
        {
            using var writer = new StreamWriter(file);
            return Run(options, writer);
        }
        return Run(options, Console.Error);
    }

    private static int Run(DaemonOptions options, TextWriter output)
    {
        int code = ConfigTest.Run(options.ConfigFile, output, LoadOptions(options));
        if (code == ConfigTest.ExitOk)
            output.WriteLine($"{options.ConfigFile}: configuration OK");
        output.Flush();
        return code;
    }

    /// <summary>keepalived's config-id (<c>-i</c>) defaults to the node name; advert sizes follow the interfaces' MTU.</summary>
    public static ConfigLoadOptions LoadOptions(DaemonOptions options) =>
        new() { ConfigId = options.ConfigId ?? Environment.MachineName, AllConfig = options.AllConfig, InterfaceMtu = Runtime.HostInterfaceMtu.Lookup, InterfaceAddresses = Runtime.HostInterfaceAddresses.Lookup };
}
