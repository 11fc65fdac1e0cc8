using System.Diagnostics;

namespace KeepSharp.Lab;

public sealed record ShResult(int ExitCode, string StdOut, string StdErr);

/// <summary>Runs short commands to completion (ip, nsenter, ss ...).</summary>
public static class Sh
{
    public static ShResult Run(params string[] argv) => Run(argv, check: true);

    public static ShResult Try(params string[] argv) => Run(argv, check: false);

    public static ShResult Run(IReadOnlyList<string> argv, bool check, int timeoutMs = 15000)
    {
        var psi = new ProcessStartInfo(argv[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        for (int i = 1; i < argv.Count; i++) psi.ArgumentList.Add(argv[i]);
        using var p = Process.Start(psi) ?? throw new LabException($"cannot start {argv[0]}");
        p.StandardInput.Close();
        var outTask = p.StandardOutput.ReadToEndAsync();
        var errTask = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutMs))
        {
            try { p.Kill(true); } catch (InvalidOperationException) { }
            throw new LabException($"timeout after {timeoutMs} ms: {string.Join(' ', argv)}");
        }
        var r = new ShResult(p.ExitCode, outTask.Result, errTask.Result);
        if (check && r.ExitCode != 0)
            throw new LabException($"'{string.Join(' ', argv)}' failed ({r.ExitCode}): {r.StdErr.Trim()}");
        return r;
    }
}
