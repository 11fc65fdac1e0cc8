using System.Collections.Concurrent;
using System.Net;
using KeepSharp.Linux;

namespace KeepSharp.IntegrationTests.Linux;

/// <summary>
/// Creates uniquely named network namespaces (kslx-XXXXXXXX) and deletes them on Dispose.
/// Every namespace is also tracked process-wide and removed at process exit as a last resort.
/// </summary>
internal sealed class NetnsFixture : IDisposable
{
    private static readonly ConcurrentDictionary<string, byte> Live = new();
    private readonly List<string> _namespaces = [];

    static NetnsFixture()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (string ns in Live.Keys)
            {
                Shell.TryRun("ip", "netns", "del", ns);
            }
        };
    }

    public string NewNamespace()
    {
        string name = "kslx-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 4));
        Live[name] = 0;
        _namespaces.Add(name);
        Shell.Run("ip", "netns", "add", name);
        Shell.Ip(name, "link", "set", "lo", "up");
        return name;
    }

    /// <summary>veth pair created directly inside the namespaces (names only need to be unique per namespace).</summary>
    public static void AddVeth(string nsA, string nameA, string nsB, string nameB)
    {
        Shell.Ip(nsA, "link", "add", nameA, "type", "veth", "peer", "name", nameB, "netns", nsB);
        Shell.Ip(nsA, "link", "set", nameA, "up");
        Shell.Ip(nsB, "link", "set", nameB, "up");
    }

    /// <summary>Two namespaces A (va 10.77.0.1/24) and B (vb 10.77.0.2/24) joined by a veth pair.</summary>
    public static NetnsFixture TwoHosts(out string a, out string b)
    {
        var fixture = new NetnsFixture();
        try
        {
            a = fixture.NewNamespace();
            b = fixture.NewNamespace();
            AddVeth(a, "va", b, "vb");
            Shell.Ip(a, "addr", "add", "10.77.0.1/24", "dev", "va");
            Shell.Ip(b, "addr", "add", "10.77.0.2/24", "dev", "vb");
            return fixture;
        }
        catch
        {
            fixture.Dispose();
            throw;
        }
    }

    public static int IfIndex(string ns, string name)
        => NetworkNamespace.Run(ns, () => RtNetlinkIndex(name));

    private static int RtNetlinkIndex(string name)
    {
        using RtNetlink rt = RtNetlink.Open();
        return rt.GetLink(name)?.InterfaceIndex ?? throw new InvalidOperationException("no interface " + name);
    }

    public static readonly IPAddress VrrpGroup = IPAddress.Parse("224.0.0.18");

    public void Dispose()
    {
        foreach (string ns in _namespaces)
        {
            Shell.TryRun("ip", "netns", "del", ns);
            Live.TryRemove(ns, out _);
        }

        _namespaces.Clear();
    }
}
