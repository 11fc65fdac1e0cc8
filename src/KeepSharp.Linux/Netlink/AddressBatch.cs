using System.Net.Sockets;
using System.Text;

namespace KeepSharp.Linux.Netlink;

/// <summary>
/// Many RTM_NEWADDR / RTM_DELADDR requests packed into one netlink datagram, and the mapping of the kernel's
/// NLMSG_ERROR replies back to the requests by sequence number. Only the chunk's last request asks for an ACK
/// (NLM_F_ACK): the kernel handles the requests of one datagram in order and answers every failed one with its error
/// whatever the flag, so one reply per failure plus the last one's ACK tells the outcome of every request.
/// </summary>
internal static class AddressBatch
{
    /// <summary>Upper bound of one encoded request (header, ifaddrmsg, IFA_LOCAL, IFA_ADDRESS, IFA_FLAGS, IFA_BROADCAST, IFA_LABEL).</summary>
    internal const int MaxRequestBytes = Nl.HeaderLength + Nl.IfAddrMsgLength + 3 * (Nl.AttrHeaderLength + 16) + 8 + (Nl.AttrHeaderLength + Nl.IFNAMSIZ);

    /// <summary>A result slot whose reply has not arrived yet.</summary>
    internal const int Pending = int.MinValue;

    /// <summary>Checks what the kernel would refuse with an unhelpful errno, before anything is sent.</summary>
    internal static void Validate(in AddressChange change)
    {
        ArgumentNullException.ThrowIfNull(change.Address);
        int max = change.Address.AddressFamily switch
        {
            AddressFamily.InterNetwork => 32,
            AddressFamily.InterNetworkV6 => 128,
            _ => throw new ArgumentException("Only IPv4 and IPv6 addresses are supported.", nameof(change)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(change.PrefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(change.PrefixLength, max);
        if (change.Label is not null && Encoding.UTF8.GetByteCount(change.Label) >= Nl.IFNAMSIZ)
        {
            throw new ArgumentException("Interface address labels are limited to 15 bytes.", nameof(change));
        }
    }

    /// <summary>
    /// Writes one RTM_NEWADDR (NLM_F_CREATE|NLM_F_EXCL) into <paramref name="buffer"/> (at least <see cref="MaxRequestBytes"/>);
    /// returns its aligned length. The same bytes as a single <see cref="RtNetlink.AddAddress(int, System.Net.IPAddress, int, bool, string?, System.Net.IPAddress?, byte)"/>.
    /// </summary>
    internal static int WriteAdd(Span<byte> buffer, in AddressChange change, uint sequence, bool ack)
    {
        var w = new NetlinkWriter(buffer[..MaxRequestBytes], Nl.RTM_NEWADDR,
            (ushort)(Nl.NLM_F_REQUEST | Nl.NLM_F_CREATE | Nl.NLM_F_EXCL | (ack ? Nl.NLM_F_ACK : 0)), sequence);
        uint flags = change.NoDad ? Nl.IFA_F_NODAD : 0;
        w.IfAddrMsg(FamilyOf(change), (byte)change.PrefixLength, (byte)flags, change.Scope, change.InterfaceIndex);
        w.Attribute(Nl.IFA_LOCAL, change.Address);
        w.Attribute(Nl.IFA_ADDRESS, change.Address);
        if (flags != 0)
        {
            w.Attribute(Nl.IFA_FLAGS, flags);
        }

        if (change.Broadcast is not null)
        {
            w.Attribute(Nl.IFA_BROADCAST, change.Broadcast);
        }

        if (change.Label is not null)
        {
            w.Attribute(Nl.IFA_LABEL, change.Label);
        }

        return w.Finish().Length;
    }

    /// <summary>Writes one RTM_DELADDR; returns its aligned length.</summary>
    internal static int WriteDelete(Span<byte> buffer, in AddressChange change, uint sequence, bool ack)
    {
        var w = new NetlinkWriter(buffer[..MaxRequestBytes], Nl.RTM_DELADDR,
            (ushort)(Nl.NLM_F_REQUEST | (ack ? Nl.NLM_F_ACK : 0)), sequence);
        w.IfAddrMsg(FamilyOf(change), (byte)change.PrefixLength, 0, 0, change.InterfaceIndex);
        w.Attribute(Nl.IFA_LOCAL, change.Address);
        w.Attribute(Nl.IFA_ADDRESS, change.Address);
        return w.Finish().Length;
    }

    /// <summary>
    /// Encodes <paramref name="changes"/> as consecutive requests numbered from <paramref name="firstSequence"/>, the last
    /// one with NLM_F_ACK; returns the datagram's length. <paramref name="buffer"/> holds at least
    /// <c>changes.Length * MaxRequestBytes</c> bytes.
    /// </summary>
    internal static int Encode(Span<byte> buffer, ReadOnlySpan<AddressChange> changes, bool add, uint firstSequence)
    {
        int length = 0;
        for (int i = 0; i < changes.Length; i++)
        {
            bool last = i == changes.Length - 1;
            Span<byte> slot = buffer[length..];
            length += add
                ? WriteAdd(slot, changes[i], firstSequence + (uint)i, last)
                : WriteDelete(slot, changes[i], firstSequence + (uint)i, last);
        }

        return length;
    }

    /// <summary>
    /// Applies the replies in one received datagram: an NLMSG_ERROR for request <c>firstSequence + i</c> sets
    /// <c>results[i]</c> to its code (0 or -errno). Requests before the last one that have no reply when the last one's
    /// reply arrives succeeded (they asked for no ACK), so they are set to 0 then. Returns true when the chunk is complete.
    /// Replies of other sequences (an earlier, timed-out request) are skipped.
    /// </summary>
    internal static bool ApplyReplies(ReadOnlySpan<byte> datagram, uint firstSequence, Span<int> results, ref string? lastErrorMessage)
    {
        bool done = false;
        var reader = new NetlinkMessageReader(datagram);
        while (reader.Next())
        {
            uint index = reader.Sequence - firstSequence;
            if (reader.Type != Nl.NLMSG_ERROR || index >= (uint)results.Length || results[(int)index] != Pending)
            {
                continue;
            }

            int error = reader.ErrorCode;
            results[(int)index] = error;
            if (error != 0 && (reader.Flags & Nl.NLM_F_ACK_TLVS) != 0)
            {
                lastErrorMessage = RtNetlink.ExtendedAckMessage(reader.Payload, (reader.Flags & Nl.NLM_F_CAPPED) != 0) ?? lastErrorMessage;
            }

            if (index == (uint)results.Length - 1)
            {
                done = true;
            }
        }

        if (done)
        {
            for (int i = 0; i < results.Length; i++)
            {
                if (results[i] == Pending)
                {
                    results[i] = 0;
                }
            }
        }

        return done;
    }

    private static byte FamilyOf(in AddressChange change) =>
        (byte)(change.Address.AddressFamily == AddressFamily.InterNetwork ? Interop.Libc.AF_INET : Interop.Libc.AF_INET6);
}
