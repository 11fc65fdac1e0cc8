using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using KeepSharp.Linux;
using KeepSharp.Linux.Interop;

namespace KeepSharp.IntegrationTests.Linux;

public sealed class VrrpSocket6Tests
{
    internal static readonly IPAddress Group = IPAddress.Parse("ff02::12");
    private static readonly IPAddress Vip = IPAddress.Parse("2001:db8:77::100");

    /// <summary>
    /// Two namespaces A (va) and B (vb) on a veth pair with DAD disabled, so the link-locals are usable at once.
    /// Returns the fixture (disposing it deletes both namespaces) and the two link-local addresses.
    /// </summary>
    internal static NetnsFixture TwoHostsV6(out string a, out string b, out IPAddress linkLocalA, out IPAddress linkLocalB)
    {
        var net = new NetnsFixture();
        try
        {
            a = net.NewNamespace();
            b = net.NewNamespace();
            foreach (string ns in new[] { a, b })
            {
                Shell.Run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
            }

            NetnsFixture.AddVeth(a, "va", b, "vb");
            linkLocalA = WaitForLinkLocal(a, "va");
            linkLocalB = WaitForLinkLocal(b, "vb");
            return net;
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    internal static IPAddress WaitForLinkLocal(string ns, string ifName)
    {
        IPAddress? address = RtNetlinkTests.WaitFor(
            () => NetworkNamespace.Run(ns, () => InterfaceAddresses.GetLinkLocal(ifName)),
            x => x is not null);
        return address ?? throw new InvalidOperationException("no link-local on " + ifName + " in " + ns);
    }

    /// <summary>VRRPv3 advertisement for one IPv6 VIP, checksum over the IPv6 pseudo-header (RFC 9568 §5.2.8).</summary>
    internal static byte[] BuildAdvert(IPAddress source, IPAddress destination, byte vrid = 51)
    {
        var vrrp = new byte[8 + 16];
        vrrp[0] = 0x31;   // version 3, advertisement
        vrrp[1] = vrid;
        vrrp[2] = 100;
        vrrp[3] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(vrrp.AsSpan(4), 100); // max advert interval 1 s in centiseconds
        Vip.TryWriteBytes(vrrp.AsSpan(8), out _);
        BinaryPrimitives.WriteUInt16BigEndian(vrrp.AsSpan(6), PseudoHeaderChecksum(source, destination, 112, vrrp));
        return vrrp;
    }

    internal static ushort PseudoHeaderChecksum(IPAddress source, IPAddress destination, byte nextHeader, ReadOnlySpan<byte> data)
    {
        var buffer = new byte[40 + data.Length];
        source.TryWriteBytes(buffer, out _);
        destination.TryWriteBytes(buffer.AsSpan(16), out _);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(32), (uint)data.Length);
        buffer[39] = nextHeader;
        data.CopyTo(buffer.AsSpan(40));
        return VrrpSocketTests.Checksum(buffer);
    }

    internal static byte[] Bytes(IPAddress address)
    {
        var b = new byte[16];
        address.TryWriteBytes(b, out _);
        return b;
    }

    internal static int ReceiveWithin(VrrpSocket6 socket, Span<byte> buffer, out ReceivedPacketInfo info, TimeSpan timeout)
    {
        using var poller = new Poller();
        int slot = poller.Register(socket.FileDescriptor);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            poller.Wait(deadline - DateTime.UtcNow);
            if (poller.IsReadable(slot))
            {
                int n = socket.Receive(buffer, out info);
                if (n != 0)
                {
                    return n;
                }
            }
        }

        return socket.Receive(buffer, out info);
    }

