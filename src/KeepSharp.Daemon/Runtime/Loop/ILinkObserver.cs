using KeepSharp.Linux;

namespace KeepSharp.Daemon.Runtime.Loop;

/// <summary>Hears the link events the loop reads from rtnetlink (after the loop has handled its own interfaces).</summary>
internal interface ILinkObserver
{
    /// <summary>A link changed or was removed.</summary>
    void OnLinkEvent(in LinkEvent linkEvent);

    /// <summary>The kernel dropped notifications: re-read the state of every link of interest.</summary>
    void Resynchronize(RtNetlink netlink);
}
