using KeepSharp.Vrrp.StateMachine;

namespace KeepSharp.Daemon.Runtime;

/// <summary>
/// A deliberate fault, for tests of what a crash does: armed only by the environment variable
/// <c>KEEPSHARP_FAULT_INJECTION</c>, read once at startup and announced in the log as a warning.
/// <list type="bullet">
/// <item><c>loop-throw-after-master:MS</c> — the event loop throws <see cref="InjectedFaultException"/>
/// MS milliseconds after the first instance became master.</item>
/// <item><c>threadpool-throw-after-master:MS</c> — a thread-pool work item throws it instead.</item>
/// </list>
/// Anything else in the variable is ignored with a warning, so a typo cannot arm it. The check is one
/// comparison per loop iteration when disarmed and allocates nothing until the fault fires; it fires at
/// the loop's next wake-up after the delay (within one advert interval).
/// </summary>
internal sealed class FaultInjection
{
    public const string EnvironmentVariable = "KEEPSHARP_FAULT_INJECTION";
    private const string LoopThrow = "loop-throw-after-master:";
    private const string ThreadPoolThrow = "threadpool-throw-after-master:";

    private readonly bool _onThreadPool;
    private readonly TimeSpan _delay;
    private readonly TimeProvider _time;
    private long _masterSince = -1;
    private bool _fired;

    private FaultInjection(bool onThreadPool, TimeSpan delay, TimeProvider time)
    {
        _onThreadPool = onThreadPool;
        _delay = delay;
        _time = time;
    }

    /// <summary>The fault the environment asks for, or null; <paramref name="problem"/> explains a value that was ignored.</summary>
    public static FaultInjection? FromEnvironment(TimeProvider time, out string? problem)
    {
        problem = null;
        string? value = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrEmpty(value))
            return null;
        bool onThreadPool = value.StartsWith(ThreadPoolThrow, StringComparison.Ordinal);
        string prefix = onThreadPool ? ThreadPoolThrow : LoopThrow;
        if ((onThreadPool || value.StartsWith(LoopThrow, StringComparison.Ordinal))
            && int.TryParse(value.AsSpan(prefix.Length), out int ms) && ms >= 0)
            return new FaultInjection(onThreadPool, TimeSpan.FromMilliseconds(ms), time);
        problem = $"{EnvironmentVariable}='{value}' is not understood; no fault armed";
        return null;
    }

    public string Description => $"{(_onThreadPool ? "a thread-pool work item" : "the event loop")} throws {_delay.TotalMilliseconds:0} ms after becoming master";

    /// <summary>Called by the loop on every iteration.</summary>
    public void Check(IReadOnlyList<VrrpInstanceRuntime> instances)
    {
        if (_fired)
            return;
        long now = _time.GetTimestamp();
        if (_masterSince < 0)
        {
            foreach (VrrpInstanceRuntime instance in instances)
            {
                if (instance.Router.State == VrrpState.Master)
                    _masterSince = now;
            }
            return;
        }
        if (_time.GetElapsedTime(_masterSince, now) < _delay)
            return;
        _fired = true;
        if (_onThreadPool)
            ThreadPool.QueueUserWorkItem(_ => throw new InjectedFaultException("a thread-pool work item"));
        else
            throw new InjectedFaultException("the event loop");
    }
}

/// <summary>The exception <see cref="FaultInjection"/> throws.</summary>
internal sealed class InjectedFaultException(string where)
    : Exception($"fault injected by {FaultInjection.EnvironmentVariable} on {where}");
