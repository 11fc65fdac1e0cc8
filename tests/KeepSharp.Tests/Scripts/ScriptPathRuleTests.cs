using KeepSharp.Scripts;

namespace KeepSharp.Tests.Scripts;

/// <summary>keepalived 2.2.7 lib/notify.c check_security(), one component at a time.</summary>
public sealed class ScriptPathRuleTests
{
    private const uint Dir = 0x4000, File = 0x8000, Link = 0xA000, Fifo = 0x1000;

    [Theory]
    [InlineData(0u, 0u, Dir | 0x1ED, false, ScriptPathVerdict.Secure)]      // drwxr-xr-x root:root
    [InlineData(0u, 0u, Dir | 0x3FF, false, ScriptPathVerdict.Secure)]      // drwxrwxrwt root:root (/tmp): sticky
    [InlineData(0u, 0u, Dir | 0x1FF, false, ScriptPathVerdict.Insecure)]    // drwxrwxrwx: world-writable
    [InlineData(0u, 0u, Dir | 0x1FD, false, ScriptPathVerdict.Secure)]      // drwxrwxr-x root:root: group root may write
    [InlineData(0u, 50u, Dir | 0x1FD, false, ScriptPathVerdict.Insecure)]   // drwxrwxr-x root:staff
    [InlineData(1000u, 0u, Dir | 0x1ED, false, ScriptPathVerdict.Insecure)] // owned by a user
    [InlineData(0u, 0u, File | 0x1ED, true, ScriptPathVerdict.Secure)]      // -rwxr-xr-x root:root
    [InlineData(0u, 0u, File | 0x1EF, true, ScriptPathVerdict.Insecure)]    // -rwxr-xrwx
    [InlineData(0u, 50u, File | 0x1FD, true, ScriptPathVerdict.Insecure)]   // -rwxrwxr-x root:staff
    [InlineData(0u, 0u, Link | 0x1FF, true, ScriptPathVerdict.Secure)]      // a root symlink's mode is not considered
    [InlineData(1000u, 0u, Link | 0x1FF, true, ScriptPathVerdict.Insecure)] // but its owner is
    [InlineData(0u, 0u, File | 0x1ED, false, ScriptPathVerdict.WrongType)]  // a file where a directory must be
    [InlineData(0u, 0u, Fifo | 0x1ED, true, ScriptPathVerdict.WrongType)]   // the script is not a file
    public void Evaluates_like_check_security(uint owner, uint group, uint mode, bool last, ScriptPathVerdict expected)
        => Assert.Equal(expected, ScriptPathRule.Evaluate(new ScriptPathEntry("/x", owner, group, mode, last)));

    [Fact]
    public void Components_start_at_the_root()
        => Assert.Equal(["/", "/etc", "/etc/keepalived", "/etc/keepalived/check.sh"], ScriptPathRule.Components("/etc/keepalived/check.sh"));
}
