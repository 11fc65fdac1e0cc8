using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace KeepSharp.Linux.Netlink;

/// <summary>Iterates the netlink messages packed in one received datagram.</summary>
internal ref struct NetlinkMessageReader
{
    private readonly ReadOnlySpan<byte> _datagram;
    private int _offset;

    internal NetlinkMessageReader(ReadOnlySpan<byte> datagram)
    {
        _datagram = datagram;
        _offset = 0;
    }

    internal ushort Type;
    internal ushort Flags;
    internal uint Sequence;
    internal ReadOnlySpan<byte> Payload;

    internal bool Next()
    {
        if (_offset + Nl.HeaderLength > _datagram.Length)
        {
            return false;
        }

        ReadOnlySpan<byte> h = _datagram[_offset..];
        int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(h);
        if (length < Nl.HeaderLength || length > h.Length)
        {
            return false;
        }

        Type = BinaryPrimitives.ReadUInt16LittleEndian(h[4..]);
        Flags = BinaryPrimitives.ReadUInt16LittleEndian(h[6..]);
        Sequence = BinaryPrimitives.ReadUInt32LittleEndian(h[8..]);
        Payload = h[Nl.HeaderLength..length];
        _offset += Nl.Align(length);
        return true;
    }

    /// <summary>For NLMSG_ERROR: the (negative or zero) error code.</summary>
    internal readonly int ErrorCode => Payload.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(Payload) : -Errno.EIO;
}

/// <summary>Iterates rtattr/nlattr TLVs.</summary>
internal ref struct AttributeReader
{
    private readonly ReadOnlySpan<byte> _attributes;
    private int _offset;

    internal AttributeReader(ReadOnlySpan<byte> attributes)
    {
        _attributes = attributes;
        _offset = 0;
    }

    internal ushort Type;
    internal ReadOnlySpan<byte> Value;

    internal bool Next()
    {
        if (_offset + Nl.AttrHeaderLength > _attributes.Length)
        {
            return false;
        }

        ReadOnlySpan<byte> a = _attributes[_offset..];
        int length = BinaryPrimitives.ReadUInt16LittleEndian(a);
        if (length < Nl.AttrHeaderLength || length > a.Length)
        {
            return false;
        }

        Type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(a[2..]) & 0x3FFF); // strip NLA_F_NESTED / NLA_F_NET_BYTEORDER
        Value = a[Nl.AttrHeaderLength..length];
        _offset += Nl.Align(length);
        return true;
    }

    internal readonly uint UInt32 => Value.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(Value) : 0;

    internal readonly string String
    {
        get
        {
            ReadOnlySpan<byte> v = Value;
            int nul = v.IndexOf((byte)0);
            return Encoding.UTF8.GetString(nul >= 0 ? v[..nul] : v);
        }
    }

    internal readonly IPAddress Address => new(Value);
}
