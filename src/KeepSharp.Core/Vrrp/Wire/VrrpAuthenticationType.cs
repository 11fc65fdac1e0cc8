namespace KeepSharp.Vrrp.Wire;

/// <summary>The Auth Type field of a VRRPv2 advertisement (RFC 3768 §5.3.6; RFC 2338 for the text password).</summary>
public enum VrrpAuthenticationType : byte
{
    None = 0,
    SimpleTextPassword = 1,
    IpAuthenticationHeader = 2,
}
