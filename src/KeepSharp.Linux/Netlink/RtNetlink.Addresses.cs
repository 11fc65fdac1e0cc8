using KeepSharp.Linux.Netlink;

namespace KeepSharp.Linux;

/// <summary>Many addresses added or deleted with one request datagram per chunk instead of one round trip per address.</summary>
public sealed partial class RtNetlink
{
    /// <summary>
    /// Requests per datagram. Bounds the datagram (well under the socket's send buffer) and the replies a chunk can
    /// queue on the receive side if every request fails (each reply echoes its request): the receive buffer must hold
    /// them, or the kernel drops them and the chunk's unknown outcomes are asked again one by one.
    /// </summary>
    internal const int BatchRequests = 256;

    private byte[]? _batch;

    /// <summary>
    /// RTM_NEWADDR (NLM_F_CREATE|NLM_F_EXCL) for every change, as <see cref="AddAddress(int, System.Net.IPAddress, int, bool, string?, System.Net.IPAddress?, byte)"/>
    /// does for one; <paramref name="results"/>[i] gets 0 or -errno for <paramref name="changes"/>[i] (-EEXIST when
    /// already present). A failed address does not stop the others.
    /// </summary>
    public void AddAddresses(ReadOnlySpan<AddressChange> changes, Span<int> results) => Batch(changes, results, add: true);

    /// <summary>RTM_DELADDR for every change; <paramref name="results"/>[i] gets 0 or -errno (-EADDRNOTAVAIL when not configured).</summary>
    public void DeleteAddresses(ReadOnlySpan<AddressChange> changes, Span<int> results) => Batch(changes, results, add: false);

    private void Batch(ReadOnlySpan<AddressChange> changes, Span<int> results, bool add)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(results.Length, changes.Length, nameof(results));
        foreach (ref readonly AddressChange change in changes)
        {
            AddressBatch.Validate(change);
        }

        LastErrorMessage = null;
        _batch ??= new byte[BatchRequests * AddressBatch.MaxRequestBytes];
        for (int start = 0; start < changes.Length; start += BatchRequests)
        {
            int count = Math.Min(BatchRequests, changes.Length - start);
            SendChunk(changes.Slice(start, count), results.Slice(start, count), add);
        }
    }

    private void SendChunk(ReadOnlySpan<AddressChange> changes, Span<int> results, bool add)
    {
        results.Fill(AddressBatch.Pending);
        uint first = _sequence + 1;
        _sequence += (uint)changes.Length;
        int length = AddressBatch.Encode(_batch, changes, add, first);
        int rc = _socket.Send(_batch.AsSpan(0, length));
        string? message = LastErrorMessage;
        bool done = false;
        while (rc == 0 && !done)
        {
            int n = _socket.Receive(_reply);
            if (n < 0)
            {
                rc = n == -Errno.EAGAIN ? -Errno.ETIMEDOUT : n;
                break;
            }

            done = AddressBatch.ApplyReplies(_reply.AsSpan(0, n), first, results, ref message);
        }

        LastErrorMessage = message;
        if (done)
        {
            return;
        }

        // The datagram was refused, or replies were lost (ENOBUFS: the receive buffer overflowed) or never came:
        // what is still unknown is asked again alone. A repeated addition that had worked answers -EEXIST, a repeated
        // deletion -EADDRNOTAVAIL, as if the address had been there (or gone) before.
        for (int i = 0; i < changes.Length; i++)
        {
            if (results[i] != AddressBatch.Pending)
            {
                continue;
            }

            if (rc == -Errno.ETIMEDOUT)
            {
                results[i] = rc; // the kernel did not answer within the timeout: do not wait once more per address
                continue;
            }

            AddressChange c = changes[i];
            results[i] = add
                ? AddAddress(c.InterfaceIndex, c.Address, c.PrefixLength, c.NoDad, c.Label, c.Broadcast, c.Scope)
                : DeleteAddress(c.InterfaceIndex, c.Address, c.PrefixLength);
            message = LastErrorMessage ?? message;
        }

        LastErrorMessage = message;
    }
}
