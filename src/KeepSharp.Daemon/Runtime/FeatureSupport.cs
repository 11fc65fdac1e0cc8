using System.Net.Sockets;
using KeepSharp.Config;

namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// What the configuration asks for that this version parses but does not do yet. Features whose absence
/// would change what goes on the wire in a way peers notice stop the daemon with a clear error (none today);
/// features that only add behaviour are warned about, once each.
/// </summary>
internal static class FeatureSupport
{
    public static IEnumerable<string> Errors(KeepalivedConfig config) => [];

    public static IEnumerable<string> Warnings(KeepalivedConfig config)
    {
        GlobalDefs global = config.GlobalDefs;
        foreach (VrrpInstance i in config.VrrpInstances)
        {
            foreach (VirtualIpAddress v in i.VirtualIpAddresses.Where(v => v.Address.AddressFamily != i.AddressFamily))
                yield return $"{v.Location.File}:{v.Location.Line}: ({i.Name}) {v.Address}: a virtual address of the other family than the instance's is ignored (use virtual_ipaddress_excluded)";
        }
    }

    private static string Where(VrrpInstance i) => $"{i.Location.File}:{i.Location.Line}";
}
