using System.Globalization;
using KeepSharp.Config;

namespace KeepSharp.Daemon.Runtime.Scripts;

/// <summary>
/// The seed's trap, named (issue 7 part 5): a <c>vrrp_script</c> without <c>timeout</c> is killed when its
/// interval runs out, which looks like the script failing. The first time that happens, the log says so and
/// gives the line to add.
/// </summary>
internal static class ScriptTimeoutAdvice
{
    /// <summary>
    /// The suggested timeout: a killed run did not finish, so how long it needs is unknown; suggest twice the
    /// interval, and at least a second more than the run was given.
    /// </summary>
    public static int SuggestedTimeoutSeconds(VrrpScript script, TimeSpan elapsed)
    {
        double interval = script.Interval.TotalSeconds;
        return (int)Math.Max(Math.Ceiling(interval * 2), Math.Ceiling(Math.Max(interval, elapsed.TotalSeconds)) + 1);
    }

    /// <summary>
    /// e.g. "(chk) script /etc/keepalived/check.sh was killed after 2.0 s: its timeout defaulted to its interval (2 s)
    /// because vrrp_script chk sets none; if runs need longer, add 'timeout 4' to it (/etc/keepalived/keepalived.conf:12)".
    /// </summary>
    public static string Format(VrrpScript script, TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture,
        $"({script.Name}) script {script.Script} was killed after {elapsed.TotalSeconds:0.0} s: its timeout defaulted to its interval ({Seconds(script.Interval)} s) because vrrp_script {script.Name} sets none; if runs need longer, add 'timeout {SuggestedTimeoutSeconds(script, elapsed)}' to it ({script.Location.File}:{script.Location.Line})");

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
