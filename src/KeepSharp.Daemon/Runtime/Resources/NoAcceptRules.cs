using System.Net;
using KeepSharp.Daemon.Logging;
using KeepSharp.Linux.Firewall;

namespace KeepSharp.Daemon.Runtime.Resources;

/// <summary>
/// <c>no_accept</c> (RFC 9568 §6.1 Accept_Mode false, keepalived's default in strict mode): while a non-owner instance
/// is MASTER, packets addressed to its virtual addresses are dropped by nftables (table <c>inet keepsharp</c>,
/// keepalived's vrrp_nftables.c rules). <c>nft</c> is a process: it runs on a worker thread of its own, in order,
/// so the event loop never waits for it. The table is installed when the first instance needs it and removed at exit.
/// </summary>
internal sealed class NoAcceptRules : IDisposable
{
    private readonly NoAcceptFirewall _firewall = new();
    private readonly Log _log;
    private readonly object _lock = new();
    private readonly Queue<Action> _work = new();
    private readonly Thread _thread;
    private bool _stopping;

    public NoAcceptRules(Log log)
    {
        _log = log;
        _thread = new Thread(Run) { IsBackground = true, Name = "no_accept" };
        _thread.Start();
    }

    /// <summary>Drops traffic to <paramref name="addresses"/> from now on (queued; the loop goes on at once).</summary>
    public void Add(string instance, IReadOnlyList<(IPAddress Address, string Interface)> addresses) => Enqueue(() =>
    {
        foreach (var group in addresses.GroupBy(a => a.Address.IsIPv6LinkLocal ? a.Interface : null))
            Report(instance, "add", _firewall.AddAddresses(group.Select(a => a.Address), group.Key));
    });

    /// <summary>Accepts traffic to <paramref name="addresses"/> again (queued).</summary>
    public void Remove(string instance, IReadOnlyList<(IPAddress Address, string Interface)> addresses) => Enqueue(() =>
    {
        foreach (var group in addresses.GroupBy(a => a.Address.IsIPv6LinkLocal ? a.Interface : null))
            Report(instance, "remove", _firewall.RemoveAddresses(group.Select(a => a.Address), group.Key));
    });

    /// <summary>Runs what is queued, then removes the table; waits at most <paramref name="timeout"/>.</summary>
    public void Shutdown(TimeSpan timeout)
    {
        Enqueue(() => Report(null, "remove the table", _firewall.Remove()));
        lock (_lock)
        {
            _stopping = true;
            Monitor.PulseAll(_lock);
        }
        if (!_thread.Join(timeout))
            _log.Error($"nft did not finish within {timeout.TotalSeconds:0} s; table inet {_firewall.TableName} may remain (nft delete table inet {_firewall.TableName})");
    }

    /// <summary>From any thread after a failure: removes the table now, whatever is queued.</summary>
    public void RemoveNow() => Report(null, "remove the table", _firewall.Remove());

    public void Dispose() => Shutdown(TimeSpan.FromSeconds(15));

    private void Enqueue(Action work)
    {
        lock (_lock)
        {
            _work.Enqueue(work);
            Monitor.PulseAll(_lock);
        }
    }

    private void Run()
    {
        while (true)
        {
            Action work;
            lock (_lock)
            {
                while (_work.Count == 0 && !_stopping)
                    Monitor.Wait(_lock);
                if (_work.Count == 0)
                    return;
                work = _work.Dequeue();
            }
            try
            {
                work();
            }
            catch (Exception e)
            {
                _log.Error($"no_accept: {e.Message}");
            }
        }
    }

    private void Report(string? instance, string what, NftResult result)
    {
        if (!result.Succeeded)
            _log.Error($"{(instance is null ? "" : $"({instance}) ")}no_accept: cannot {what} in nftables table inet {_firewall.TableName}: {result}");
    }
}
