using System.Net;
using KeepSharp.Config;

namespace KeepSharp.Tests.Config;

public class SeedConfigTests
{
    private static KeepalivedConfig LoadClean(string name)
    {
        var result = KeepalivedConfigLoader.Load(TestPaths.Seed(name));
        Assert.Empty(result.Diagnostics);
        Assert.Equal(ConfigTest.ExitOk, ConfigTest.GetExitCode(result));
        return result.Config!;
    }

    [Fact]
    public void Keep171_Master()
    {
        var config = LoadClean("keep_171.conf");
        Assert.Equal("keep_171", config.GlobalDefs.RouterId);
        Assert.False(config.GlobalDefs.VrrpSkipCheckAdvAddr); // commented out with '#'
        Assert.False(config.GlobalDefs.VrrpStrict);
        var vi = Assert.Single(config.VrrpInstances);
        Assert.Equal("VI_1", vi.Name);
        Assert.Equal(VrrpConfiguredState.Master, vi.State);
        Assert.Equal("ens33", vi.Interface);
        Assert.Equal(51, vi.VirtualRouterId);
        Assert.Equal(100, vi.Priority);
        Assert.Equal(TimeSpan.FromSeconds(1), vi.AdvertInterval);
        Assert.Equal(2, vi.Version);
        Assert.Equal(new VrrpAuthentication(VrrpAuthType.Pass, "1111"), vi.Authentication);
        var vip = Assert.Single(vi.VirtualIpAddresses);
        Assert.Equal(IPAddress.Parse("192.168.1.161"), vip.Address);
        Assert.Equal(32, vip.PrefixLength);
        Assert.Null(vip.Device);
        Assert.Equal(new ConfigLocation(TestPaths.Seed("keep_171.conf"), 29), vip.Location);
        Assert.Equal(new ConfigLocation(TestPaths.Seed("keep_171.conf"), 11), vi.Location);
        Assert.Empty(vi.TrackScripts);
        Assert.Empty(config.VrrpScripts);
        Assert.Equal(TimeSpan.FromSeconds(5), vi.GarpMasterDelay);
        Assert.Equal(5, vi.GarpMasterRepeat);
    }

    [Fact]
    public void Keep172_Backup()
    {
        var config = LoadClean("keep_172.conf");
        Assert.Equal("keep_172", config.GlobalDefs.RouterId);
        var vi = Assert.Single(config.VrrpInstances);
        Assert.Equal(VrrpConfiguredState.Backup, vi.State);
        Assert.Equal("ens33", vi.Interface);
        Assert.Equal(51, vi.VirtualRouterId);
        Assert.Equal(80, vi.Priority);
        Assert.Equal(TimeSpan.FromSeconds(1), vi.AdvertInterval);
        Assert.Equal(new VrrpAuthentication(VrrpAuthType.Pass, "1111"), vi.Authentication);
        Assert.Equal(IPAddress.Parse("192.168.253.161"), Assert.Single(vi.VirtualIpAddresses).Address);
    }

    [Fact]
    public void Keep171_WithNginxCheckScript()
    {
        var config = LoadClean("keep_171_check_nginx.conf");
        Assert.Equal("keep_171", config.GlobalDefs.RouterId);
        var script = Assert.Single(config.VrrpScripts);
        Assert.Equal("check_nginx_alive", script.Name);
        Assert.Equal("/etc/keepalived/check_nginx_alive_or_not.sh", script.Script);
        Assert.Equal(TimeSpan.FromSeconds(2), script.Interval);
        Assert.Equal(10, script.Weight);
        Assert.False(script.WeightReverse);
        Assert.Equal(1, script.Rise);
        Assert.Equal(1, script.Fall);

        var vi = Assert.Single(config.VrrpInstances);
        Assert.Equal(VrrpConfiguredState.Master, vi.State);
        Assert.Equal(100, vi.Priority);
        var track = Assert.Single(vi.TrackScripts);
        Assert.Equal("check_nginx_alive", track.Name);
        Assert.Null(track.Weight);
        Assert.Equal(33, track.Location.Line);
        Assert.Equal(IPAddress.Parse("192.168.253.161"), Assert.Single(vi.VirtualIpAddresses).Address);
    }

    [CourseNotesFact]
    public void SeedFilesAreVerbatimFromTheCourseNotes()
    {
        var notes = File.ReadAllText(TestPaths.CourseNotes);
        foreach (var name in new[] { "keep_171.conf", "keep_172.conf", "keep_171_check_nginx.conf", "check_nginx_alive_or_not.sh" })
        {
            var text = File.ReadAllText(TestPaths.Seed(name));
            Assert.Contains(text, notes, StringComparison.Ordinal);
        }
    }
}
