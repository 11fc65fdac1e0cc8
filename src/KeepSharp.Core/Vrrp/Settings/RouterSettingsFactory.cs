using System.Net;
using System.Net.Sockets;
using System.Text;
using KeepSharp.Config;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Vrrp;

/// <summary>Turns a configured <c>vrrp_instance</c> into the parameters its <see cref="VrrpRouter"/> runs with.</summary>
public static class RouterSettingsFactory
{
    public static VrrpRouterSettings Create(VrrpInstance instance, GlobalDefs global, VrrpAddress primaryAddress)
    {
        (VrrpAuthenticationType type, byte[] data) = Authentication(instance);
        return new VrrpRouterSettings
        {
            Name = instance.Name,
            VirtualRouterId = instance.VirtualRouterId,
            Priority = instance.Priority,
            Version = instance.Version,
            AdvertisementInterval = instance.AdvertInterval,
            Preempt = !instance.NoPreempt,
            PrimaryAddress = primaryAddress,
            VirtualAddresses = [.. AdvertisedAddresses(instance).Select(a => VrrpAddress.FromIPAddress(a.Address))],
            AuthenticationType = type,
            AuthenticationData = data,
            SkipCheckAdvertisementAddresses = instance.SkipCheckAdvAddr || global.VrrpSkipCheckAdvAddr,
            GarpMasterRepeat = instance.GarpMasterRepeat,
            GarpMasterDelay = instance.GarpMasterDelay,
            GarpMasterRefresh = instance.GarpMasterRefresh,
            GarpMasterRefreshRepeat = instance.GarpMasterRefreshRepeat,
            PreemptDelay = instance.PreemptDelay,
            GarpLowerPriorityDelay = instance.GarpLowerPrioDelay,
            GarpLowerPriorityRepeat = instance.GarpLowerPrioRepeat,
            LowerPriorityNoAdvert = instance.LowerPrioNoAdvert,
            HigherPrioritySendAdvert = instance.HigherPrioSendAdvert,
            DownTimerAdverts = instance.DownTimerAdverts,
            AcceptMode = instance.Accept,
        };
    }

    /// <summary>The addresses carried in adverts: the instance's virtual_ipaddress entries of its own family.</summary>
    public static IEnumerable<VirtualIpAddress> AdvertisedAddresses(VrrpInstance instance) =>
        instance.VirtualIpAddresses.Where(a => a.Address.AddressFamily == instance.AddressFamily);

    /// <summary>
    /// Every address the instance installs as master: the advertised ones, then <c>virtual_ipaddress_excluded</c>
    /// (which also holds the VIPs that did not fit in one advert). Excluded addresses may be of either family.
    /// </summary>
    public static IEnumerable<VirtualIpAddress> InstalledAddresses(VrrpInstance instance) =>
        AdvertisedAddresses(instance).Concat(instance.VirtualIpAddressesExcluded);

    private static (VrrpAuthenticationType, byte[]) Authentication(VrrpInstance instance)
    {
        byte[] data = new byte[VrrpWire.AuthenticationDataLength];
        if (instance.Authentication is not { } auth || instance.Version != 2)
            return (VrrpAuthenticationType.None, data);
        if (auth.Type == VrrpAuthType.Ah)
            throw new NotSupportedException($"({instance.Name}) auth_type AH is not supported yet; use PASS or none");
        byte[] password = Encoding.UTF8.GetBytes(auth.Password);
        password.AsSpan(0, Math.Min(password.Length, data.Length)).CopyTo(data);
        return (VrrpAuthenticationType.SimpleTextPassword, data);
    }
}
