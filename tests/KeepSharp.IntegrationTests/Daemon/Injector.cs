using System.Diagnostics;
using System.Net;
using System.Text;
using KeepSharp.Lab;
using KeepSharp.Linux;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.IntegrationTests.Daemon;

/// <summary>
/// Crafting and sending VRRP packets from the client namespace at a running daemon, and reading its SIGUSR2
/// statistics: the shared part of the receive-rule, v3, lower-priority and allocation tests.
/// </summary>
internal static class Injector
{
    public const string StatsFile = "/tmp/keepalived.stats";

    public static readonly VrrpAddress Vip = VrrpAddress.Parse("10.51.0.161");
    public static readonly VrrpAddress Group4 = VrrpAddress.Parse("224.0.0.18");
    public static readonly VrrpAddress Group6 = VrrpAddress.Parse("ff02::12");
    public static readonly VrrpAddress Client = VrrpAddress.Parse("10.51.0.10");
    public static readonly VrrpAddress H171 = VrrpAddress.Parse("10.51.0.171");
    public static readonly VrrpAddress H172 = VrrpAddress.Parse("10.51.0.172");
    public static readonly VrrpAddress[] Vips6 = [VrrpAddress.Parse("fe80::51:1"), VrrpAddress.Parse("fd00:51::161")];

    /// <summary>One instance, VRID 51, advert_int 1, no authentication (v3) or PASS 1111 (v2).</summary>
    public static string Conf(string routerId, string state, int priority, int version, string extra = "",
        string virtualAddresses = "10.51.0.161", string globals = "") => $$"""
        global_defs {
           router_id {{routerId}}
           {{globals}}
        }
        vrrp_instance VI_1 {
            state {{state}}
            interface eth0
            virtual_router_id 51
            priority {{priority}}
            advert_int 1
            version {{version}}
            {{(version == 2 ? "authentication {\n        auth_type PASS\n        auth_pass 1111\n    }" : "")}}
            {{extra}}
            virtual_ipaddress {
                {{virtualAddresses}}
            }
        }
        """;

    public static string Pid(LabDaemon daemon) => File.ReadAllText(daemon.PidFile).Trim();

    /// <summary>keepalived's SIGUSR2: the daemon writes its statistics file.</summary>
    public static string DumpStatistics(LabHost host, string pid)
    {
        File.Delete(StatsFile);
        host.Exec("kill", "-USR2", pid);
        Assert.True(DaemonLab.WaitFor(() => File.Exists(StatsFile) && File.ReadAllText(StatsFile).Contains("VRRP Instance"), TimeSpan.FromSeconds(3)),
            "no statistics file after SIGUSR2");
        Thread.Sleep(20);
        return File.ReadAllText(StatsFile);
    }

