using System.Diagnostics;

namespace KeepSharp.Tests.Config;

/// <summary>
/// The installed keepalived 2.2.7 as an oracle: <c>keepalived -t -f FILE</c> (config test; writes nothing to the
/// system). Setup installs the Debian/Ubuntu package <c>keepalived</c>, so a missing binary is a broken environment
/// and fails the test that needs it, with the package to install.
/// </summary>
internal static class KeepalivedCli
{
    public const string Path = "/usr/sbin/keepalived";

    /// <summary>A real interface of this host (keepalived -t fails a configuration naming a missing one).</summary>
    public static string HostInterface
    {
        get
        {
            string? name = Directory.Exists("/sys/class/net")
                ? Directory.GetFileSystemEntries("/sys/class/net").Select(System.IO.Path.GetFileName)
                    .Where(n => n is not null && n != "lo" && File.Exists($"/sys/class/net/{n}/address"))
                    .Order(StringComparer.Ordinal).FirstOrDefault()
                : null;
            Assert.True(name is not null, "no network interface besides lo in /sys/class/net: keepalived -t needs a real one");
            return name!;
        }
    }

    public static void AssertInstalled() =>
        Assert.True(OperatingSystem.IsLinux() && File.Exists(Path),
            $"{Path} is missing: install the 'keepalived' package (apt-get install keepalived, version 2.2.7) - the differential tests compare against it");

    /// <summary>Runs <c>keepalived -t -l -D -f FILE</c>; its exit code and what it logged.</summary>
    public static (int ExitCode, string Output) ConfigTest(string file)
    {
        AssertInstalled();
        var psi = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "-t", "-l", "-D", "-f", file })
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            throw new TimeoutException("keepalived -t did not finish for " + file);
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
