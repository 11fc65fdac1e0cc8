using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KeepSharp.Linux.Firewall;

/// <summary>Outcome of one <c>nft</c> run: exit status 0 is success; otherwise <see cref="Error"/> carries nft's stderr.</summary>
/// <param name="ExitCode">nft's exit status; -1 when it could not be started, -2 when it overran the timeout and was killed.</param>
public readonly record struct NftResult(int ExitCode, string Error)
{
    public bool Succeeded => ExitCode == 0;

    public static NftResult Ok { get; } = new(0, string.Empty);

    public override string ToString() => Succeeded ? "ok" : "nft exit " + ExitCode.ToString(CultureInfo.InvariantCulture) + ": " + Error;
}

/// <summary>
/// The nftables drop rules for VRRPv3 Accept_Mode false (keepalived's default, and <c>no_accept</c>; RFC 9568 §6.1: a
/// Backup that became Master and is not the address owner must not accept packets addressed to the virtual addresses).
/// Equivalent of keepalived's vrrp_nftables.c, in one <c>inet</c> table of our own (default <c>inet keepsharp</c>) instead of
/// keepalived's <c>ip keepalived</c> and <c>ip6 keepalived</c>:
/// <code>
/// table inet keepsharp {
///   set vips4    { type ipv4_addr; }
///   set vips6    { type ipv6_addr; }
///   set vips6_ll { type ipv6_addr . ifname; }     # link-local VIPs are per interface
///   chain in  { type filter hook input  priority -1; policy accept;
///               icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept
///               ip6 daddr fe80::/10 goto in_link_local
///               ip daddr @vips4 counter drop
///               ip6 daddr @vips6 counter drop }
///   chain in_link_local  { ip6 daddr . iifname @vips6_ll counter drop }
///   chain out { type filter hook output priority -1; policy accept;
///               icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept
///               ip6 saddr fe80::/10 goto out_link_local
///               ip saddr @vips4 counter drop
///               ip6 saddr @vips6 counter drop }
///   chain out_link_local { ip6 saddr . oifname @vips6_ll counter drop }
/// }
/// </code>
/// keepalived adds an instance's VIPs and eVIPs to the sets when it becomes Master (before adding the addresses) and
/// removes them when it leaves Master (after deleting the addresses), only when the instance is not the address owner
/// (priority 255) and <c>accept</c> is off.
/// <para>
/// Every operation runs <c>nft -f -</c> synchronously (it blocks for the length of one nft run, bounded by the timeout:
/// call it from a worker, not the event loop), is one atomic nft transaction, is idempotent, and reports failure as an
/// <see cref="NftResult"/>, never by throwing (argument errors aside). Calls are serialized by a lock. nft runs in the
/// calling thread's network namespace.
/// </para>
/// </summary>
public sealed class NoAcceptFirewall
{
    public const string DefaultTableName = "keepsharp";

    private static readonly IPNetwork LinkLocal6 = IPNetwork.Parse("fe80::/10");

    private readonly object _gate = new();
    private readonly HashSet<(IPAddress Address, string? Interface)> _addresses = [];
    private readonly string _nftPath;
    private readonly TimeSpan _timeout;
    private bool _installed;