    /// <summary>The count after "Reason: " in the statistics file, summed over the interfaces and the instances.</summary>
    public static long Counted(string stats, string reason) =>
        stats.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith(reason + ": ", StringComparison.Ordinal))
            .Sum(l => long.Parse(l[(reason.Length + 2)..]));

    public static long AllocatedBytes(LabHost host, string pid)
    {
        string line = DumpStatistics(host, pid).Split('\n').Single(l => l.Trim().StartsWith("Allocated bytes: ", StringComparison.Ordinal));
        Thread.Sleep(200); // the dump's own file write and log line finish before the next packets
        return long.Parse(line.Trim()["Allocated bytes: ".Length..]);
    }

    public static void AssertCounted(string stats, string reason, long sent, string what)
    {
        long counted = Counted(stats, reason);
        Assert.True(counted <= sent && counted >= sent * 95 / 100, $"{what}: {counted} of {sent} counted as {reason}\n{stats}");
    }

    /// <summary>A raw IPv4 VRRP socket in the client's namespace, joined to 224.0.0.18 (receives the masters' adverts).</summary>
    public static VrrpSocket OpenMulticast4(DaemonLab lab) => NetworkNamespace.Run(lab.Topology.ClientNs,
        () => VrrpSocket.OpenIPv4(LabTopology.Interface, VrrpWire.MulticastGroupIPv4));

    /// <summary>A raw IPv4 socket in the client's namespace sending to the destination in each datagram's header.</summary>
    public static VrrpSocket OpenUnicast4(DaemonLab lab) => NetworkNamespace.Run(lab.Topology.ClientNs,
        () => VrrpSocket.OpenIPv4Unicast(LabTopology.Interface));

    /// <summary>A raw IPv6 VRRP socket in the client's namespace, joined to ff02::12, sending from <paramref name="source"/>.</summary>
    public static VrrpSocket6 OpenMulticast6(DaemonLab lab, IPAddress source) => NetworkNamespace.Run(lab.Topology.ClientNs,
        () => VrrpSocket6.Open(LabTopology.Interface, source));

    /// <summary>A VRRPv2 IPv4 datagram (PASS 1111, VIP 10.51.0.161 unless given).</summary>
    public static byte[] V2(VrrpAddress source, VrrpAddress destination, byte priority, byte ttl = 255, byte vrid = 51,
        VrrpAddress[]? addresses = null)
    {
        addresses ??= [Vip];
        byte[] datagram = new byte[IPv4Header.MinimumLength + VrrpAdvertisementWriter.GetLength(2, addresses.Length)];
        int length = VrrpAdvertisementWriter.WriteVersion2(datagram.AsSpan(IPv4Header.MinimumLength), vrid, priority, 1,
            VrrpAuthenticationType.SimpleTextPassword, Encoding.ASCII.GetBytes("1111"), addresses);
        IPv4Header.Write(datagram, source, destination, VrrpWire.IpProtocol, ttl, VrrpWire.TypeOfService, 1, length);
        return datagram;
    }

    /// <summary>A VRRPv3 IPv4 datagram, checksum over source → destination (VIP 10.51.0.161 unless given).</summary>
    public static byte[] V3(VrrpAddress source, VrrpAddress destination, byte priority, byte ttl = 255, byte vrid = 51,
        ushort intervalCentiseconds = 100, VrrpAddress[]? addresses = null)
    {
        addresses ??= [Vip];
        byte[] datagram = new byte[IPv4Header.MinimumLength + VrrpAdvertisementWriter.GetLength(3, addresses.Length)];
        int length = VrrpAdvertisementWriter.WriteVersion3(datagram.AsSpan(IPv4Header.MinimumLength), vrid, priority,
            intervalCentiseconds, addresses, source, destination);
        IPv4Header.Write(datagram, source, destination, VrrpWire.IpProtocol, ttl, VrrpWire.TypeOfService, 1, length);
        return datagram;
    }

    public static byte[] Advert(int version, VrrpAddress source, VrrpAddress destination, byte priority, byte ttl = 255, byte vrid = 51) =>
        version == 2 ? V2(source, destination, priority, ttl, vrid) : V3(source, destination, priority, ttl, vrid);

    /// <summary>A VRRPv3 message for IPv6 (no header), checksum over source → destination.</summary>
    public static byte[] V3Message6(VrrpAddress source, VrrpAddress destination, byte priority, byte vrid = 51,
        ushort intervalCentiseconds = 100, VrrpAddress[]? addresses = null)
    {
        addresses ??= Vips6;
        byte[] message = new byte[VrrpAdvertisementWriter.GetLength(3, addresses.Length, ipv6: true)];
        VrrpAdvertisementWriter.WriteVersion3(message, vrid, priority, intervalCentiseconds, addresses, source, destination);
        return message;
    }

    /// <summary>Corrupts the VRRP checksum (last byte of the datagram or message).</summary>
    public static byte[] BadChecksum(byte[] packet)
    {
        byte[] copy = (byte[])packet.Clone();
        copy[^1] ^= 0x5A;
        return copy;
    }

    /// <summary>Sends <paramref name="count"/> copies, pausing 1 ms every 50 so the daemon's socket keeps up.</summary>
    public static void Flood(Func<bool> send, int count, string what)
    {
        for (int i = 0; i < count; i++)
        {
            Assert.True(send(), $"cannot send {what}");
            if (i % 50 == 49)
                Thread.Sleep(1);
        }
        Thread.Sleep(200); // let the daemon drain its socket
    }

    /// <summary>The client's IPv6 link-local address once it has passed DAD.</summary>
    public static IPAddress ClientLinkLocal(DaemonLab lab)
    {
        IPAddress? address = null;
        Assert.True(DaemonLab.WaitFor(() =>
        {
            var r = Sh.Try("ip", "-n", lab.Topology.ClientNs, "-o", "-6", "addr", "show", "dev", LabTopology.Interface, "scope", "link");
            if (r.ExitCode != 0 || r.StdOut.Contains("tentative", StringComparison.Ordinal) || !r.StdOut.Contains("inet6 fe80", StringComparison.Ordinal))
                return false;
            string text = r.StdOut[(r.StdOut.IndexOf("inet6 ", StringComparison.Ordinal) + 6)..];
            address = IPAddress.Parse(text[..text.IndexOf('/')]);
            return true;
        }, TimeSpan.FromSeconds(6)), "the client has no IPv6 link-local address");
        return address!;
    }

    public static bool Holds6(LabHost host, string address)
    {
        var r = Sh.Try("ip", "-n", host.Netns, "-o", "-6", "addr", "show", "dev", LabTopology.Interface);
        return r.ExitCode == 0 && r.StdOut.Contains($" {address}/", StringComparison.Ordinal);
    }

    public static string EnteredBackupAfterInit(string log) =>
        string.Join("\n", log.Split('\n').Where(l => l.Contains("Entering BACKUP STATE", StringComparison.Ordinal) && !l.Contains("(init)", StringComparison.Ordinal)));

    /// <summary>Starts a process in the client namespace (tcpdump), its output collected; returns once it listens.</summary>
    public static Process StartCapture(DaemonLab lab, double seconds, string filter, StringBuilder output)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])["netns", "exec", lab.Topology.ClientNs, "timeout", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "tcpdump", "-i", LabTopology.Interface, "-n", "-l", "-p", "-tt", filter])
            start.ArgumentList.Add(a);
        Process process = Process.Start(start)!;
        var listening = new ManualResetEventSlim();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data?.Contains("listening on", StringComparison.Ordinal) == true) listening.Set(); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Assert.True(listening.Wait(TimeSpan.FromSeconds(5)), "tcpdump did not start");
        Thread.Sleep(100);
        return process;
    }
}
