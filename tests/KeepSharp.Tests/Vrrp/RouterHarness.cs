using System.Text;
using KeepSharp.Tests.Simulation;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Tests.Vrrp;

/// <summary>One router under test in virtual time, fed with real encoded advertisements.</summary>
internal sealed class RouterHarness
{
    /// <summary>Virtual time starts here (not at 0, so "0 means unset" mistakes show).</summary>
    public static readonly long T0 = TimeSpan.FromSeconds(1000).Ticks;

    public static readonly VrrpAddress Self = VrrpAddress.Parse("10.0.0.2");
    public static readonly VrrpAddress Lower = VrrpAddress.Parse("10.0.0.1");
    public static readonly VrrpAddress Higher = VrrpAddress.Parse("10.0.0.3");
    public static readonly VrrpAddress Group = VrrpAddress.Parse("224.0.0.18");
    public static readonly VrrpAddress Vip1 = VrrpAddress.Parse("192.168.1.1");
    public static readonly VrrpAddress Vip2 = VrrpAddress.Parse("192.168.1.2");
    public const string Password = "secret";

    public RouterHarness(byte priority = 100, int version = 2, Func<VrrpRouterSettings, VrrpRouterSettings>? configure = null)
    {
        Time = new VirtualTimeProvider(T0);
        Actions = new RecordingActions(Time);
        var settings = new VrrpRouterSettings
        {
            Name = "r",
            VirtualRouterId = 51,
            Priority = priority,
            Version = version,
            PrimaryAddress = Self,
            VirtualAddresses = [Vip1, Vip2],
            AuthenticationType = version == 2 ? VrrpAuthenticationType.SimpleTextPassword : VrrpAuthenticationType.None,
            AuthenticationData = VrrpGoldenBytesTests.PaddedPassword(version == 2 ? Password : ""),
        };
        Router = new VrrpRouter(configure?.Invoke(settings) ?? settings, Time, Actions);
    }

    public VirtualTimeProvider Time { get; }
    public RecordingActions Actions { get; }
    public VrrpRouter Router { get; }

    public static long Seconds(double seconds) => TimeSpan.FromSeconds(seconds).Ticks;

    /// <summary>Runs every timer up to and including <paramref name="timestamp"/>, at its exact deadline.</summary>
    public void RunUntil(long timestamp)
    {
        int guard = 0;
        while (Router.NextDeadline <= timestamp)
        {
            Time.AdvanceTo(Math.Max(Time.Now, Router.NextDeadline));
            Router.OnTimer();
            Assert.True(++guard < 100_000, "timer loop does not progress");
        }
        Time.AdvanceTo(timestamp);
    }

    /// <summary>Starts and runs until the router is master (Master_Down_Interval after start).</summary>
    public long StartAsMaster()
    {
        Router.Start();
        RunUntil(T0 + Router.MasterDownInterval.Ticks);
        Assert.Equal(VrrpState.Master, Router.State);
        Actions.Clear();
        return Time.Now;
    }

    /// <summary>Runs an already started router until it is master.</summary>
    public long StartAsMasterFromStarted()
    {
        RunUntil(Router.NextDeadline);
        Assert.Equal(VrrpState.Master, Router.State);
        Actions.Clear();
        return Time.Now;
    }

    public VrrpDropReason Receive(byte priority, VrrpAddress? source = null, Action<Advert>? change = null)
    {
        var advert = new Advert
        {
            Version = Router.Settings.Version,
            Priority = priority,
            Source = source ?? Higher,
            AuthenticationType = Router.Settings.AuthenticationType,
            Password = Router.Settings.Version == 2 ? Password : "",
            IntervalCentiseconds = (int)(Router.Settings.AdvertisementInterval.TotalMilliseconds / 10),
            Addresses = [Vip1, Vip2],
        };
        change?.Invoke(advert);
        byte[] datagram = advert.Encode();
        Assert.Equal(VrrpDropReason.None, VrrpReceiver.Read(datagram, out VrrpAdvertisement decoded));
        return Router.ReceiveAdvertisement(decoded);
    }

    public sealed class Advert
    {
        public int Version { get; set; }
        public byte VirtualRouterId { get; set; } = 51;
        public byte Priority { get; set; }
        public VrrpAddress Source { get; set; }
        public VrrpAuthenticationType AuthenticationType { get; set; }
        public string Password { get; set; } = "";
        public int IntervalCentiseconds { get; set; }
        public VrrpAddress[] Addresses { get; set; } = [];

        public byte[] Encode()
        {
            byte[] buffer = new byte[IPv4Header.MinimumLength + VrrpAdvertisementWriter.GetLength(Version, Addresses.Length)];
            Span<byte> payload = buffer.AsSpan(IPv4Header.MinimumLength);
            int length = Version == 2
                ? VrrpAdvertisementWriter.WriteVersion2(payload, VirtualRouterId, Priority, (byte)(IntervalCentiseconds / 100),
                    AuthenticationType, Encoding.ASCII.GetBytes(Password), Addresses)
                : VrrpAdvertisementWriter.WriteVersion3(payload, VirtualRouterId, Priority, (ushort)IntervalCentiseconds,
                    Addresses, Source, Group);
            IPv4Header.Write(buffer, Source, Group, VrrpWire.IpProtocol, VrrpWire.RequiredTtl, VrrpWire.TypeOfService, 0, length);
            return buffer;
        }
    }
}
