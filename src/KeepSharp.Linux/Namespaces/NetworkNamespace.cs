using System.Runtime.InteropServices;

namespace KeepSharp.Linux;

/// <summary>
/// Network namespaces by name (<c>ip netns</c>'s /var/run/netns/NAME). A socket belongs to the namespace
/// its creating thread was in, so code that needs sockets elsewhere runs on a thread that entered it.
/// </summary>
public static partial class NetworkNamespace
{
    private const int CLONE_NEWNET = 0x40000000;

    /// <summary>Moves the calling thread into the named network namespace.</summary>
    public static void Enter(string name)
    {
        using var handle = File.OpenHandle($"/var/run/netns/{name}", FileMode.Open, FileAccess.Read);
        if (SetNs((int)handle.DangerousGetHandle(), CLONE_NEWNET) != 0)
            throw Errno.Exception($"setns({name})", Errno.Last);
    }

    /// <summary>Runs <paramref name="create"/> on a fresh thread inside <paramref name="name"/> and returns its result (e.g. a socket).</summary>
    public static T Create<T>(string name, Func<T> create)
    {
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter(name);
                result = create();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
            throw failure;
        return result!;
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nsType);
}
