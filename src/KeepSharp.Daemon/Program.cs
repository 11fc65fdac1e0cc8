using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using KeepSharp.Config;
using KeepSharp.Daemon.CommandLine;
using KeepSharp.Daemon.Logging;
using KeepSharp.Daemon.Runtime;
using KeepSharp.Daemon.Runtime.Dumps;
using KeepSharp.Linux;
using KeepSharp.Linux.Systemd;

namespace KeepSharp.Daemon;

internal static class Program
{
    /// <summary>keepalived 2.2.7's exit codes (enum exit_code in lib/scheduler.h; 3 and 4 were keepalived 1.x's).</summary>
    private const int ExitOk = 0;
    private const int ExitFatal = 1;
    private const int ExitConfig = 2;

    public static string Version =>
        typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static int Main(string[] args)
    {
        if (args is [CheckClusterCommand.Name, ..])
            return CheckClusterCommand.Run(args[1..], Console.Out, Console.Error);
        if (args is [var command, ..] && Runtime.Control.ControlCommand.Names.Contains(command))
            return Runtime.Control.ControlCommand.Run(command, args[1..], Console.Out, Console.Error); // status, reload, garp
        DaemonOptions? options = CommandLineParser.Parse(args, out string? error);
        if (options is null)
        {
            Console.Error.WriteLine($"keepsharp: {error}");
            Console.Error.WriteLine("Try 'keepsharp --help' for more information.");
            return 1;
        }
        if (options.SignalFunction is { } signalFunction)
            return SignalFunctions.Print(signalFunction, Console.Out, Console.Error);
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
        List<string> sinkErrors = [];
        using Log log = new(LogSinks(options, sinkErrors), options.LogDetail);
        CrashHandler crash = CrashHandler.Install(log);
        var started = Stopwatch.StartNew();
        log.Info($"Starting KeepSharp v{Version}");
        foreach (string sinkError in sinkErrors)
            log.Error(sinkError);
        FaultInjection? fault = FaultInjection.FromEnvironment(TimeProvider.System, out string? faultProblem);
        if (faultProblem is not null)
            log.Warning(faultProblem);
        if (fault is not null)
            log.Warning($"FAULT INJECTION ARMED ({FaultInjection.EnvironmentVariable}): {fault.Description}");
        if (options.CoreDump && ProcessControl.EnableCoreDumps() is { } coreDumpProblem)
            log.Warning(coreDumpProblem);
        log.Info($"Opening file '{options.ConfigFile}'.");

        ConfigLoadResult result = KeepalivedConfigLoader.Load(options.ConfigFile, ConfigTestCommand.LoadOptions(options));
        foreach (ConfigDiagnostic diagnostic in result.Diagnostics)
            log.Write(diagnostic.Severity == ConfigSeverity.Error ? LogLevel.Error : LogLevel.Warning, diagnostic.ToString());
        if (result.Config is not { } config)
        {
            log.Error("Stopping: the configuration has errors (see above).");
            return ExitConfig;
        }

        if (options.DumpConfig)
        {
            foreach (string line in ConfigDump.Lines(config))
                log.Info(line);
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

        PidFile? acquired;
        try
        {
            acquired = PidFile.TryAcquire(options.PidFile, log);
        }
        catch (IOException e)
        {
            log.Error(e.Message);
            return ExitFatal;
        }
        using PidFile? pidFile = acquired;
        if (pidFile is null)
            return ExitOk;
        crash.PidFile = pidFile;

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

        crash.Daemon = daemon;
        daemon.ConfigSource = () => KeepalivedConfigLoader.Load(options.ConfigFile, ConfigTestCommand.LoadOptions(options));
        // systemd Type=notify: READY=1 once the instances run, WATCHDOG=1 from the loop; nothing without $NOTIFY_SOCKET.
        using SystemdNotifier systemd = SystemdNotifier.FromEnvironment();
        SystemdService.Attach(daemon, systemd, log);
        // What loading the configuration and building the instances allocated is garbage now: give it back.
        daemon.WhenStarted(() => MemoryTrim.AfterBurst(log, "startup"));
        daemon.Reloaded += _ => MemoryTrim.AfterBurst(log, "reload");
        // keepalived's signals (lib/signals.h, vrrp_daemon.c): each file goes where global_defs says, else to $TMPDIR or /tmp.
        string dataPath = DumpFiles.PathFor(DumpKind.Data, config.GlobalDefs);
        string statsPath = DumpFiles.PathFor(DumpKind.Stats, config.GlobalDefs);
        string jsonPath = DumpFiles.PathFor(DumpKind.Json, config.GlobalDefs);
        using (daemon)
        using (Runtime.Control.OperationsEndpoints.Start(daemon, config.GlobalDefs, options.ConfigFile, Version, log)) // control socket, metrics
        using (PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop))
        using (PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop))
        using (PosixSignalRegistration.Create(PosixSignal.SIGHUP, Reload))
        using (PosixSignalRegistration.Create((PosixSignal)SignalFunctions.Data, context => Dump(context, DumpKind.Data, dataPath)))
        using (PosixSignalRegistration.Create((PosixSignal)SignalFunctions.Stats, context => Dump(context, DumpKind.Stats, statsPath)))
        using (PosixSignalRegistration.Create((PosixSignal)SignalFunctions.Json, context => Dump(context, DumpKind.Json, jsonPath)))
        using (PosixSignalRegistration.Create((PosixSignal)SignalFunctions.StatsClear, ClearStatistics))
        {
            try
            {
                daemon.Run(releaseAddressesOnStop: !options.DontReleaseVrrp, fault);
            }
            catch (EventLoopFailedException)
            {
                // Logged, resigned and released by the loop; the pid file goes with the using above.
                log.Fatal($"Stopped after a failure - exiting with status {CrashHandler.ExitProgramError}");
                return CrashHandler.ExitProgramError;
            }
        }
        log.Info($"Stopped - used {started.Elapsed.TotalSeconds:0.000} s wall time");
        log.Info($"Stopped KeepSharp v{Version}");
        return ExitOk;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            log.Info("Stopping");
            systemd.Stopping();
            daemon.RequestStop();
        }

        void Dump(PosixSignalContext context, DumpKind kind, string path)
        {
            context.Cancel = true;
            daemon.Dump(kind, path);
        }

        void ClearStatistics(PosixSignalContext context)
        {
            context.Cancel = true;
            daemon.ClearStatistics();
        }

        void Reload(PosixSignalContext context)
        {
            context.Cancel = true;
            daemon.RequestReload();
        }
    }

    /// <summary>The sinks the options ask for; a log file that cannot be opened safely is left out and reported in <paramref name="errors"/>.</summary>
    private static List<ILogSink> LogSinks(DaemonOptions options, List<string> errors)
    {
        List<ILogSink> sinks = [];
        if (options.LogConsole)
            sinks.Add(new ConsoleLogSink());
        if (options.LogFile is { } file)
        {
            try
            {
                sinks.Add(FileLogSink.Open(file));
            }
            catch (IOException e)
            {
                errors.Add($"Not logging to file: {e.Message}");
            }
        }
        if (!options.NoSyslog)
            sinks.Add(new SyslogLogSink(options.LogFacility));
        return sinks;
    }
}
