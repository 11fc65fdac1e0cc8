using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace KeepSharp.Vrrp;

/// <summary>
/// An IPv4 or IPv6 address as a value: compared, hashed and ordered without allocation, so the
/// receive path can carry the sender's primary address and the state machine can break priority
/// ties by it (RFC 3768 §6.4.3, RFC 9568 §6.4.3: the higher primary address wins).
/// </summary>
public readonly struct VrrpAddress : IEquatable<VrrpAddress>, IComparable<VrrpAddress>
{
    private readonly UInt128 _value;

    private VrrpAddress(UInt128 value, bool isIPv6)
    {
        _value = value;
        IsIPv6 = isIPv6;
    }

    public bool IsIPv6 { get; }

    public static VrrpAddress None => default;

    public bool IsNone => !IsIPv6 && _value == 0;

    /// <summary>An IPv4 address from its four network-order bytes.</summary>
    public static VrrpAddress FromIPv4(ReadOnlySpan<byte> networkOrder) =>
        new(BinaryPrimitives.ReadUInt32BigEndian(networkOrder), isIPv6: false);

    /// <summary>An IPv6 address from its sixteen network-order bytes.</summary>
    public static VrrpAddress FromIPv6(ReadOnlySpan<byte> networkOrder) =>
        new(BinaryPrimitives.ReadUInt128BigEndian(networkOrder), isIPv6: true);

    /// <summary>An IPv6 address from its 128-bit value (the sixteen bytes read big-endian).</summary>
    public static VrrpAddress FromIPv6(UInt128 value) => new(value, isIPv6: true);

    public static VrrpAddress FromIPAddress(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out int written))
            throw new ArgumentException($"cannot read address {address}", nameof(address));
        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? FromIPv6(bytes[..written])
            : FromIPv4(bytes[..written]);
    }

    public static VrrpAddress Parse(string text) => FromIPAddress(IPAddress.Parse(text));

    /// <summary>The IPv4 address as a host-order integer.</summary>
    public uint IPv4Value => IsIPv6 ? throw new InvalidOperationException("not an IPv4 address") : (uint)_value;

    public int ByteLength => IsIPv6 ? 16 : 4;

    /// <summary>IPv4 224.0.0.0/4 or IPv6 ff00::/8.</summary>
    public bool IsMulticast => IsIPv6 ? (_value >> 120) == 0xFF : ((uint)_value >> 28) == 0xE;

    /// <summary>IPv6 fe80::/10 (where RFC 9568 §5.1.2.1 wants adverts to come from).</summary>
    public bool IsIPv6LinkLocal => IsIPv6 && (_value >> 118) == (0xFE80 >> 6);

    public void WriteTo(Span<byte> destination)
    {
        if (IsIPv6)
            BinaryPrimitives.WriteUInt128BigEndian(destination, _value);
        else
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)_value);
    }

    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        WriteTo(bytes);
        return new IPAddress(bytes[..ByteLength]);
    }

    public int CompareTo(VrrpAddress other)
    {
        int family = IsIPv6.CompareTo(other.IsIPv6);
        return family != 0 ? family : _value.CompareTo(other._value);
    }

    public bool Equals(VrrpAddress other) => _value == other._value && IsIPv6 == other.IsIPv6;

    public override bool Equals(object? obj) => obj is VrrpAddress other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_value, IsIPv6);

    public override string ToString() => ToIPAddress().ToString();

    public static bool operator ==(VrrpAddress left, VrrpAddress right) => left.Equals(right);
    public static bool operator !=(VrrpAddress left, VrrpAddress right) => !left.Equals(right);
    public static bool operator >(VrrpAddress left, VrrpAddress right) => left.CompareTo(right) > 0;
    public static bool operator <(VrrpAddress left, VrrpAddress right) => left.CompareTo(right) < 0;
    public static bool operator >=(VrrpAddress left, VrrpAddress right) => left.CompareTo(right) >= 0;
    public static bool operator <=(VrrpAddress left, VrrpAddress right) => left.CompareTo(right) <= 0;
}
