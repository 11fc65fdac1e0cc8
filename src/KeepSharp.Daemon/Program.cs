using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using KeepSharp.Config;
using KeepSharp.Daemon.CommandLine;
using KeepSharp.Daemon.Logging;
using KeepSharp.Daemon.Runtime;
using KeepSharp.Linux;

namespace KeepSharp.Daemon;

internal static class Program
{
    /// <summary>keepalived's exit codes (keepalived/include/main.h).</summary>
    private const int ExitOk = 0;
    private const int ExitFatal = 3;
    private const int ExitConfig = 4;

    /// <summary>SIGUSR2 on Linux: keepalived writes its statistics file on it.</summary>
    private const PosixSignal SIGUSR2 = (PosixSignal)12;

    public static string Version =>
        typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static int Main(string[] args)
    {
        DaemonOptions? options = CommandLineParser.Parse(args, out string? error);
        if (options is null)
        {
            Console.Error.WriteLine($"keepsharp: {error}");
            Console.Error.WriteLine("Try 'keepsharp --help' for more information.");
            return 1;
        }
        if (options.ShowHelp)
        {
            Console.Out.WriteLine(Usage.Text);
            return ExitOk;
        }
        if (options.ShowVersion)
        {
            Console.Error.WriteLine($"KeepSharp v{Version} (keepalived-compatible VRRP daemon)");
            return ExitOk;
        }
        if (options.ConfigTest)
            return ConfigTestCommand.Run(options);
        if (!options.DontFork && !options.Daemonized)
            return Daemonizer.SpawnInBackground(args);
        return RunDaemon(options);
    }

    private static int RunDaemon(DaemonOptions options)
    {
        if (options.Daemonized)
        {
            ProcessControl.StartNewSession();
            ProcessControl.DetachStandardStreams();
        }
        using Log log = new(LogSinks(options), options.LogDetail);
        var started = Stopwatch.StartNew();
        log.Info($"Starting KeepSharp v{Version}");
        log.Info($"Opening file '{options.ConfigFile}'.");

        ConfigLoadResult result = KeepalivedConfigLoader.Load(options.ConfigFile, ConfigTestCommand.LoadOptions(options));
        foreach (ConfigDiagnostic diagnostic in result.Diagnostics)
            log.Write(diagnostic.Severity == ConfigSeverity.Error ? LogLevel.Error : LogLevel.Warning, diagnostic.ToString());
        if (result.Config is not { } config)
        {
            log.Error("Stopping: the configuration has errors (see above).");
            return ExitConfig;
        }

        foreach (string warning in FeatureSupport.Warnings(config))
            log.Warning(warning);
        string[] unsupported = [.. FeatureSupport.Errors(config)];
        foreach (string e in unsupported)
            log.Error(e);
        if (unsupported.Length > 0)
        {
            log.Error("Stopping: the configuration needs features this version does not have (see above).");
            return ExitConfig;
        }

        using PidFile? pidFile = PidFile.TryAcquire(options.PidFile, log);
        if (pidFile is null)
            return ExitOk;

        VrrpDaemon daemon;
        try
        {
            daemon = VrrpDaemon.Create(config, log);
        }
        catch (Exception e) when (e is DaemonStartupException or NotSupportedException or IOException or InvalidOperationException)
        {
            log.Error(e.Message);
            return ExitFatal;
        }

        using (daemon)
        using (PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop))
        using (PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop))
        using (PosixSignalRegistration.Create(PosixSignal.SIGHUP, Reload))
        using (PosixSignalRegistration.Create(SIGUSR2, DumpStatistics))
        {
            daemon.Run(releaseAddressesOnStop: !options.DontReleaseVrrp);
        }
        log.Info($"Stopped - used {started.Elapsed.TotalSeconds:0.000} s wall time");
        log.Info($"Stopped KeepSharp v{Version}");
        return ExitOk;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            log.Info("Stopping");
            daemon.RequestStop();
        }

        void DumpStatistics(PosixSignalContext context)
        {
            context.Cancel = true;
            daemon.DumpStatistics(StatisticsDump.DefaultPath);
        }

        void Reload(PosixSignalContext context)
        {
            context.Cancel = true;
            log.Warning("Reload (SIGHUP) is not supported yet; keeping the running configuration");
        }
    }

    private static IEnumerable<ILogSink> LogSinks(DaemonOptions options)
    {
        if (options.LogConsole)
            yield return new ConsoleLogSink();
        if (options.LogFile is { } file)
            yield return new FileLogSink(file);
        if (!options.NoSyslog)
            yield return new SyslogLogSink(options.LogFacility);
    }
}
