using KeepSharp.Daemon.Runtime;

namespace KeepSharp.Tests.Daemon;

/// <summary>The fault-injection hook arms only on an exact, documented value.</summary>
public sealed class FaultInjectionTests
{
    [Theory]
    [InlineData("loop-throw-after-master:250", "the event loop throws 250 ms after becoming master")]
    [InlineData("threadpool-throw-after-master:0", "a thread-pool work item throws 0 ms after becoming master")]
    [InlineData("", null)]
    [InlineData("loop-throw", null)]
    [InlineData("loop-throw-after-master:", null)]
    [InlineData("loop-throw-after-master:-5", null)]
    [InlineData("LOOP-THROW-AFTER-MASTER:250", null)]
    [InlineData("yes", null)]
    public void Arms_only_on_an_exact_value(string value, string? expected)
    {
        string? saved = Environment.GetEnvironmentVariable(FaultInjection.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(FaultInjection.EnvironmentVariable, value);
            FaultInjection? fault = FaultInjection.FromEnvironment(TimeProvider.System, out string? problem);
            Assert.Equal(expected, fault?.Description);
            Assert.Equal(expected is null && value.Length > 0, problem is not null);
        }
        finally
        {
            Environment.SetEnvironmentVariable(FaultInjection.EnvironmentVariable, saved);
        }
    }
}
