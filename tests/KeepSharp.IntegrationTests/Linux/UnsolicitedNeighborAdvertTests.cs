using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using KeepSharp.Linux;

namespace KeepSharp.IntegrationTests.Linux;

public sealed class UnsolicitedNeighborAdvertTests
{
    private static readonly IPAddress Vip = IPAddress.Parse("2001:db8:77::100");
    private static readonly IPAddress AllNodes = IPAddress.Parse("ff02::1");
    private static readonly byte[] VirtualMac = [0x00, 0x00, 0x5E, 0x00, 0x02, 0x33];

    private static string MacText(ReadOnlySpan<byte> mac) => string.Join(':', mac.ToArray().Select(x => x.ToString("x2")));

    /// <summary>Receives until a Neighbour Advertisement for <paramref name="target"/> from <paramref name="sourceMac"/> arrives.</summary>
    private static byte[] CaptureNa(Socket capture, ReadOnlySpan<byte> sourceMac, IPAddress target)
    {
        byte[] targetBytes = target.GetAddressBytes();
        var frame = new byte[1600];
        while (true)
        {
            int n = capture.Receive(frame); // throws on timeout
            Span<byte> f = frame.AsSpan(0, n);
            if (n >= 86 && f.Slice(6, 6).SequenceEqual(sourceMac) && f[12] == 0x86 && f[13] == 0xDD
                && f[20] == 58 && f[54] == 136 && f.Slice(62, 16).SequenceEqual(targetBytes))
            {
                return f.ToArray();
            }
        }
    }

