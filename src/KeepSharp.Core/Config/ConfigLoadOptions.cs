namespace KeepSharp.Config;

/// <summary>Options of the configuration loader (keepalived's command line equivalents).</summary>
public sealed class ConfigLoadOptions
{
    public static ConfigLoadOptions Default { get; } = new();

    /// <summary>
    /// The config-id compared against <c>@name</c> / <c>@^name</c> line prefixes (keepalived <c>-i</c>).
    /// keepalived defaults it to the first part of the host name; the core has no host access, so the
    /// daemon passes it in. Null means "no config-id": every <c>@name</c> line is skipped and every
    /// <c>@^name</c> line is kept.
    /// </summary>
    public string? ConfigId { get; init; }

    /// <summary>
    /// The MTU of an interface by name, or null when unknown. keepalived sizes adverts by it (more addresses
    /// than fit in one packet are not advertised); the core has no host access, so the daemon passes it in.
    /// Null means keepalived's default of 1500.
    /// </summary>
    public Func<string, int?>? InterfaceMtu { get; init; }

    /// <summary>
    /// The addresses configured on an interface by name, or null when the interface is unknown. With it the loader
    /// reports, at file:line, a unicast peer that is one of the interface's own addresses and an interface with no
    /// address of the instance's family to send from (keepalived only meets these at startup). The core has no host
    /// access, so the daemon passes it in; null skips these checks.
    /// </summary>
    public Func<string, IReadOnlyList<System.Net.IPAddress>?>? InterfaceAddresses { get; init; }

    /// <summary>
    /// The generator behind <c>${_RANDOM [min [max]]}</c> (keepalived seeds random() with the time). Null: a new
    /// <see cref="System.Random"/> per load; tests pass a seeded one.
    /// </summary>
    public Random? Random { get; init; }

    /// <summary>
    /// keepalived's <c>-e</c>/<c>--all-config</c> (<c>include_check</c> with every check): every <c>include</c> behaves as
    /// <c>includea</c> (an unreadable, missing or unmatched file, or a missing brace alternative, is an error).
    /// </summary>
    public bool AllConfig { get; init; }

    /// <summary>Maximum include nesting depth before the loader reports an error.</summary>
    public int MaxIncludeDepth { get; init; } = 32;
}
