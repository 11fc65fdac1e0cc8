namespace KeepSharp.Daemon.Runtime.Reload;

/// <summary>What a reload did: applied, or rejected with the running configuration untouched; the lines it logged.</summary>
/// <param name="Applied">True when the new configuration runs now.</param>
/// <param name="Messages">The reload's log lines: each error with its file:line, each instance kept, changed, removed or added.</param>
internal sealed record ReloadReport(bool Applied, IReadOnlyList<string> Messages);