    [Fact]
    public void VrrpSocket6_Multicast_ArrivesWithLinkLocalSource_Group_HopLimit255_AndIfIndex()
    {
        using NetnsFixture net = TwoHostsV6(out string a, out string b, out IPAddress llA, out IPAddress llB);
        Assert.True(llA.IsIPv6LinkLocal);
        Assert.NotEqual(llA, llB);
        using VrrpSocket6 sender = NetworkNamespace.Run(a, () => VrrpSocket6.Open("va", llA));
        using VrrpSocket6 listenerA = NetworkNamespace.Run(a, () => VrrpSocket6.Open("va", llA));
        using VrrpSocket6 receiver = NetworkNamespace.Run(b, () => VrrpSocket6.Open("vb", llB));
        int ifIndexB = NetnsFixture.IfIndex(b, "vb");
        Assert.Equal(NetnsFixture.IfIndex(a, "va"), sender.InterfaceIndex);
        Assert.Equal(ifIndexB, receiver.InterfaceIndex);
        Assert.Equal(Group, sender.MulticastGroup);
        Assert.True(sender.IsJoined);
        Assert.Equal(llA.GetAddressBytes(), sender.SourceAddress.GetAddressBytes());

        byte[] advert = BuildAdvert(llA, Group);
        Assert.True(sender.Send(advert), "send failed: " + Errno.Describe(sender.LastSendError));

        var buffer = new byte[1500];
        int n = ReceiveWithin(receiver, buffer, out ReceivedPacketInfo info, TimeSpan.FromSeconds(5));
        Assert.Equal(advert.Length, n);
        Assert.True(buffer.AsSpan(0, n).SequenceEqual(advert));                     // payload untouched by the kernel
        Assert.True(info.IsIPv6);
        Assert.False(info.Truncated);
        Assert.Equal(llA.GetAddressBytes(), info.GetSourceAddress().GetAddressBytes());
        Assert.Equal(ReceivedPacketInfo.ToValue(llA), info.Source);
        Assert.Equal(Group.GetAddressBytes(), info.GetDestinationAddress().GetAddressBytes());
        Assert.True(info.IsMulticastDestination);
        Assert.Equal(255, info.HopLimit);
        Assert.Equal(ifIndexB, info.InterfaceIndex);
        Assert.Equal(0, PseudoHeaderChecksum(info.GetSourceAddress(), info.GetDestinationAddress(), 112, buffer.AsSpan(0, n)));
        Span<byte> src = stackalloc byte[16];
        Assert.Equal(16, info.WriteSource(src));
        Assert.True(src.SequenceEqual(llA.GetAddressBytes()));

        // IPV6_MULTICAST_LOOP 0: nothing comes back in A; exactly one datagram in B.
        Assert.Equal(0, ReceiveWithin(listenerA, buffer, out _, TimeSpan.FromMilliseconds(300)));
        Assert.Equal(0, sender.Receive(buffer, out _));
        Assert.Equal(0, receiver.Receive(buffer, out _));

        // Truncation is reported and the copy is clamped to the buffer.
        Assert.True(sender.Send(advert));
        n = ReceiveWithin(receiver, buffer.AsSpan(0, 10), out info, TimeSpan.FromSeconds(5));
        Assert.Equal(10, n);
        Assert.True(info.Truncated);

        sender.LeaveGroup();
        sender.LeaveGroup(); // idempotent
        Assert.False(sender.IsJoined);
    }

