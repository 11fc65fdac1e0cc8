namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// The event loop stopped on a failure and has already dealt with it: the cause is logged with its
/// stack, masters resigned (priority 0) and every virtual address was removed.
/// </summary>
internal sealed class EventLoopFailedException(Exception cause)
    : Exception("the event loop stopped after a failure", cause);

/// <summary>Another thread failed and asked the loop to stop (see <see cref="CrashHandler"/>); the cause is logged there.</summary>
internal sealed class OtherThreadFailedException()
    : Exception("another thread of the daemon failed");
