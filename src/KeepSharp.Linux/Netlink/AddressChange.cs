using System.Net;

namespace KeepSharp.Linux;

/// <summary>
/// One address for <see cref="RtNetlink.AddAddresses"/> / <see cref="RtNetlink.DeleteAddresses"/>: what one
/// RTM_NEWADDR or RTM_DELADDR request carries. <paramref name="NoDad"/>, <paramref name="Label"/>,
/// <paramref name="Broadcast"/> and <paramref name="Scope"/> are used by additions only.
/// </summary>
public readonly record struct AddressChange(
    int InterfaceIndex,
    IPAddress Address,
    int PrefixLength,
    bool NoDad = false,
    string? Label = null,
    IPAddress? Broadcast = null,
    byte Scope = 0);
