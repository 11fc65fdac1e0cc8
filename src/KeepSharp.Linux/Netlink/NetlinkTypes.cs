using System.Net;

namespace KeepSharp.Linux;

/// <summary>An address on an interface, as RTM_GETADDR reports it.</summary>
public readonly record struct InterfaceAddress(int InterfaceIndex, IPAddress Address, int PrefixLength, string? Label);

/// <summary>An interface, as RTM_GETLINK reports it.</summary>
public sealed record LinkInfo(int InterfaceIndex, string Name, byte[] MacAddress, bool IsUp, bool IsRunning, int Mtu);

public enum LinkEventKind : byte
{
    /// <summary>RTM_NEWLINK: a link appeared or its flags changed.</summary>
    LinkChanged,
    /// <summary>RTM_DELLINK.</summary>
    LinkRemoved,
    /// <summary>RTM_NEWADDR.</summary>
    AddressAdded,
    /// <summary>RTM_DELADDR.</summary>
    AddressRemoved,
}

/// <summary>A change reported by the kernel. <see cref="IsRunning"/> is IFF_RUNNING: up with carrier.</summary>
public readonly record struct LinkEvent(LinkEventKind Kind, int InterfaceIndex, bool IsUp, bool IsRunning);
