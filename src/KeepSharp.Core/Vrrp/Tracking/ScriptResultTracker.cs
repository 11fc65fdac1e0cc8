namespace KeepSharp.Vrrp.Tracking;

/// <summary>
/// The rise/fall state of one <c>vrrp_script</c>, as keepalived keeps it in <c>vscript->result</c>
/// (vrrp_scheduler.c <c>vrrp_script_child_thread</c>, <c>vrrp_init_script</c>): a counter in
/// 0..rise+fall−1, good when ≥ rise.
/// <list type="bullet">
/// <item>Start: rise−1 ("one success is enough") and no status yet; with <c>init_fail</c>: 0, failed.</item>
/// <item>Success: below rise−1, count up; at rise−1, become good and jump to rise+fall−1 (a good script needs
/// <c>fall</c> failures in a row to fail again; one success refills it).</item>
/// <item>Failure: above rise, count down; otherwise fail (if good, or still without status) and reset to 0
/// (a failed script needs <c>rise</c> successes in a row).</item>
/// </list>
/// A script is shared: the daemon keeps one per <c>vrrp_script</c>, and when <see cref="Report"/> returns a
/// change, passes <see cref="Status"/> to every <see cref="InstanceTracking"/> that tracks it.
/// </summary>
public sealed class ScriptResultTracker
{
    private bool _reported;

    /// <param name="rise">Successes in a row to become good (≥ 1).</param>
    /// <param name="fall">Failures in a row to fail (≥ 1).</param>
    /// <param name="initFail">keepalived's <c>init_fail</c>: start failed instead of without status.</param>
    public ScriptResultTracker(int rise = 1, int fall = 1, bool initFail = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rise, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(fall, 1);
        Rise = rise;
        Fall = fall;
        InitFail = initFail;
        Result = initFail ? 0 : rise - 1;
        Status = initFail ? TrackerStatus.Down : TrackerStatus.Unknown;
        _reported = initFail;
    }

    public int Rise { get; }

    public int Fall { get; }

    public bool InitFail { get; }

    /// <summary>keepalived's <c>result</c> counter.</summary>
    public int Result { get; private set; }

    /// <summary>The status the instances see: changes only when <see cref="Report"/> says so.</summary>
    public TrackerStatus Status { get; private set; }

    /// <summary>
    /// Reload: the same script (same rise, fall and init_fail) goes on counting where <paramref name="previous"/> was.
    /// Returns false, changing nothing, when the counting rules differ.
    /// </summary>
    public bool CarryOver(ScriptResultTracker previous)
    {
        if (previous.Rise != Rise || previous.Fall != Fall || previous.InitFail != InitFail)
            return false;
        Result = previous.Result;
        Status = previous.Status;
        _reported = previous._reported;
        return true;
    }

    /// <summary>Takes one result of the script (exit status 0 is success; a timeout or a signal is failure).</summary>
    /// <returns>True when <see cref="Status"/> changed (keepalived's <c>update_script_priorities</c> point).</returns>
    public bool Report(bool success)
    {
        TrackerStatus before = Status;
        int top = Rise + Fall - 1;
        if (success)
        {
            if (Result < Rise - 1)
            {
                Result++;
            }
            else if (Result != top)
            {
                if (Result < Rise)
                    Status = TrackerStatus.Up;
                Result = top;
            }
        }
        else
        {
            if (Result > Rise)
            {
                Result--;
            }
            else
            {
                if (Result == Rise || !_reported)
                    Status = TrackerStatus.Down;
                Result = 0;
            }
        }
        _reported = true;
        return Status != before;
    }
}
