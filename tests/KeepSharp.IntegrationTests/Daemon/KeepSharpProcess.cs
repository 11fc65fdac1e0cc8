using System.Diagnostics;
using KeepSharp.Lab;

namespace KeepSharp.IntegrationTests.Daemon;

/// <summary>Runs the published native binary (artifacts/bin/keepsharp) to completion.</summary>
internal static class KeepSharpProcess
{
    public static string BinaryPath
    {
        get
        {
            string path = RepoRoot.KeepSharpBinary(RepoRoot.Find());
            Assert.True(File.Exists(path), $"{path} is missing: run ./build.sh");
            return path;
        }
    }

    public static (int ExitCode, string StdOut, string StdErr) Run(params string[] args)
    {
        var start = new ProcessStartInfo(BinaryPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "keepsharp did not exit within 30 s");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
