using System.Text;
using KeepSharp.Vrrp.Tracking;

namespace KeepSharp.Tests.Vrrp.Tracking;

/// <summary>keepalived's reading of a tracked file: strtol(buf, NULL, 0) on the first 127 bytes, range-checked.</summary>
public class TrackFileValueTests
{
    [Theory]
    [InlineData("5\n", 5L)]
    [InlineData("  -12 words", -12L)]
    [InlineData("+7", 7L)]
    [InlineData("0x1F", 31L)]
    [InlineData("010", 8L)]
    [InlineData("09", 0L)]
    [InlineData("0x", 0L)]
    [InlineData("garbage", 0L)]
    [InlineData("", 0L)]
    [InlineData("2147483648", 2147483648L)]
    [InlineData("-2147483648", -2147483648L)]
    public void Values_read_as_strtol_base_0(string content, long expected) =>
        Assert.Equal(expected, TrackFileValue.Parse(Encoding.ASCII.GetBytes(content)));

    [Theory]
    [InlineData("2147483649")]
    [InlineData("-2147483649")]
    [InlineData("99999999999999999999999")]
    public void Values_outside_keepalived_range_are_ignored(string content) =>
        Assert.Null(TrackFileValue.Parse(Encoding.ASCII.GetBytes(content)));

    [Fact]
    public void Only_the_first_127_bytes_count()
    {
        string content = new string(' ', 126) + "12";
        Assert.Equal(1L, TrackFileValue.Parse(Encoding.ASCII.GetBytes(content)));
    }
}
