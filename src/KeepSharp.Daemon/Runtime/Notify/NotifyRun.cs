namespace KeepSharp.Daemon.Runtime.Notify;

/// <summary>One script to run for one notification: the script, the words appended to it, and its time limit.</summary>
internal readonly record struct NotifyRun(NotifyScript Script, IReadOnlyList<string> ExtraArguments, TimeSpan Timeout);
