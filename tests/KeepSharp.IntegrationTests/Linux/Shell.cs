using System.Diagnostics;

namespace KeepSharp.IntegrationTests.Linux;

/// <summary>Runs ip/sysctl/... and captures output.</summary>
internal static class Shell
{
    public static (int ExitCode, string Output, string Error) TryRun(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + file);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(file + " " + string.Join(' ', arguments) + " timed out");
        }

        return (process.ExitCode, output.Result, error.Result);
    }

    public static string Run(string file, params string[] arguments)
    {
        var (code, output, error) = TryRun(file, arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {code}: {error.Trim()}");
        }

        return output;
    }

    /// <summary><c>ip -n NS args...</c></summary>
    public static string Ip(string ns, params string[] arguments) => Run("ip", ["-n", ns, .. arguments]);
}
