using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using KeepSharp.Config;
using KeepSharp.IntegrationTests.Linux;
using KeepSharp.Tests.Config.Sweep;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Daemon;

/// <summary>
/// The boundary sweep, runtime half: every sweep case that <c>keepsharp -t</c> accepts is started with the real
/// daemon in a network namespace of its own, becomes master (when its timers allow it within the wait), and on
/// SIGTERM resigns: exit 0, no exception in its log, its virtual addresses gone. Features the daemon refuses by
/// design (unicast, IPv6 instances) must be refused at startup with a clear error (exit 2, keepalived 2.2.7's KEEPALIVED_EXIT_CONFIG) before touching the system.
/// </summary>
public sealed class BoundarySweepStartTests(ITestOutputHelper output)
{
    /// <summary>The interface the sweep's configurations name, created in each namespace (a veth pair).</summary>
    private const string Interface = "eth0";

    /// <summary>keepsharp's exit code for a configuration it refuses (Program.ExitConfig).</summary>
    private const int ExitConfigRefused = 2;

    private static readonly TimeSpan MasterWait = TimeSpan.FromSeconds(6);

    [Fact]
    [Trait("Tier", "Netns")]
    public void Every_configuration_keepsharp_t_accepts_starts_and_resigns_cleanly()
    {
        Assert.True(Environment.IsPrivilegedProcess, "the start sweep needs root (network namespaces)");
        string binary = KeepSharpProcess.BinaryPath;
        var accepted = BoundarySweepCases.All
            .Where(c => ConfigTest.GetExitCode(KeepalivedConfigLoader.Parse(c.Config(Interface), "sweep.conf")) == ConfigTest.ExitOk)
            .ToList();
        Assert.True(accepted.Count > 50, $"only {accepted.Count} sweep cases are accepted: the sweep's base configuration is broken");

        var failures = new ConcurrentBag<string>();
        var watch = Stopwatch.StartNew();
        Parallel.ForEach(accepted, new ParallelOptions { MaxDegreeOfParallelism = 8 }, sweepCase =>
        {
            try
            {
                string? failure = StartAndStop(binary, sweepCase);
                if (failure is not null)
                    failures.Add($"{sweepCase.Id}: {failure}");
            }
            catch (Exception e)
            {
                failures.Add($"{sweepCase.Id}: {e}");
            }
        });
        output.WriteLine($"{accepted.Count} accepted sweep cases started and stopped in {watch.Elapsed.TotalSeconds:0.0} s");
        Assert.True(failures.IsEmpty, $"{failures.Count} of {accepted.Count} accepted configurations did not run cleanly:\n\n"
            + string.Join("\n\n", failures.Order(StringComparer.Ordinal)));
    }

    /// <summary>Runs one case; null when it behaved, else what went wrong with the daemon's log.</summary>
    private static string? StartAndStop(string binary, SweepCase sweepCase)
    {
        using var netns = new NetnsFixture();
        string ns = netns.NewNamespace();
        Shell.Ip(ns, "link", "add", Interface, "type", "veth", "peer", "name", "peer0");
        Shell.Ip(ns, "link", "set", Interface, "up");
        Shell.Ip(ns, "link", "set", "peer0", "up");
        Shell.Ip(ns, "addr", "add", "192.168.251.10/24", "dev", Interface);

        string dir = Directory.CreateTempSubdirectory("keepsharp-sweep-").FullName;
        try
        {
            string text = sweepCase.Config(Interface);
            string config = Path.Combine(dir, "keepalived.conf");
            File.WriteAllText(config, text);
            var model = KeepalivedConfigLoader.Parse(text, config).Config!;

            var log = new StringBuilder();
            using var process = Start(binary, ns, config, Path.Combine(dir, "keepsharp.pid"), log);
            bool master = DaemonLab.WaitFor(() => Contains(log, "(VI_1) Entering MASTER STATE") || process.HasExited, MasterWait)
                && !process.HasExited;

            if (process.HasExited)
            {
                process.WaitForExit();
                string refused = $"exited by itself with {process.ExitCode}";
                if (process.ExitCode != ExitConfigRefused || !Contains(log, "Stopping: the configuration needs features this version does not have"))
                    return $"{refused}, expected a clean run or a refusal (exit {ExitConfigRefused}) of an unsupported feature\n{log}";
                return CheckClean(ns, log, refused);
            }

            if (!master && MustBecomeMaster(model))
            {
                Signal(process);
                process.WaitForExit(5000);
                return $"did not become master within {MasterWait.TotalSeconds} s\n{log}";
            }

            Signal(process);
            if (!process.WaitForExit(5000))
            {
                process.Kill();
                return $"did not exit within 5 s of SIGTERM\n{log}";
            }

            process.WaitForExit(); // drains the output handlers
            if (process.ExitCode != 0)
                return $"exit {process.ExitCode} after SIGTERM, expected 0\n{log}";
            if (master && !Contains(log, "(VI_1) sent 0 priority"))
                return $"the master did not resign (no priority 0 advert)\n{log}";
            return CheckClean(ns, log, "stopped");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Whether the case's VI_1 must reach MASTER within the wait: when its master-down interval (down_timer_adverts and the
    /// skew, RFC 3768 6.1) fits. The daemon starts every instance in BACKUP, an initial MASTER included, so a long
    /// advert_int (e.g. 255 s) only gets checked to start and stop cleanly.
    /// </summary>
    private static bool MustBecomeMaster(KeepalivedConfig model)
    {
        var vi1 = model.VrrpInstances.Single(i => i.Name == "VI_1");
        if (vi1.UnicastFaultNoPeer && vi1.UnicastPeers.Count == 0)
            return false; // keepalived's unicast_fault_no_peer: no peer, so FAULT, never MASTER
        TimeSpan masterDown = vi1.DownTimerAdverts * vi1.AdvertInterval + vi1.AdvertInterval * ((256 - vi1.Priority) / 256.0);
        return masterDown < MasterWait - TimeSpan.FromSeconds(1);
    }

    private static string? CheckClean(string ns, StringBuilder log, string what)
    {
        string text = Text(log);
        foreach (string marker in new[] { "Unhandled", "Exception", "   at " })
        {
            if (text.Contains(marker, StringComparison.Ordinal))
                return $"{what}; its log shows '{marker.Trim()}'\n{text}";
        }

        string addresses = Shell.Ip(ns, "-o", "addr", "show", "dev", Interface);
        foreach (string vip in new[] { BoundarySweepCases.VirtualAddress + "/", "192.168.251.2/", "192.168.252.1/", "fd00:251::1/" })
        {
            if (addresses.Contains(vip, StringComparison.Ordinal))
                return $"{what}; virtual address {vip.TrimEnd('/')} left on {Interface}:\n{addresses}\n{text}";
        }

        return null;
    }

    private static Process Start(string binary, string ns, string config, string pidFile, StringBuilder log)
    {
        // ip netns exec execs the daemon: the process's pid is the daemon's.
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "netns", "exec", ns, binary, "-n", "-l", "-D", "-f", config, "-p", pidFile })
            start.ArgumentList.Add(arg);
        var process = new Process { StartInfo = start };
        DataReceivedEventHandler append = (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (log)
                    log.AppendLine(e.Data);
            }
        };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Signal(Process process) => Shell.Run("kill", "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static bool Contains(StringBuilder log, string text) => Text(log).Contains(text, StringComparison.Ordinal);

    private static string Text(StringBuilder log)
    {
        lock (log)
            return log.ToString();
    }
}
