using System.Net.Sockets;
using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux.Sockets;

/// <summary>
/// The file of a listening Unix stream socket: created with a given mode (under a umask, so it never exists with a wider
/// one), owned by whoever creates it, a stale file of a dead daemon replaced, and removed only while it is still ours.
/// </summary>
public sealed class UnixSocketFile
{
    private const ushort TypeMask = 0xF000;
    private const ushort TypeSocket = 0xC000;

    private UnixSocketFile(string path, ulong inode, ulong device)
    {
        Path = path;
        _inode = inode;
        _device = device;
    }

    private readonly ulong _inode;
    private readonly ulong _device;

    public string Path { get; }

    /// <summary>
    /// Binds <paramref name="socket"/> to <paramref name="path"/> with permissions <paramref name="mode"/> (e.g. 0600). A socket
    /// file nobody listens on (connect is refused) is removed first. Throws <see cref="IOException"/> when another process
    /// listens there, or when the path is something other than a socket.
    /// </summary>
    public static unsafe UnixSocketFile Bind(Socket socket, string path, UnixFileMode mode)
    {
        if (TryStat(path, out ushort existing, out _, out _))
        {
            if ((existing & TypeMask) != TypeSocket)
                throw new IOException($"{path} exists and is not a socket; not replacing it");
            using (var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            {
                try
                {
                    probe.Connect(new UnixDomainSocketEndPoint(path));
                    throw new IOException($"{path} is in use: another daemon is listening on it");
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused)
                {
                    // stale: its daemon is gone
                }
            }
            if (Libc.Unlink(path) != 0 && Libc.LastErrno != Errno.ENOENT)
                throw new IOException($"cannot remove the stale socket {path}: {Errno.Describe(Libc.LastErrno)}");
        }
        uint previous = Libc.Umask(0x1FF & ~(uint)mode); // 0777 less the mode
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e)
        {
            throw new IOException($"cannot bind {path}: {e.Message}", e);
        }
        finally
        {
            Libc.Umask(previous);
        }
        // bind creates the file 0777 & ~umask: exactly the mode asked for.
        if (!TryStat(path, out ushort created, out ulong inode, out ulong device))
            throw new IOException($"{path} vanished after bind");
        if ((created & 0x1FF) != (uint)mode)
            throw new IOException($"{path} was created with mode {Convert.ToString(created & 0x1FF, 8)}, not {Convert.ToString((int)mode, 8)}");
        return new UnixSocketFile(path, inode, device);
    }

    /// <summary>Removes the file if it is still the one <see cref="Bind"/> created (not one another daemon put there since).</summary>
    public void Remove()
    {
        if (TryStat(Path, out ushort type, out ulong inode, out ulong device) && (type & TypeMask) == TypeSocket && inode == _inode && device == _device)
            Libc.Unlink(Path);
    }

    private static unsafe bool TryStat(string path, out ushort mode, out ulong inode, out ulong device)
    {
        Libc.StatxBuffer buffer;
        if (Libc.Statx(Libc.AT_FDCWD, path, Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, &buffer) != 0)
        {
            mode = 0;
            inode = device = 0;
            return false;
        }
        mode = buffer.Mode;
        inode = buffer.Inode;
        device = ((ulong)buffer.DeviceMajor << 32) | buffer.DeviceMinor;
        return true;
    }

    /// <summary>SO_PEERCRED of a connected Unix socket: the peer's pid, uid and gid when it connected.</summary>
    public static bool TryGetPeerCredentials(Socket socket, out int pid, out uint uid, out uint gid)
    {
        Span<byte> ucred = stackalloc byte[12];
        pid = 0;
        uid = gid = uint.MaxValue;
        try
        {
            if (socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred) != 12)
                return false;
        }
        catch (SocketException)
        {
            return false;
        }
        pid = BitConverter.ToInt32(ucred);
        uid = BitConverter.ToUInt32(ucred[4..]);
        gid = BitConverter.ToUInt32(ucred[8..]);
        return true;
    }

    private const int SolSocket = 1;
    private const int SoPeerCred = 17;
}