    /// <param name="tableName">The inet table (letters, digits, '_' and '-').</param>
    /// <param name="chainPriority">Priority of the input and output base chains (keepalived's default: -1, just before filter).</param>
    /// <param name="nftPath">The nft executable (found on PATH when not absolute).</param>
    /// <param name="timeout">How long one nft run may take before it is killed (default 10 s).</param>
    public NoAcceptFirewall(string tableName = DefaultTableName, int chainPriority = -1, string nftPath = "nft", TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(tableName);
        ArgumentException.ThrowIfNullOrEmpty(nftPath);
        foreach (char c in tableName)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                throw new ArgumentException("Table names are letters, digits, '_' and '-'.", nameof(tableName));
            }
        }

        TableName = tableName;
        ChainPriority = chainPriority;
        _nftPath = nftPath;
        _timeout = timeout ?? TimeSpan.FromSeconds(10);
    }

    public string TableName { get; }

    public int ChainPriority { get; }

    /// <summary>Whether the last <see cref="Install"/> (or an add that installed) succeeded and <see cref="Remove"/> has not run since.</summary>
    public bool IsInstalled
    {
        get
        {
            lock (_gate)
            {
                return _installed;
            }
        }
    }

    /// <summary>The addresses this instance keeps in the sets (what it last asked for, whether or not nft succeeded).</summary>
    public IReadOnlyCollection<IPAddress> Addresses
    {
        get
        {
            lock (_gate)
            {
                return _addresses.Select(a => a.Address).ToArray();
            }
        }
    }

    /// <summary>
    /// (Re)creates the table, its sets and chains in one transaction, with the addresses already added through this
    /// instance; a table left by an earlier run (same name) is replaced, stale elements included.
    /// </summary>
    public NftResult Install()
    {
        lock (_gate)
        {
            var script = new StringBuilder();
            AppendTableDefinition(script);
            AppendElements(script, "add", _addresses);
            NftResult result = RunNft(script.ToString());
            _installed = result.Succeeded;
            return result;
        }
    }

    /// <summary>
    /// Adds drop entries for the addresses (already present ones are fine). Installs the table first when this instance has
    /// not. <paramref name="interfaceName"/> is needed for IPv6 link-local addresses (scoped to that interface) and ignored
    /// otherwise.
    /// </summary>
    public NftResult AddAddresses(IEnumerable<IPAddress> addresses, string? interfaceName = null)
    {
        List<(IPAddress, string?)> entries = Entries(addresses, interfaceName);
        lock (_gate)
        {
            foreach ((IPAddress, string?) entry in entries)
            {
                _addresses.Add(entry);
            }

            if (!_installed)
            {
                var install = new StringBuilder();
                AppendTableDefinition(install);
                AppendElements(install, "add", _addresses);
                NftResult installed = RunNft(install.ToString());
                _installed = installed.Succeeded;
                return installed;
            }

            var script = new StringBuilder();
            AppendElements(script, "add", entries);
            return RunNft(script.ToString());
        }
    }

    /// <summary>Removes the addresses' drop entries (absent ones are fine; nothing to do when not installed).</summary>
    public NftResult RemoveAddresses(IEnumerable<IPAddress> addresses, string? interfaceName = null)
    {
        List<(IPAddress, string?)> entries = Entries(addresses, interfaceName);
        lock (_gate)
        {
            foreach ((IPAddress, string?) entry in entries)
            {
                _addresses.Remove(entry);
            }

            if (!_installed || entries.Count == 0)
            {
                return NftResult.Ok;
            }

            // "add" then "delete" in one transaction: deleting an absent element would fail the whole batch.
            var script = new StringBuilder();
            AppendElements(script, "add", entries);
            AppendElements(script, "delete", entries);
            return RunNft(script.ToString());
        }
    }

    /// <summary>Deletes the table (at exit); succeeds when it is absent too. The address list is forgotten.</summary>
    public NftResult Remove()
    {
        lock (_gate)
        {
            string table = "inet " + TableName;
            NftResult result = RunNft("add table " + table + "\ndelete table " + table + "\n");
            if (result.Succeeded)
            {
                _installed = false;
                _addresses.Clear();
            }

            return result;
        }
    }

    /// <summary>The ruleset <see cref="Install"/> loads (without elements).</summary>
    public string TableDefinition()
    {
        var script = new StringBuilder();
        AppendTableDefinition(script);
        return script.ToString();
    }

    private void AppendTableDefinition(StringBuilder s)
    {
        string table = "inet " + TableName;
        string priority = ChainPriority.ToString(CultureInfo.InvariantCulture);
        const string Nd = "icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept";
        s.Append("add table ").Append(table).Append('\n');
        s.Append("delete table ").Append(table).Append('\n');
        s.Append("table ").Append(table).Append(" {\n");
        s.Append("\tset vips4 { type ipv4_addr; }\n");
        s.Append("\tset vips6 { type ipv6_addr; }\n");
        s.Append("\tset vips6_ll { type ipv6_addr . ifname; }\n");
        s.Append("\tchain in {\n\t\ttype filter hook input priority ").Append(priority).Append("; policy accept;\n");
        s.Append("\t\t").Append(Nd).Append('\n');
        s.Append("\t\tip6 daddr fe80::/10 goto in_link_local\n");
        s.Append("\t\tip daddr @vips4 counter drop\n");
        s.Append("\t\tip6 daddr @vips6 counter drop\n\t}\n");
        s.Append("\tchain in_link_local {\n\t\tip6 daddr . iifname @vips6_ll counter drop\n\t}\n");
        s.Append("\tchain out {\n\t\ttype filter hook output priority ").Append(priority).Append("; policy accept;\n");
        s.Append("\t\t").Append(Nd).Append('\n');
        s.Append("\t\tip6 saddr fe80::/10 goto out_link_local\n");
        s.Append("\t\tip saddr @vips4 counter drop\n");
        s.Append("\t\tip6 saddr @vips6 counter drop\n\t}\n");
        s.Append("\tchain out_link_local {\n\t\tip6 saddr . oifname @vips6_ll counter drop\n\t}\n");
        s.Append("}\n");
    }

    private void AppendElements(StringBuilder s, string verb, IEnumerable<(IPAddress Address, string? Interface)> entries)
    {
        AppendSet(s, verb, "vips4", entries.Where(e => e.Address.AddressFamily == AddressFamily.InterNetwork));
        AppendSet(s, verb, "vips6", entries.Where(e => e.Address.AddressFamily == AddressFamily.InterNetworkV6 && e.Interface is null));
        AppendSet(s, verb, "vips6_ll", entries.Where(e => e.Interface is not null));
    }

    private void AppendSet(StringBuilder s, string verb, string set, IEnumerable<(IPAddress Address, string? Interface)> entries)
    {
        bool first = true;
        foreach ((IPAddress address, string? ifName) in entries)
        {
            s.Append(first ? verb + " element inet " + TableName + " " + set + " { " : ", ");
            s.Append(address.ToString());
            if (ifName is not null)
            {
                s.Append(" . \"").Append(ifName).Append('"');
            }

            first = false;
        }

        if (!first)
        {
            s.Append(" }\n");
        }
    }

    private static List<(IPAddress, string?)> Entries(IEnumerable<IPAddress> addresses, string? interfaceName)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        if (interfaceName is not null && (interfaceName.Length is 0 or >= 16 || interfaceName.Any(c => c is '"' or '\\' or '/' || char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            throw new ArgumentException("Not an interface name: " + interfaceName, nameof(interfaceName));
        }

        var list = new List<(IPAddress, string?)>();
        foreach (IPAddress address in addresses)
        {
            ArgumentNullException.ThrowIfNull(address);
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && LinkLocal6.Contains(address))
            {
                if (interfaceName is null)
                {
                    throw new ArgumentException("An IPv6 link-local address needs its interface name.", nameof(interfaceName));
                }

                list.Add((WithoutScope(address), interfaceName));
            }
            else if (address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
            {
                list.Add((WithoutScope(address), null));
            }
            else
            {
                throw new ArgumentException("Only IPv4 and IPv6 addresses are supported.", nameof(addresses));
            }
        }

        return list;
    }

    private static IPAddress WithoutScope(IPAddress address)
        => address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes()) : address;

    /// <summary>Runs <c>nft -f -</c> with <paramref name="script"/> on standard input.</summary>
    private NftResult RunNft(string script)
    {
        var start = new ProcessStartInfo(_nftPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-f");
        start.ArgumentList.Add("-");
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return new NftResult(-1, "cannot run " + _nftPath + ": " + e.Message);
        }

        using (process)
        {
            Task<string> error = process.StandardError.ReadToEndAsync();
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            try
            {
                process.StandardInput.Write(script);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // nft exited before reading everything; its status and stderr say why.
            }

            if (!process.WaitForExit(_timeout))
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }

                process.WaitForExit();
                return new NftResult(-2, "nft timed out after " + _timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s");
            }

            process.WaitForExit(); // drains the redirected streams
            string stderr = error.Result.Trim();
            _ = output.Result;
            return new NftResult(process.ExitCode, stderr);
        }
    }
}
