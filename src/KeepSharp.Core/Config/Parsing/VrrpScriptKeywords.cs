using static KeepSharp.Config.Parsing.ValueParsers;

namespace KeepSharp.Config.Parsing;

/// <summary>Keywords of <c>vrrp_script NAME { ... }</c>.</summary>
internal static class VrrpScriptKeywords
{
    public static KeywordTable<VrrpScript> Table { get; } = new KeywordTable<VrrpScript>("vrrp_script")
        .On("script", (c, v, s) => { if (TryArg(c, s, out _)) { v.Script = s.JoinedArgs; } })
        .On("interval", (c, v, s) => { if (TryTimer(c, s, 1, 4294, out var t)) { v.Interval = t; } })
        .On("timeout", (c, v, s) => { if (TryTimer(c, s, 0, 4294, out var t, minExclusive: true)) { v.Timeout = t; } })
        .On("weight", (c, v, s) =>
        {
            if (TryInt(c, s, -253, 253, out var w))
            {
                v.Weight = w;
                v.WeightReverse = s.Args.Count > 1 && s.Args[1].Text == "reverse";
            }
        })
        .On("rise", (c, v, s) => { if (TryInt(c, s, 1, int.MaxValue, out var n)) { v.Rise = n; } })
        .On("fall", (c, v, s) => { if (TryInt(c, s, 1, int.MaxValue, out var n)) { v.Fall = n; } })
        .On("user", (c, v, s) =>
        {
            if (TryArg(c, s, out var user))
            {
                v.User = user;
                v.Group = s.Args.Count > 1 ? s.Args[1].Text : null;
            }
        })
        .On("init_fail", (c, v, s) => v.InitFail = true);
}
