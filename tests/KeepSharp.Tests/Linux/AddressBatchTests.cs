using System.Buffers.Binary;
using System.Net;
using KeepSharp.Linux;
using KeepSharp.Linux.Netlink;

namespace KeepSharp.Tests.Linux;

/// <summary>The encoding of batched RTM_NEWADDR / RTM_DELADDR requests and the mapping of the kernel's replies to them.</summary>
public class AddressBatchTests
{
    private static readonly AddressChange First = new(2, IPAddress.Parse("10.0.0.1"), 32);
    private static readonly AddressChange Second = new(3, IPAddress.Parse("10.0.0.2"), 24);

    [Fact]
    public void Encode_TwoAdditions_GoldenBytes_OnlyTheLastAsksForAnAck()
    {
        byte[] buffer = new byte[2 * AddressBatch.MaxRequestBytes];
        int length = AddressBatch.Encode(buffer, [First, Second], add: true, firstSequence: 7);

        Assert.Equal(
            "28000000" + "1400" + "0106" + "07000000" + "00000000" // nlmsghdr: 40 bytes, RTM_NEWADDR, REQUEST|EXCL|CREATE, seq 7
            + "02200000" + "02000000"                              // ifaddrmsg: AF_INET, /32, flags 0, scope 0, index 2
            + "080002000a000001"                                   // IFA_LOCAL 10.0.0.1
            + "080001000a000001"                                   // IFA_ADDRESS 10.0.0.1
            + "28000000" + "1400" + "0506" + "08000000" + "00000000" // seq 8, REQUEST|ACK|EXCL|CREATE
            + "02180000" + "03000000"
            + "080002000a000002"
            + "080001000a000002",
            Convert.ToHexStringLower(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void Encode_Deletion_GoldenBytes()
    {
        byte[] buffer = new byte[AddressBatch.MaxRequestBytes];
        int length = AddressBatch.Encode(buffer, [First], add: false, firstSequence: 0xFFFFFFFF);

        Assert.Equal(
            "28000000" + "1500" + "0500" + "ffffffff" + "00000000" // RTM_DELADDR, REQUEST|ACK (the only, so the last)
            + "02200000" + "02000000" + "080002000a000001" + "080001000a000001",
            Convert.ToHexStringLower(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void WriteAdd_IPv6NoDadBroadcastLabel_AllAttributesInKeepalivedsOrder()
    {
        var change = new AddressChange(4, IPAddress.Parse("2001:db8::5"), 64, NoDad: true, Scope: 0);
        byte[] buffer = new byte[AddressBatch.MaxRequestBytes];
        int length = AddressBatch.WriteAdd(buffer, change, 1, ack: true);
        Assert.Equal(16 + 8 + 20 + 20 + 8, length);
        Assert.Equal("0a400200" + "04000000", Convert.ToHexStringLower(buffer.AsSpan(16, 8))); // AF_INET6, /64, IFA_F_NODAD
        Assert.Equal("080008000200" + "0000", Convert.ToHexStringLower(buffer.AsSpan(64, 8)));  // IFA_FLAGS = IFA_F_NODAD

        var v4 = new AddressChange(4, IPAddress.Parse("192.0.2.9"), 24, Label: "eth0:vip", Broadcast: IPAddress.Parse("192.0.2.255"), Scope: 253);
        length = AddressBatch.WriteAdd(buffer, v4, 1, ack: true);
        Assert.Equal(16 + 8 + 8 + 8 + 8 + 16, length);
        Assert.Equal("08000400c00002ff", Convert.ToHexStringLower(buffer.AsSpan(40, 8)));       // IFA_BROADCAST
        Assert.Equal("0d000300" + "657468303a76697000", Convert.ToHexStringLower(buffer.AsSpan(48, 13))); // IFA_LABEL "eth0:vip\0"
        Assert.True(length <= AddressBatch.MaxRequestBytes);
    }

    [Fact]
    public void ApplyReplies_ErrorsGoToTheirAddresses_TheLastAckCompletesTheRest()
    {
        int[] results = new int[4];
        Array.Fill(results, AddressBatch.Pending);
        string? message = null;

        // Request 101 failed (-EEXIST) and one reply of an older request is still queued: nothing is complete yet.
        Assert.False(AddressBatch.ApplyReplies(Datagram((99, 0), (101, -17)), 100, results, ref message));
        Assert.Equal([AddressBatch.Pending, -17, AddressBatch.Pending, AddressBatch.Pending], results);

        // The last request's ACK: the ones with no reply succeeded.
        Assert.True(AddressBatch.ApplyReplies(Datagram((103, 0)), 100, results, ref message));
        Assert.Equal([0, -17, 0, 0], results);
    }

    [Fact]
    public void ApplyReplies_TheLastRequestFailing_IsItsErrorAndCompletes()
    {
        int[] results = [AddressBatch.Pending, AddressBatch.Pending];
        string? message = null;
        Assert.True(AddressBatch.ApplyReplies(Datagram((uint.MaxValue, -19), (0, -19)), uint.MaxValue, results, ref message));
        Assert.Equal([-19, -19], results); // sequence numbers wrap
    }

    [Fact]
    public void ApplyReplies_ExtendedAckText_IsKept()
    {
        int[] results = [AddressBatch.Pending];
        string? message = null;
        Assert.True(AddressBatch.ApplyReplies(Datagram((5, -22, "Invalid prefix")), 5, results, ref message));
        Assert.Equal(-22, results[0]);
        Assert.Equal("Invalid prefix", message);
    }

    /// <summary>NLMSG_ERROR replies (capped: only the request's header echoed), with an optional NLMSGERR_ATTR_MSG.</summary>
    private static byte[] Datagram(params (uint Sequence, int Error, string? Text)[] replies)
    {
        var bytes = new List<byte>();
        foreach ((uint sequence, int error, string? text) in replies)
        {
            byte[] tlv = [];
            if (text is not null)
            {
                byte[] s = [.. System.Text.Encoding.ASCII.GetBytes(text), 0];
                tlv = new byte[(4 + s.Length + 3) & ~3];
                BinaryPrimitives.WriteUInt16LittleEndian(tlv, (ushort)(4 + s.Length));
                BinaryPrimitives.WriteUInt16LittleEndian(tlv.AsSpan(2), 1);
                s.CopyTo(tlv, 4);
            }

            byte[] m = new byte[16 + 4 + 16 + tlv.Length];
            BinaryPrimitives.WriteUInt32LittleEndian(m, (uint)m.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(4), 2); // NLMSG_ERROR
            BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(6), (ushort)(0x100 | (text is null ? 0 : 0x200)));
            BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(8), sequence);
            BinaryPrimitives.WriteInt32LittleEndian(m.AsSpan(16), error);
            BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(20), 16); // the echoed request header's length
            BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(28), sequence);
            tlv.CopyTo(m, 36);
            bytes.AddRange(m);
        }

        return [.. bytes];
    }

    private static byte[] Datagram(params (uint Sequence, int Error)[] replies) =>
        Datagram([.. replies.Select(r => (r.Sequence, r.Error, (string?)null))]);
}