    [Fact]
    public void VrrpSocket6_UnicastToPeerLinkLocal_ArrivesWithUnicastDestination_AndHopLimitOverride()
    {
        using NetnsFixture net = TwoHostsV6(out string a, out string b, out IPAddress llA, out IPAddress llB);
        using VrrpSocket6 sender = NetworkNamespace.Run(a, () => VrrpSocket6.OpenUnicast("va", llA));
        using VrrpSocket6 receiver = NetworkNamespace.Run(b, () => VrrpSocket6.OpenUnicast("vb", llB));
        // A second link in B whose socket must not see unicast arriving on vb (SO_BINDTODEVICE).
        string c = net.NewNamespace();
        NetnsFixture.AddVeth(b, "vb2", c, "vc");
        using VrrpSocket6 otherInterface = NetworkNamespace.Run(b, () => VrrpSocket6.OpenUnicast("vb2"));
        Assert.Null(sender.MulticastGroup);
        Assert.False(sender.IsJoined);
        int ifIndexB = NetnsFixture.IfIndex(b, "vb");

        byte[] advert = BuildAdvert(llA, llB);
        byte[] peer = Bytes(llB);
        Assert.True(sender.Send(advert, peer), "send failed: " + Errno.Describe(sender.LastSendError));
        var buffer = new byte[1500];
        int n = ReceiveWithin(receiver, buffer, out ReceivedPacketInfo info, TimeSpan.FromSeconds(5));
        Assert.Equal(advert.Length, n);
        Assert.True(buffer.AsSpan(0, n).SequenceEqual(advert));
        Assert.Equal(llA.GetAddressBytes(), info.GetSourceAddress().GetAddressBytes());
        Assert.Equal(llB.GetAddressBytes(), info.GetDestinationAddress().GetAddressBytes());
        Assert.False(info.IsMulticastDestination);
        Assert.Equal(255, info.HopLimit);                 // IPV6_UNICAST_HOPS 255
        Assert.Equal(ifIndexB, info.InterfaceIndex);
        Assert.Equal(0, PseudoHeaderChecksum(llA, llB, 112, buffer.AsSpan(0, n)));
        Assert.Equal(0, otherInterface.Receive(buffer, out _));

        // unicast_ttl: an explicit hop limit travels in an IPV6_HOPLIMIT control message.
        Assert.True(sender.Send(advert, peer, hopLimit: 7));
        n = ReceiveWithin(receiver, buffer, out info, TimeSpan.FromSeconds(5));
        Assert.Equal(advert.Length, n);
        Assert.Equal(7, info.HopLimit);

        // A unicast-mode socket has no default destination.
        Assert.False(sender.Send(advert));
        Assert.Equal(Errno.EINVAL, sender.LastSendError);

        // The unicast socket does not receive the group (it joined nothing; IPV6_MULTICAST_ALL 0).
        using VrrpSocket6 groupSender = NetworkNamespace.Run(a, () => VrrpSocket6.Open("va", llA));
        Assert.True(groupSender.Send(BuildAdvert(llA, Group)));
        Assert.Equal(0, ReceiveWithin(receiver, buffer, out _, TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public void VrrpSocket6_LowHopLimitFromPlainSocket_IsReportedAsSuch()
    {
        using NetnsFixture net = TwoHostsV6(out string a, out string b, out IPAddress llA, out IPAddress llB);
        using VrrpSocket6 receiver = NetworkNamespace.Run(b, () => VrrpSocket6.Open("vb", llB));
        int ifIndexA = NetnsFixture.IfIndex(a, "va");
        byte[] advert = BuildAdvert(llA, Group);

        // A plain raw socket (System.Net.Sockets refuses protocol 112, so libc) with IPV6_MULTICAST_HOPS 1.
        using FileDescriptorHandle plain = NetworkNamespace.Run(a, () =>
            new FileDescriptorHandle(Libc.Socket(Libc.AF_INET6, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.IPPROTO_VRRP)));
        Assert.False(plain.IsInvalid);
        Assert.Equal(0, Libc.SetSockOptInt(plain, Libc.IPPROTO_IPV6, Libc.IPV6_MULTICAST_HOPS, 1));
        Assert.Equal(0, Libc.SetSockOptInt(plain, Libc.IPPROTO_IPV6, Libc.IPV6_MULTICAST_IF, ifIndexA));
        SendTo(plain, advert, Group, ifIndexA);

        var buffer = new byte[1500];
        int n = ReceiveWithin(receiver, buffer, out ReceivedPacketInfo info, TimeSpan.FromSeconds(5));
        Assert.Equal(advert.Length, n);
        Assert.Equal(1, info.HopLimit);   // the core must drop it (RFC 9568 §7.1: hop limit must be 255)
        Assert.Equal(llA.GetAddressBytes(), info.GetSourceAddress().GetAddressBytes());
        Assert.True(info.IsMulticastDestination);
    }

    private static unsafe void SendTo(FileDescriptorHandle fd, byte[] payload, IPAddress destination, int scopeId)
    {
        var to = new Libc.SockAddrIn6 { Family = Libc.AF_INET6, ScopeId = (uint)scopeId };
        destination.TryWriteBytes(new Span<byte>(&to.Address, 16), out _);
        fixed (byte* p = payload)
        {
            Assert.Equal(payload.Length, (int)Libc.SendTo(fd, p, (nuint)payload.Length, 0, &to, (uint)sizeof(Libc.SockAddrIn6)));
        }
    }

    [Fact]
    public void VrrpSocket6_LinkLocalLookup_SkipsTentativeAddresses()
    {
        using var net = new NetnsFixture();
        string a = net.NewNamespace();
        string b = net.NewNamespace();
        Shell.Ip(a, "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", b);
        // On a down link a DAD-enabled address stays tentative (IFA_F_TENTATIVE) until the link comes up.
        Shell.Ip(a, "-6", "addr", "add", "fe80::99/64", "dev", "va");
        Assert.Null(NetworkNamespace.Run(a, () => InterfaceAddresses.GetLinkLocal("va")));
        Inet6InterfaceAddress tentative = NetworkNamespace.Run(a, () => InterfaceAddresses.GetIPv6Addresses()).Single(x => x.InterfaceName == "va");
        Assert.True(tentative.IsTentative);
        Assert.True(tentative.IsLinkLocal);
        Assert.Equal(64, tentative.PrefixLength);

        Shell.Ip(a, "-6", "addr", "add", "fe80::98/64", "dev", "va", "nodad");
        IPAddress? usable = NetworkNamespace.Run(a, () => InterfaceAddresses.GetLinkLocal("va"));
        Assert.Equal(IPAddress.Parse("fe80::98").GetAddressBytes(), usable!.GetAddressBytes());
        Assert.Equal(NetnsFixture.IfIndex(a, "va"), usable.ScopeId);
        Assert.Null(NetworkNamespace.Run(a, () => InterfaceAddresses.GetLinkLocal("nope0")));
        Assert.Null(NetworkNamespace.Run(b, () => InterfaceAddresses.GetLinkLocal("va"))); // per namespace

        List<Inet6InterfaceAddress> parsed = InterfaceAddresses.Parse(
            "fe800000000000000000000000000099 03 40 20 c0       va\n" +
            "20010db8000000000000000000000005 03 40 00 82       va\n" +
            "garbage\n");
        Assert.Equal(2, parsed.Count);
        Assert.True(parsed[0].IsTentative);
        Assert.False(parsed[1].IsTentative);
        Assert.False(parsed[1].IsLinkLocal);
        Assert.Equal(0x82, parsed[1].Flags);
    }

    [Fact]
    public void VrrpSocket6_Send_OnDownInterface_ReturnsFalseWithErrno()
    {
        using NetnsFixture net = TwoHostsV6(out string a, out _, out IPAddress llA, out _);
        using VrrpSocket6 sender = NetworkNamespace.Run(a, () => VrrpSocket6.Open("va", llA));
        Assert.True(sender.Send(BuildAdvert(llA, Group)));
        Assert.Equal(0, sender.LastSendError);
        Shell.Ip(a, "link", "set", "va", "down");
        Assert.False(sender.Send(BuildAdvert(llA, Group)));
        Assert.NotEqual(0, sender.LastSendError);
        sender.Dispose();
        sender.Dispose(); // idempotent
    }

    [Fact]
    public void VrrpSocket6_Open_UnknownInterface_ThrowsENODEV_AndNonMulticastGroupIsRejected()
    {
        using var net = new NetnsFixture();
        string a = net.NewNamespace();
        var e = Assert.Throws<LinuxNetworkException>(() => NetworkNamespace.Run(a, () => VrrpSocket6.Open("nope0")));
        Assert.Equal(Errno.ENODEV, e.Errno);
        Assert.Throws<ArgumentException>(() => VrrpSocket6.Open("lo", null, IPAddress.Parse("fe80::1")));
        Assert.Throws<ArgumentException>(() => VrrpSocket6.Open("lo", null, IPAddress.Parse("224.0.0.18")));
    }

    [Fact]
    public void VrrpSocket6_SendReceiveAndNeighborAdvert_DoNotAllocate()
    {
        using NetnsFixture net = TwoHostsV6(out string a, out string b, out IPAddress llA, out IPAddress llB);
        using VrrpSocket6 sender = NetworkNamespace.Run(a, () => VrrpSocket6.Open("va", llA));
        using VrrpSocket6 receiver = NetworkNamespace.Run(b, () => VrrpSocket6.Open("vb", llB));
        LinkInfo link = NetworkNamespace.Run(a, () =>
        {
            using RtNetlink rt = RtNetlink.Open();
            return rt.GetLink("va")!;
        });
        using UnsolicitedNeighborAdvertSender na = NetworkNamespace.Run(a, () => UnsolicitedNeighborAdvertSender.Open(link.InterfaceIndex, link.MacAddress));
        using var poller = new Poller();
        int slot = poller.Register(receiver.FileDescriptor);

        byte[] advert = BuildAdvert(llA, Group);
        byte[] group = Bytes(Group);
        byte[] peer = Bytes(llB);
        byte[] vip = Bytes(Vip);
        byte[] buffer = new byte[1500];
        int received = 0;
        int badHopLimit = 0;

        void Round()
        {
            Assert.True(sender.Send(advert, group));
            Assert.True(sender.Send(advert, peer));
            Assert.True(na.Send(vip));
            int target = received + 2;
            long deadline = Environment.TickCount64 + 5000;
            while (received < target && Environment.TickCount64 < deadline)
            {
                poller.Wait(TimeSpan.FromSeconds(1));
                if (poller.IsReadable(slot))
                {
                    while (receiver.Receive(buffer, out ReceivedPacketInfo info) > 0)
                    {
                        received++;
                        badHopLimit += info.HopLimit == 255 ? 0 : 1;
                    }
                }
            }
        }

        for (int i = 0; i < 50; i++)
        {
            Round(); // warm up (JIT, tiering)
        }

        received = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 500; i++)
        {
            Round();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1000, received);
        Assert.Equal(0, badHopLimit);
        Assert.Equal(0, allocated);
    }
}
