using System.Buffers.Binary;

namespace KeepSharp.Linux.Netlink;

/// <summary>rtnetlink constants and the framing of netlink messages and their attributes (netlink(7), rtnetlink(7)).</summary>
internal static class NetlinkMessage
{
    public const int HeaderLength = 16;

    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;

    public const ushort RTM_NEWLINK = 16;
    public const ushort RTM_DELLINK = 17;
    public const ushort RTM_GETLINK = 18;
    public const ushort RTM_NEWADDR = 20;
    public const ushort RTM_DELADDR = 21;
    public const ushort RTM_GETADDR = 22;

    public const ushort NLM_F_REQUEST = 0x1;
    public const ushort NLM_F_MULTI = 0x2;
    public const ushort NLM_F_ACK = 0x4;
    public const ushort NLM_F_DUMP = 0x300;
    public const ushort NLM_F_EXCL = 0x200;
    public const ushort NLM_F_CREATE = 0x400;

    public const uint RTMGRP_LINK = 0x1;
    public const uint RTMGRP_IPV4_IFADDR = 0x10;
    public const uint RTMGRP_IPV6_IFADDR = 0x100;

    public const ushort IFA_ADDRESS = 1;
    public const ushort IFA_LOCAL = 2;
    public const ushort IFA_LABEL = 3;
    public const ushort IFA_BROADCAST = 4;

    public const ushort IFLA_ADDRESS = 1;
    public const ushort IFLA_IFNAME = 3;
    public const ushort IFLA_MTU = 4;

    public const uint IFF_UP = 0x1;
    public const uint IFF_RUNNING = 0x40;

    public static int Align(int length) => (length + 3) & ~3;

    /// <summary>Writes the 16-byte nlmsghdr.</summary>
    public static void WriteHeader(Span<byte> buffer, int length, ushort type, ushort flags, uint sequence)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[8..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[12..], 0);
    }

    /// <summary>Appends an rtattr at <paramref name="offset"/>; returns the aligned offset after it.</summary>
    public static int WriteAttribute(Span<byte> buffer, int offset, ushort type, ReadOnlySpan<byte> value)
    {
        int length = 4 + value.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[offset..], (ushort)length);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[(offset + 2)..], type);
        value.CopyTo(buffer[(offset + 4)..]);
        int end = offset + Align(length);
        buffer[(offset + length)..end].Clear();
        return end;
    }

    /// <summary>Iterates the messages of one received datagram.</summary>
    public static bool TryNext(ReadOnlySpan<byte> datagram, ref int offset, out ushort type, out ushort flags, out uint sequence, out ReadOnlySpan<byte> body)
    {
        type = 0;
        flags = 0;
        sequence = 0;
        body = default;
        if (offset + HeaderLength > datagram.Length)
            return false;
        int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(datagram[offset..]);
        if (length < HeaderLength || offset + length > datagram.Length)
            return false;
        type = BinaryPrimitives.ReadUInt16LittleEndian(datagram[(offset + 4)..]);
        flags = BinaryPrimitives.ReadUInt16LittleEndian(datagram[(offset + 6)..]);
        sequence = BinaryPrimitives.ReadUInt32LittleEndian(datagram[(offset + 8)..]);
        body = datagram.Slice(offset + HeaderLength, length - HeaderLength);
        offset += Align(length);
        return true;
    }

    /// <summary>Finds attribute <paramref name="type"/> in a run of rtattrs.</summary>
    public static bool TryFindAttribute(ReadOnlySpan<byte> attributes, ushort type, out ReadOnlySpan<byte> value)
    {
        int offset = 0;
        while (offset + 4 <= attributes.Length)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(attributes[offset..]);
            ushort t = BinaryPrimitives.ReadUInt16LittleEndian(attributes[(offset + 2)..]);
            if (length < 4 || offset + length > attributes.Length)
                break;
            if ((t & 0x3FFF) == type)
            {
                value = attributes.Slice(offset + 4, length - 4);
                return true;
            }
            offset += Align(length);
        }
        value = default;
        return false;
    }

    /// <summary>A NUL-terminated string attribute.</summary>
    public static string ReadString(ReadOnlySpan<byte> value)
    {
        int nul = value.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(nul < 0 ? value : value[..nul]);
    }
}
