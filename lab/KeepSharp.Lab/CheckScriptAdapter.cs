using System.Text.RegularExpressions;

namespace KeepSharp.Lab;

/// <summary>
/// Puts an example's health-check scripts into a lab host: each `script "PATH"` of the config whose file name
/// is in the example folder is copied to the host's run folder and the config points at the copy. The copy
/// changes only what names the machine: the course notes' nginx binary becomes the host's nginx command line,
/// and `killall keepalived` names the daemon under test (keepsharp's binary is named keepsharp).
/// </summary>
public static partial class CheckScriptAdapter
{
    /// <summary>The nginx binary of the course notes (step 3-9).</summary>
    public const string SeedNginx = "/usr/local/nginx/sbin/nginx";

    /// <summary>The seed's script with the lab's nginx and daemon names; nothing else changes.</summary>
    public static string AdaptScript(string script, string nginxStartCommand, string daemonProcessName) =>
        KillallRe().Replace(script.Replace(SeedNginx, nginxStartCommand, StringComparison.Ordinal),
            m => m.Groups[1].Value + daemonProcessName);

    /// <summary>
    /// Copies the scripts the config names from <paramref name="exampleDir"/> into the host (adapted, mode 0755)
    /// and returns the config with their paths rewritten. Script lines naming a file that is not in the
    /// example folder (e.g. `/usr/bin/true`) are left alone.
    /// </summary>
    public static string InstallScripts(string config, string exampleDir, LabHost host, string daemonProcessName) =>
        ScriptRe().Replace(config, m =>
        {
            string path = m.Groups[2].Value;
            string source = Path.Combine(exampleDir, Path.GetFileName(path));
            if (!File.Exists(source)) return m.Value;
            string target = Path.Combine(host.RunDir, Path.GetFileName(path));
            File.WriteAllText(target, AdaptScript(File.ReadAllText(source), Nginx.StartCommand(host), daemonProcessName));
            Sh.Run("chmod", "0755", target);
            return m.Groups[1].Value + target + m.Groups[3].Value;
        });

    /// <summary>
    /// Adds `timeout N` after the `interval` line of every vrrp_script block that sets no timeout (the fix the
    /// seed needs: its script sleeps 3 s, longer than the default timeout = interval 2 s).
    /// </summary>
    public static string AddTimeout(string config, int seconds) =>
        VrrpScriptBlockRe().Replace(config, block =>
            TimeoutRe().IsMatch(block.Value)
                ? block.Value
                : IntervalLineRe().Replace(block.Value, line => $"{line.Value}\n{line.Groups[1].Value}timeout {seconds}", 1));

    /// <summary>The `interval` of the first vrrp_script block, in seconds (keepalived's default 1 when absent).</summary>
    public static double ScriptInterval(string config)
    {
        var block = VrrpScriptBlockRe().Match(config);
        var m = block.Success ? IntervalValueRe().Match(block.Value) : Match.Empty;
        return m.Success ? double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 1;
    }

    /// <summary>An integer keyword (fall, rise, weight) of the first vrrp_script block, or the fallback.</summary>
    public static int ScriptSetting(string config, string key, int fallback)
    {
        var block = VrrpScriptBlockRe().Match(config);
        var m = block.Success ? Regex.Match(block.Value, $@"(?m)^\s*{key}\s+(-?\d+)") : Match.Empty;
        return m.Success ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }

    [GeneratedRegex(@"(\bkillall\s+)keepalived\b")]
    private static partial Regex KillallRe();

    [GeneratedRegex(@"(?m)(^\s*script\s+"")([^""]+)("")")]
    private static partial Regex ScriptRe();

    [GeneratedRegex(@"vrrp_script\s+\S+\s*\{[^}]*\}")]
    private static partial Regex VrrpScriptBlockRe();

    [GeneratedRegex(@"(?m)^\s*timeout\s")]
    private static partial Regex TimeoutRe();

    [GeneratedRegex(@"(?m)^([ \t]*)interval\b[^\n]*")]
    private static partial Regex IntervalLineRe();

    [GeneratedRegex(@"(?m)^\s*interval\s+([0-9.]+)")]
    private static partial Regex IntervalValueRe();
}
