using KeepSharp.Linux.Interop;

namespace KeepSharp.Linux;

/// <summary>Interface names to indexes.</summary>
public static class InterfaceIndex
{
    /// <summary>The index of <paramref name="interfaceName"/>; throws when there is no such interface.</summary>
    public static int Of(string interfaceName)
    {
        uint index = Libc.IfNameToIndex(interfaceName);
        return index != 0 ? (int)index : throw new IOException($"interface {interfaceName} does not exist");
    }
}