    /// <summary>Writes the frame as a one-packet pcap (Ethernet link type) and returns <c>tshark -V</c>'s decode.</summary>
    private static string Tshark(byte[] frame)
    {
        string path = Path.Combine(Path.GetTempPath(), "ks-na-" + Guid.NewGuid().ToString("N") + ".pcap");
        try
        {
            var pcap = new byte[24 + 16 + frame.Length];
            BinaryPrimitives.WriteUInt32LittleEndian(pcap, 0xA1B2C3D4);
            BinaryPrimitives.WriteUInt16LittleEndian(pcap.AsSpan(4), 2);
            BinaryPrimitives.WriteUInt16LittleEndian(pcap.AsSpan(6), 4);
            BinaryPrimitives.WriteUInt32LittleEndian(pcap.AsSpan(16), 65535);
            BinaryPrimitives.WriteUInt32LittleEndian(pcap.AsSpan(20), 1);          // LINKTYPE_ETHERNET
            BinaryPrimitives.WriteUInt32LittleEndian(pcap.AsSpan(24 + 8), (uint)frame.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(pcap.AsSpan(24 + 12), (uint)frame.Length);
            frame.CopyTo(pcap, 40);
            File.WriteAllBytes(path, pcap);
            return Shell.Run("tshark", "-r", path, "-V");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void AssertDecodes(string decoded, string mac, bool router)
    {
        Assert.Contains("Internet Protocol Version 6", decoded);
        Assert.Contains("Hop Limit: 255", decoded);
        Assert.Contains("Source Address: 2001:db8:77::100", decoded);          // keepalived: source = the VIP
        Assert.Contains("Destination Address: ff02::1", decoded);
        Assert.Contains("Type: Neighbor Advertisement (136)", decoded);
        Assert.Contains("[Checksum Status: Good]", decoded);
        Assert.Contains("Override: Set", decoded);
        Assert.Contains("Solicited: Not set", decoded);
        Assert.Contains(router ? "Router: Set" : "Router: Not set", decoded);
        Assert.Contains("Target Address: 2001:db8:77::100", decoded);
        Assert.Contains("Target link-layer address", decoded);
        Assert.Contains(mac, decoded);
    }

    [Fact]
    public void NeighborAdvert_FrameDecodesAsKeepalivedNa_AndPeerNeighbourEntryIsOverridden()
    {
        using NetnsFixture net = VrrpSocket6Tests.TwoHostsV6(out string a, out string b, out _, out _);
        LinkInfo linkA = NetworkNamespace.Run(a, () =>
        {
            using RtNetlink rt = RtNetlink.Open();
            return rt.GetLink("va")!;
        });
        string macA = MacText(linkA.MacAddress);

        // B has a stale entry for the VIP with some other MAC: the NA's Override flag must replace it.
        Shell.Ip(b, "-6", "neigh", "add", "2001:db8:77::100", "lladdr", "02:00:00:00:00:99", "dev", "vb", "nud", "stale");
        Assert.Contains("lladdr 02:00:00:00:00:99", Shell.Ip(b, "-6", "neigh", "show", "2001:db8:77::100", "dev", "vb"));

        using Socket capture = NetworkNamespace.Run(b, () =>
            new Socket(AddressFamily.Packet, SocketType.Raw, (ProtocolType)IPAddress.HostToNetworkOrder(unchecked((short)0x86DD))));
        capture.ReceiveTimeout = 5000;

        using UnsolicitedNeighborAdvertSender na = NetworkNamespace.Run(a, () => UnsolicitedNeighborAdvertSender.Open(linkA.InterfaceIndex, linkA.MacAddress));
        Assert.False(na.Router);
        Assert.True(na.Send(Vip), "send failed: " + na.LastError);

        byte[] frame = CaptureNa(capture, linkA.MacAddress, Vip);
        Assert.Equal(86, frame.Length);
        Assert.Equal(new byte[] { 0x33, 0x33, 0, 0, 0, 1 }, frame[..6]);
        Assert.Equal(0, VrrpSocket6Tests.PseudoHeaderChecksum(Vip, AllNodes, 58, frame.AsSpan(54)));
        AssertDecodes(Tshark(frame), macA, router: false);

        RtNetlinkTests.WaitFor(
            () => Shell.Ip(b, "-6", "neigh", "show", "2001:db8:77::100", "dev", "vb"),
            s => s.Contains("lladdr " + macA, StringComparison.Ordinal));
        Assert.Contains("lladdr " + macA, Shell.Ip(b, "-6", "neigh", "show", "2001:db8:77::100", "dev", "vb"));

        // The virtual MAC (use_vmac): Ethernet source and advertised address are the given MAC; Router flag on.
        using UnsolicitedNeighborAdvertSender vmac = NetworkNamespace.Run(a, () => UnsolicitedNeighborAdvertSender.Open(linkA.InterfaceIndex, VirtualMac, router: true));
        Assert.True(vmac.Router);
        Assert.True(vmac.Send(Vip.GetAddressBytes()));
        frame = CaptureNa(capture, VirtualMac, Vip);
        AssertDecodes(Tshark(frame), MacText(VirtualMac), router: true);
        string entry = RtNetlinkTests.WaitFor(
            () => Shell.Ip(b, "-6", "neigh", "show", "2001:db8:77::100", "dev", "vb"),
            s => s.Contains("lladdr " + MacText(VirtualMac), StringComparison.Ordinal));
        Assert.Contains("lladdr " + MacText(VirtualMac), entry);
        Assert.Contains("router", entry);

        // Router flag toggles on the pre-built frame; the checksum follows.
        vmac.Router = false;
        Assert.True(vmac.Send(Vip));
        frame = CaptureNa(capture, VirtualMac, Vip);
        AssertDecodes(Tshark(frame), MacText(VirtualMac), router: false);
    }

    [Fact]
    public void NeighborAdvert_ForwardingSysctl_DecidesRouterFlag_AndDownInterfaceFails()
    {
        using NetnsFixture net = VrrpSocket6Tests.TwoHostsV6(out string a, out _, out _, out _);
        Assert.False(NetworkNamespace.Run(a, () => UnsolicitedNeighborAdvertSender.IsForwardingEnabled("va")));
        Shell.Run("ip", "netns", "exec", a, "sysctl", "-qw", "net.ipv6.conf.va.forwarding=1");
        Assert.True(NetworkNamespace.Run(a, () => UnsolicitedNeighborAdvertSender.IsForwardingEnabled("va")));
        Assert.False(NetworkNamespace.Run(a, () => UnsolicitedNeighborAdvertSender.IsForwardingEnabled("nope0")));

        int ifIndex = NetnsFixture.IfIndex(a, "va");
        using UnsolicitedNeighborAdvertSender na = NetworkNamespace.Run(a, () => UnsolicitedNeighborAdvertSender.Open(ifIndex, VirtualMac));
        Shell.Ip(a, "link", "set", "va", "down");
        Assert.False(na.Send(Vip));
        Assert.NotEqual(SocketError.Success, na.LastError);
        Assert.Throws<ArgumentException>(() => na.Send(IPAddress.Parse("10.0.0.1")));
    }

    [Fact]
    public void SendMany_MoreThanOneSendmmsg_EveryTargetOnceInOrder_ValidChecksum_RouterFlagFollows()
    {
        using NetnsFixture net = VrrpSocket6Tests.TwoHostsV6(out string a, out string b, out _, out _);
        LinkInfo linkA = NetworkNamespace.Run(a, () =>
        {
            using RtNetlink rt = RtNetlink.Open();
            return rt.GetLink("va")!;
        });
        using Socket capture = NetworkNamespace.Run(b, () =>
            new Socket(AddressFamily.Packet, SocketType.Raw, (ProtocolType)IPAddress.HostToNetworkOrder(unchecked((short)0x86DD))));
        capture.ReceiveTimeout = 5000;
        using UnsolicitedNeighborAdvertSender na = NetworkNamespace.Run(a, () => UnsolicitedNeighborAdvertSender.Open(linkA.InterfaceIndex, VirtualMac));

        int count = UnsolicitedNeighborAdvertSender.BatchFrames + 3;
        IPAddress[] targets = [.. Enumerable.Range(0, count).Select(i => IPAddress.Parse($"2001:db8:79::{i + 1:x}"))];
        byte[] packed = [.. targets.SelectMany(t => t.GetAddressBytes())];
        foreach (bool router in new[] { false, true })
        {
            na.Router = router; // after the batch was built (second round): the flag must follow
            Assert.Equal(count, na.SendMany(packed));
            foreach (IPAddress target in targets)
            {
                byte[] frame = CaptureNa(capture, VirtualMac, target);
                Assert.Equal(86, frame.Length);
                Assert.True(frame.AsSpan(22, 16).SequenceEqual(target.GetAddressBytes()));           // source = the target
                Assert.Equal(0, VrrpSocket6Tests.PseudoHeaderChecksum(target, AllNodes, 58, frame.AsSpan(54)));
                Assert.Equal(router, (frame[58] & 0x80) != 0);
            }
        }
    }
}
