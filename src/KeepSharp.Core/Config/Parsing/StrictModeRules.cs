using System.Net.Sockets;

namespace KeepSharp.Config.Parsing;

/// <summary>
/// keepalived's strict mode (<c>vrrp_strict</c> / <c>strict_mode</c>, keepalived vrrp.c vrrp_complete_instance): the
/// settings RFC 3768/5798 do not allow are reported at file:line (failing <c>-t</c>, as keepalived's reports do) and
/// overridden; the defaults strict mode changes (accept, GARP at lower priority, adverts at lower/higher priority)
/// are applied by <see cref="ConfigValidator"/> from <see cref="VrrpInstance.StrictMode"/>.
/// </summary>
internal static class StrictModeRules
{
    /// <summary>IPv6 with VRRP version 2: keepalived switches a strict instance to version 3, with a report.</summary>
    public static void Version(ParseContext context, VrrpInstance instance, string tag)
    {
        if (instance.StrictMode && instance.AddressFamily == AddressFamily.InterNetworkV6 && instance.Version == 2)
        {
            context.Warning(instance.Location, $"{tag} strict mode: cannot use IPv6 with VRRP version 2 - setting version 3");
            instance.Version = 3;
        }
    }

    /// <summary>
    /// A multicast IPv6 instance advertises its first VIP as the link-local address RFC 5798 5.2.9 requires first;
    /// keepalived reports a global one in strict mode (and only logs it otherwise).
    /// </summary>
    public static void FirstIpv6Address(ParseContext context, VrrpInstance instance, string tag)
    {
        if (instance.StrictMode && instance.AddressFamily == AddressFamily.InterNetworkV6 && instance.UnicastPeers.Count == 0
            && instance.VirtualIpAddresses.Count > 0 && !instance.VirtualIpAddresses[0].Address.IsIPv6LinkLocal)
        {
            var first = instance.VirtualIpAddresses[0];
            context.Warning(first.Location, $"{tag} strict mode: the first IPv6 virtual address must be link-local ({first.Address})");
        }
    }

    /// <summary>The initial state must match address ownership (RFC 5798 6.4.1: only the owner starts as MASTER).</summary>
    public static void State(ParseContext context, VrrpInstance instance, string tag)
    {
        bool owner = instance.Priority == VrrpInstanceKeywords.OwnerPriority;
        if (instance.StrictMode && (instance.State == VrrpConfiguredState.Master) != owner)
        {
            var state = owner ? VrrpConfiguredState.Master : VrrpConfiguredState.Backup;
            context.Warning(instance.Location, $"{tag} strict mode: state MASTER must match being the address owner (priority 255) - starting as {state.ToString().ToUpperInvariant()}");
            instance.State = state;
        }
    }

    /// <summary>No authentication in strict mode (RFC 5798 removed it).</summary>
    public static bool ClearsAuthentication(ParseContext context, VrrpInstance instance, string tag)
    {
        if (!instance.StrictMode || instance.Authentication is null)
        {
            return false;
        }

        context.Warning(instance.Location, $"{tag} strict mode does not support authentication - ignored");
        instance.Authentication = null;
        return true;
    }

    /// <summary>No unicast peers in strict mode (keepalived refuses the instance at startup on a multicast interface).</summary>
    public static void Unicast(ParseContext context, VrrpInstance instance, string tag)
    {
        if (instance.StrictMode && instance.UnicastPeers.Count > 0)
        {
            context.Error(instance.UnicastPeers[0].Location, $"{tag} unicast peers are not supported in strict mode");
        }
    }

    /// <summary>preempt_delay and down_timer_adverts other than 3 are reset in strict mode.</summary>
    public static void Timers(ParseContext context, VrrpInstance instance, string tag)
    {
        if (!instance.StrictMode)
        {
            return;
        }

        if (instance.PreemptDelay > TimeSpan.Zero)
        {
            context.Warning(instance.Location, $"{tag} preempt_delay is incompatible with strict mode - reset to 0");
            instance.PreemptDelay = TimeSpan.Zero;
        }

        if (instance.DownTimerAdverts != GlobalDefs.DefaultDownTimerAdverts)
        {
            context.Warning(instance.Location, $"{tag} down_timer_adverts is incompatible with strict mode - reset to {GlobalDefs.DefaultDownTimerAdverts}");
            instance.DownTimerAdverts = GlobalDefs.DefaultDownTimerAdverts;
        }
    }

    /// <summary>
    /// Accept mode: unset, it is on for the owner and off only in strict mode; a VRRPv2 non-owner in strict mode
    /// may not accept (RFC 3768 has no accept mode).
    /// </summary>
    public static void Accept(ParseContext context, VrrpInstance instance, bool? configured, string tag)
    {
        bool owner = instance.Priority == VrrpInstanceKeywords.OwnerPriority;
        instance.Accept = configured ?? (owner || !instance.StrictMode);
        if (instance.Accept && !owner && instance.StrictMode && instance.Version == 2)
        {
            context.Warning(instance.Location, $"{tag} accept mode for VRRP version 2 does not comply with RFC 3768 - reset");
            instance.Accept = false;
        }
    }

    /// <summary>
    /// GARPs at lower priority and the lower/higher priority advert options: strict mode's values are the defaults in
    /// strict mode and a configured value against them is reported and reset.
    /// </summary>
    public static void LowerPriority(ParseContext context, VrrpInstanceBuilder b, GlobalDefs global, string tag)
    {
        var instance = b.Instance;
        bool strict = instance.StrictMode;

        instance.GarpLowerPrioRepeat = b.GarpLowerPrioRepeat ?? (strict ? 0 : global.VrrpGarpLowerPrioRepeat);
        if (strict && b.GarpLowerPrioRepeat is > 0)
        {
            context.Warning(instance.Location, $"{tag} strict mode requires no repeat GARPs (garp_lower_prio_repeat) - reset to 0");
            instance.GarpLowerPrioRepeat = 0;
        }

        instance.GarpLowerPrioDelay = b.GarpLowerPrioDelay ?? (strict ? TimeSpan.Zero : global.VrrpGarpLowerPrioDelay);
        if (strict && b.GarpLowerPrioDelay > TimeSpan.Zero)
        {
            context.Warning(instance.Location, $"{tag} strict mode requires no repeat GARP delay (garp_lower_prio_delay) - reset to 0");
            instance.GarpLowerPrioDelay = TimeSpan.Zero;
        }

        instance.LowerPrioNoAdvert = b.LowerPrioNoAdvert ?? (strict || global.VrrpLowerPrioNoAdvert);
        if (strict && b.LowerPrioNoAdvert == false)
        {
            context.Warning(instance.Location, $"{tag} strict mode requires lower_prio_no_advert - set");
            instance.LowerPrioNoAdvert = true;
        }

        instance.HigherPrioSendAdvert = b.HigherPrioSendAdvert ?? (!strict && global.VrrpHigherPrioSendAdvert);
        if (strict && b.HigherPrioSendAdvert == true)
        {
            context.Warning(instance.Location, $"{tag} strict mode requires higher_prio_send_advert to be clear - reset");
            instance.HigherPrioSendAdvert = false;
        }
    }
}
