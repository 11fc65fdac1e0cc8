using System.Buffers.Binary;
using KeepSharp.Vrrp.StateMachine;

namespace KeepSharp.Vrrp.Wire;

/// <summary>
/// Builds one virtual router's advertisements as they go on the wire: the one writer the daemon, the simulated LAN and
/// the tests share. The VRRP message is written once per advert (<see cref="WriteMessage"/>); each destination (the
/// group, or every unicast peer) then gets its own IPv4 header and, for VRRPv3, its own checksum: the pseudo-header
/// differs by destination, so the message's own sum is kept and only the destination's share is added
/// (RFC 1071's incremental property). Over IPv6 the datagram is the message alone: the kernel writes the header,
/// with the hop limit the socket was given. No allocation after construction.
/// </summary>
public sealed class VrrpDatagramWriter
{
    private readonly byte[] _buffer;
    private readonly int _messageOffset;
    private readonly int _messageLength;
    private readonly VrrpRouterSettings _settings;
    private readonly VrrpAddress[] _destinations;
    private uint _messageSum;

    public VrrpDatagramWriter(VrrpRouterSettings settings, VrrpTransportSettings transport)
    {
        _settings = settings;
        Transport = transport;
        Source = settings.PrimaryAddress;
        IsIPv6 = Source.IsIPv6;
        _messageLength = VrrpAdvertisementWriter.GetLength(settings.Version, settings.VirtualAddresses.Length, IsIPv6);
        _messageOffset = IsIPv6 ? 0 : IPv4Header.MinimumLength;
        _buffer = new byte[_messageOffset + _messageLength];
        _destinations = transport.IsUnicast
            ? [.. transport.UnicastPeers.Select(p => p.Address)]
            : [transport.MulticastGroup];
        ChecksumMode = transport.ChecksumMode;
    }

    public VrrpTransportSettings Transport { get; }

    /// <summary>The source address every datagram carries (the router's primary address).</summary>
    public VrrpAddress Source { get; }

    public bool IsIPv6 { get; }

    /// <summary>The TTL / hop limit adverts go with: 255 to a multicast group (RFC 3768 §5.1.1.3, RFC 9568 §5.1.1.3), <c>unicast_ttl</c> to peers.</summary>
    public byte HopLimit => Transport.IsUnicast ? Transport.Ttl : VrrpWire.RequiredTtl;

    /// <summary>The checksum form sent; a receiver may switch it when a peer turns out to use an older one.</summary>
    public VrrpChecksumMode ChecksumMode { get; set; }

    /// <summary>Where each advert goes: the multicast group, or each unicast peer in configuration order.</summary>
    public ReadOnlySpan<VrrpAddress> Destinations => _destinations;

    /// <summary>The Adver Int field of VRRPv2: whole seconds, at least 1.</summary>
    public static byte AdvertisementIntervalSeconds(TimeSpan interval) =>
        (byte)Math.Clamp(Math.Round(interval.TotalSeconds, MidpointRounding.AwayFromZero), 1, 255);

    /// <summary>The Max Adver Int field of VRRPv3: centiseconds, 1–4095 (RFC 9568 §5.2.7, errata EID 8301).</summary>
    public static ushort AdvertisementIntervalCentiseconds(TimeSpan interval) =>
        (ushort)Math.Clamp(Math.Round(interval.TotalMilliseconds / 10, MidpointRounding.AwayFromZero), 1, 0x0FFF);

    /// <summary>Writes the VRRP message for <paramref name="priority"/>; <see cref="Datagram"/> then completes it per destination.</summary>
    public void WriteMessage(byte priority)
    {
        VrrpRouterSettings s = _settings;
        Span<byte> message = _buffer.AsSpan(_messageOffset, _messageLength);
        if (s.Version == 2)
        {
            VrrpAdvertisementWriter.WriteVersion2(message, s.VirtualRouterId, priority, AdvertisementIntervalSeconds(s.AdvertisementInterval),
                s.AuthenticationType, s.AuthenticationData, s.VirtualAddresses);
            if (!IsIPv6)
            {
                _messageSum = 0; // complete: the v2 checksum covers the message only
                return;
            }
        }
        else
        {
            VrrpAdvertisementWriter.WriteVersion3(message, s.VirtualRouterId, priority, AdvertisementIntervalCentiseconds(s.AdvertisementInterval),
                s.VirtualAddresses, Source, Source);
        }
        BinaryPrimitives.WriteUInt16BigEndian(message[6..], 0);
        _messageSum = InternetChecksum.Accumulate(0, message);
    }

    /// <summary>
    /// The datagram for destination <paramref name="index"/> of <see cref="Destinations"/>: IPv4 header and message, or the
    /// message alone over IPv6. Valid until the next call.
    /// </summary>
    public ReadOnlySpan<byte> Datagram(int index, ushort identification)
    {
        VrrpAddress destination = _destinations[index];
        Span<byte> message = _buffer.AsSpan(_messageOffset, _messageLength);
        if (_settings.Version == 3 || IsIPv6)
        {
            uint sum = _messageSum;
            if (IsIPv6 || ChecksumMode == VrrpChecksumMode.PseudoHeader)
                sum += VrrpAdvertisement.PseudoHeaderSum(Source, destination, _messageLength);
            else if (ChecksumMode == VrrpChecksumMode.MulticastPseudoHeader)
                sum += VrrpAdvertisement.PseudoHeaderSum(Source, Transport.MulticastGroup, _messageLength);
            BinaryPrimitives.WriteUInt16BigEndian(message[6..], InternetChecksum.Finish(sum));
        }
        if (IsIPv6)
            return message;
        IPv4Header.Write(_buffer, Source, destination, VrrpWire.IpProtocol, HopLimit,
            VrrpWire.TypeOfService, identification, _messageLength);
        return _buffer;
    }
}
