using System.Runtime.InteropServices;
using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux;

/// <summary>
/// Datagrams read by one <c>recvmmsg</c>: up to <see cref="Capacity"/> per system call, each into a fixed slot of
/// native memory (allocated once); reading allocates nothing. A datagram longer than a slot is truncated to it, as
/// <c>recvfrom</c> into a buffer of that size would. One thread.
/// </summary>
internal sealed unsafe class DatagramReceiveBatch : IDisposable
{
    /// <summary>Datagrams read per system call.</summary>
    public const int Capacity = 32;

    /// <summary>
    /// Bytes per slot: more than any valid VRRP datagram (an IPv4 header with options, 60 bytes, and a VRRPv2 advert
    /// with 255 addresses, 1036 bytes); a longer one arrives truncated and fails validation, as it would anyway.
    /// </summary>
    public const int SlotSize = 2048;

    private readonly Libc.MMsgHdr* _messages;
    private readonly Libc.IoVec* _vectors;
    private readonly byte* _slots;
    private bool _disposed;

    public DatagramReceiveBatch()
    {
        _messages = (Libc.MMsgHdr*)NativeMemory.AllocZeroed((nuint)(Capacity * sizeof(Libc.MMsgHdr)));
        _vectors = (Libc.IoVec*)NativeMemory.AllocZeroed((nuint)(Capacity * sizeof(Libc.IoVec)));
        _slots = (byte*)NativeMemory.Alloc((nuint)(Capacity * SlotSize));
        for (int i = 0; i < Capacity; i++)
        {
            _vectors[i].Base = _slots + i * SlotSize;
            _vectors[i].Length = SlotSize;
            _messages[i].Header.Iov = &_vectors[i];
            _messages[i].Header.IovLength = 1;
        }
    }

    /// <summary>Reads what is pending, without blocking: the number of datagrams read, 0 when none, or -errno.</summary>
    public int Receive(FileDescriptorHandle socket)
    {
        while (true)
        {
            int n = Libc.RecvMMsg(socket, _messages, Capacity, Libc.MSG_DONTWAIT, null);
            if (n >= 0)
            {
                return n;
            }

            int errno = Libc.LastErrno;
            if (errno == Errno.EAGAIN)
            {
                return 0;
            }

            if (errno != Errno.EINTR)
            {
                return -errno;
            }
        }
    }

    /// <summary>Datagram <paramref name="index"/> of the last <see cref="Receive"/>; valid until the next one.</summary>
    public ReadOnlySpan<byte> Datagram(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Capacity);
        return new ReadOnlySpan<byte>(_slots + index * SlotSize, (int)Math.Min(_messages[index].Length, (uint)SlotSize));
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
        NativeMemory.Free(_slots);
    }
}
