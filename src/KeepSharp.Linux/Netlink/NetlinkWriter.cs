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
