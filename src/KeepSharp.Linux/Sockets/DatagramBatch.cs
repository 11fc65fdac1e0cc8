using System.Runtime.InteropServices;
using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux;

/// <summary>
/// IPv4 datagrams queued for one <c>sendmmsg</c>: each is copied into a fixed slot of native memory with its
/// destination, and <see cref="Flush"/> sends them all in as few system calls as the kernel allows. Native memory
/// allocated once (headers, iovecs, addresses, slots); queuing and flushing allocate nothing. One thread.
/// </summary>
internal sealed unsafe class DatagramBatch : IDisposable
{
    /// <summary>Datagrams held before a flush is forced.</summary>
    public const int Capacity = 64;

    /// <summary>The largest datagram a slot holds: a VRRPv2 advert with 255 IPv4 addresses is 20 + 8 + 1020 + 8 bytes.</summary>
    public const int SlotSize = 1088;

    private readonly Libc.MMsgHdr* _messages;
    private readonly Libc.IoVec* _vectors;
    private readonly Libc.SockAddrIn* _addresses;
    private readonly byte* _slots;
    private int _count;
    private bool _disposed;

    public DatagramBatch()
    {
        _messages = (Libc.MMsgHdr*)NativeMemory.AllocZeroed((nuint)(Capacity * sizeof(Libc.MMsgHdr)));
        _vectors = (Libc.IoVec*)NativeMemory.AllocZeroed((nuint)(Capacity * sizeof(Libc.IoVec)));
        _addresses = (Libc.SockAddrIn*)NativeMemory.AllocZeroed((nuint)(Capacity * sizeof(Libc.SockAddrIn)));
        _slots = (byte*)NativeMemory.Alloc((nuint)(Capacity * SlotSize));
        for (int i = 0; i < Capacity; i++)
        {
            _vectors[i].Base = _slots + i * SlotSize;
            _messages[i].Header.Iov = &_vectors[i];
            _messages[i].Header.IovLength = 1;
            _messages[i].Header.Name = &_addresses[i];
            _messages[i].Header.NameLength = (uint)sizeof(Libc.SockAddrIn);
            _addresses[i].Family = Libc.AF_INET;
        }
    }

    /// <summary>Datagrams queued and not yet sent.</summary>
    public int Count => _count;

    public bool IsFull => _count == Capacity;

    /// <summary>Copies a datagram into the next slot; false (nothing queued) when it is larger than a slot or the batch is full.</summary>
    public bool TryAdd(ReadOnlySpan<byte> datagram, uint destinationNetworkOrder)
    {
        if (datagram.Length > SlotSize || _count == Capacity)
        {
            return false;
        }

        datagram.CopyTo(new Span<byte>(_slots + _count * SlotSize, SlotSize));
        _vectors[_count].Length = (nuint)datagram.Length;
        _addresses[_count].Address = destinationNetworkOrder;
        _count++;
        return true;
    }

    /// <summary>
    /// Sends every queued datagram on <paramref name="socket"/> and empties the batch. A datagram the kernel refuses is
    /// skipped (the rest still go); returns how many failed and, when some did, the errno of the last failure.
    /// </summary>
    public int Flush(FileDescriptorHandle socket, out int lastError)
    {
        lastError = 0;
        int failures = 0;
        int sent = 0;
        while (sent < _count)
        {
            int n = Libc.SendMMsg(socket, _messages + sent, (uint)(_count - sent), 0);
            if (n > 0)
            {
                sent += n;
                continue;
            }

            int errno = n == 0 ? Errno.EAGAIN : Libc.LastErrno;
            if (errno == Errno.EINTR)
            {
                continue;
            }

            // sendmmsg reports an error only for the first message it could not send: skip that one.
            lastError = errno;
            failures++;
            sent++;
        }

        _count = 0;
        return failures;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        NativeMemory.Free(_messages);
        NativeMemory.Free(_vectors);
        NativeMemory.Free(_addresses);
        NativeMemory.Free(_slots);
    }
}
