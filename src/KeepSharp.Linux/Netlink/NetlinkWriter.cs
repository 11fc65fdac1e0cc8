using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace KeepSharp.Linux.Netlink;

/// <summary>Builds one netlink request (host byte order) into a reusable buffer.</summary>
internal ref struct NetlinkWriter
{
    private readonly Span<byte> _buffer;
    private int _length;

    internal NetlinkWriter(Span<byte> buffer, ushort type, ushort flags, uint sequence)
    {
        _buffer = buffer;
        _buffer.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer[8..], sequence);
        _length = Nl.HeaderLength;
    }

    internal readonly int Length => _length;

    internal void IfAddrMsg(byte family, byte prefixLength, byte flags, byte scope, int ifIndex)
    {
        Span<byte> m = _buffer.Slice(_length, Nl.IfAddrMsgLength);
        m[0] = family;
        m[1] = prefixLength;
        m[2] = flags;
        m[3] = scope;
        BinaryPrimitives.WriteInt32LittleEndian(m[4..], ifIndex);
        _length += Nl.IfAddrMsgLength;
    }

    internal void IfInfoMsg(byte family, int ifIndex)
    {
        Span<byte> m = _buffer.Slice(_length, Nl.IfInfoMsgLength);
        m[0] = family;
        BinaryPrimitives.WriteInt32LittleEndian(m[4..], ifIndex);
        _length += Nl.IfInfoMsgLength;
    }

    /// <summary>struct ifinfomsg with ifi_change/ifi_flags (RTM_NEWLINK state changes).</summary>
    internal void IfInfoMsg(byte family, int ifIndex, uint flags, uint change)
    {
        Span<byte> m = _buffer.Slice(_length, Nl.IfInfoMsgLength);
        m[0] = family;
        BinaryPrimitives.WriteInt32LittleEndian(m[4..], ifIndex);
        BinaryPrimitives.WriteUInt32LittleEndian(m[8..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(m[12..], change);
        _length += Nl.IfInfoMsgLength;
    }

    /// <summary>struct rtmsg.</summary>
    internal void RtMsg(byte family, byte dstLength, byte srcLength, byte tos, byte table, byte protocol, byte scope, byte type, uint flags)
    {
        Span<byte> m = _buffer.Slice(_length, Nl.RtMsgLength);
        m[0] = family;
        m[1] = dstLength;
        m[2] = srcLength;
        m[3] = tos;
        m[4] = table;
        m[5] = protocol;
        m[6] = scope;
        m[7] = type;
        BinaryPrimitives.WriteUInt32LittleEndian(m[8..], flags);
        _length += Nl.RtMsgLength;
    }

    /// <summary>struct fib_rule_hdr (same layout as rtmsg with res1/res2 in place of protocol/scope).</summary>
    internal void FibRuleHdr(byte family, byte dstLength, byte srcLength, byte tos, byte table, byte action, uint flags)
        => RtMsg(family, dstLength, srcLength, tos, table, 0, 0, action, flags);

    /// <summary>Starts a nested attribute; returns its offset for <see cref="EndNested"/>.</summary>
    internal int BeginNested(ushort type)
    {
        int start = _length;
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[start..], Nl.AttrHeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[(start + 2)..], type);
        _length += Nl.AttrHeaderLength;
        return start;
    }

    /// <summary>Patches the nested attribute's length to cover everything written since <see cref="BeginNested"/>.</summary>
    internal readonly void EndNested(int start)
        => BinaryPrimitives.WriteUInt16LittleEndian(_buffer[start..], (ushort)(_length - start));

    internal void Attribute(ushort type, byte value)
    {
        Span<byte> v = [value];
        Attribute(type, v);
    }

    /// <summary>String attribute without the terminating NUL (e.g. IFLA_INFO_KIND, as iproute2 and keepalived send it).</summary>
    internal void AttributeNoNul(ushort type, string value)
    {
        Span<byte> v = stackalloc byte[Encoding.UTF8.GetMaxByteCount(value.Length)];
        int n = Encoding.UTF8.GetBytes(value, v);
        Attribute(type, v[..n]);
    }

    internal void Attribute(ushort type, scoped ReadOnlySpan<byte> payload)
    {
        Span<byte> a = _buffer[_length..];
        BinaryPrimitives.WriteUInt16LittleEndian(a, (ushort)(Nl.AttrHeaderLength + payload.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(a[2..], type);
        payload.CopyTo(a[Nl.AttrHeaderLength..]);
        _length += Nl.Align(Nl.AttrHeaderLength + payload.Length);
    }

    internal void Attribute(ushort type, uint value)
    {
        Span<byte> v = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(v, value);
        Attribute(type, v);
    }

    internal void Attribute(ushort type, IPAddress address)
    {
        Span<byte> v = stackalloc byte[16];
        address.TryWriteBytes(v, out int written);
        Attribute(type, v[..written]);
    }

    /// <summary>NUL-terminated string attribute.</summary>
    internal void Attribute(ushort type, string value)
    {
        Span<byte> v = stackalloc byte[Encoding.UTF8.GetMaxByteCount(value.Length) + 1];
        int n = Encoding.UTF8.GetBytes(value, v);
        v[n] = 0;
        Attribute(type, v[..(n + 1)]);
    }

    /// <summary>Patches nlmsg_len and returns the finished message.</summary>
    internal readonly ReadOnlySpan<byte> Finish()
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer, (uint)_length);
        return _buffer[.._length];
    }
}
