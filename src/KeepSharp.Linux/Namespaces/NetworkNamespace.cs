using System.Runtime.ExceptionServices;
using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux;

/// <summary>
/// Runs code inside a named network namespace (<c>/var/run/netns/NAME</c>, as created by <c>ip netns add</c>)
/// on a dedicated thread. Sockets created there stay in that namespace and can be used from any thread.
/// </summary>
public static class NetworkNamespace
{
    public static string PathOf(string name) => "/var/run/netns/" + name;

    public static T Run<T>(string name, Func<T> action)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(action);
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                int fd = Libc.Open(PathOf(name), Libc.O_RDONLY | Libc.O_CLOEXEC);
                LinuxNetworkException.ThrowIfFailed(fd, "open(" + PathOf(name) + ")");
                using (var handle = new FileDescriptorHandle(fd))
                {
                    LinuxNetworkException.ThrowIfFailed(Libc.SetNs(handle, Libc.CLONE_NEWNET), "setns(CLONE_NEWNET)");
                }

                result = action();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true,
            Name = "netns " + name,
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    public static void Run(string name, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Run(name, () =>
        {
            action();
            return true;
        });
    }
}
