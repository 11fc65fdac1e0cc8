using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux;

/// <summary>
/// Up to <see cref="Capacity"/> frames of one length to one link-layer destination, sent with one <c>sendmmsg</c>:
/// the frames (pinned, each a copy of a template the caller patches in place), their iovecs and mmsghdrs are allocated
/// once, so a burst of announcements costs one system call per <see cref="Capacity"/> frames and no allocation.
/// </summary>
internal sealed unsafe class PacketBatch : IDisposable
{
    public const int Capacity = 64;

    private readonly byte[] _frames;
    private readonly int _frameLength;
    private Libc.MMsgHdr* _messages;

    public PacketBatch(ReadOnlySpan<byte> template, SocketAddress destination)
    {
        _frameLength = template.Length;
        _frames = GC.AllocateArray<byte>(Capacity * _frameLength, pinned: true);
        int addressLength = destination.Size;
        nuint bytes = (nuint)(Capacity * (sizeof(Libc.MMsgHdr) + sizeof(Libc.IoVec)) + addressLength);
        byte* memory = (byte*)NativeMemory.AllocZeroed(bytes);
        _messages = (Libc.MMsgHdr*)memory;
        var iov = (Libc.IoVec*)(memory + Capacity * sizeof(Libc.MMsgHdr));
        byte* address = (byte*)(iov + Capacity);
        destination.Buffer.Span[..addressLength].CopyTo(new Span<byte>(address, addressLength));
        byte* frames = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_frames));
        for (int i = 0; i < Capacity; i++)
        {
            template.CopyTo(Frame(i));
            iov[i].Base = frames + i * _frameLength;
            iov[i].Length = (nuint)_frameLength;
            _messages[i].Header.Name = address;
            _messages[i].Header.NameLength = (uint)addressLength;
            _messages[i].Header.Iov = &iov[i];
            _messages[i].Header.IovLength = 1;
        }
    }

    /// <summary>Frame <paramref name="index"/>, to patch before <see cref="Send"/>.</summary>
    public Span<byte> Frame(int index) => _frames.AsSpan(index * _frameLength, _frameLength);

    /// <summary>Sends frames 0 .. <paramref name="count"/>-1; returns how many left (see <see cref="PacketSocket.TrySendMany"/>).</summary>
    public int Send(Socket socket, int count, out SocketError error)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Capacity);
        ObjectDisposedException.ThrowIf(_messages is null, this);
        return PacketSocket.TrySendMany(socket, _messages, count, out error);
    }

    public void Dispose()
    {
        NativeMemory.Free(_messages);
        _messages = null;
    }
}
