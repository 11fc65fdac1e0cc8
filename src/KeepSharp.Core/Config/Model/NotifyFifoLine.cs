namespace KeepSharp.Config;

/// <summary>
/// <c>notify_fifo PATH [user [group]]</c> or <c>vrrp_notify_fifo ...</c> (keepalived's <c>global_parser.c notify_fifo()</c>).
/// The user and group own the FIFO when it is created.
/// </summary>
public sealed record NotifyFifoLine(string Path, string? User, string? Group, ConfigLocation Location);
