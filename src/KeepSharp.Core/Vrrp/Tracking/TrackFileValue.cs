namespace KeepSharp.Vrrp.Tracking;

/// <summary>
/// How keepalived reads a tracked file (trackers/track_file.c <c>process_track_file</c>): the first 127 bytes,
/// <c>strtol(buf, NULL, 0)</c> (leading white space, a sign, <c>0x</c> hex or <c>0</c> octal, up to the first other
/// character; no digits reads as 0), and a value outside INT32_MIN..INT32_MAX+1 or an overflow is ignored (the last
/// value stays). A missing or empty file reads as 0, as does a deleted one.
/// </summary>
public static class TrackFileValue
{
    /// <summary>keepalived reads into a 128-byte buffer, leaving room for the terminator.</summary>
    public const int MaxBytes = 127;

    /// <summary>The value of a file's <paramref name="content"/> (null when the file is missing: 0).</summary>
    /// <returns>The value, or null when keepalived logs "Invalid number ... - ignoring" and keeps the last one.</returns>
    public static long? Parse(ReadOnlySpan<byte> content)
    {
        if (content.Length > MaxBytes)
            content = content[..MaxBytes];
        int nul = content.IndexOf((byte)0);
        if (nul >= 0)
            content = content[..nul];
        int i = 0;
        while (i < content.Length && IsSpace(content[i]))
            i++;
        bool negative = false;
        if (i < content.Length && content[i] is (byte)'+' or (byte)'-')
            negative = content[i++] == '-';
        int radix = 10;
        if (i + 1 < content.Length && content[i] == '0' && (content[i + 1] | 0x20) == 'x' && i + 2 < content.Length && Digit(content[i + 2]) < 16)
        {
            radix = 16;
            i += 2;
        }
        else if (i < content.Length && content[i] == '0')
        {
            radix = 8;
        }
        // strtol accumulates in a long: past LONG_MAX it overflows (ERANGE), which keepalived ignores.
        ulong magnitude = 0;
        for (; i < content.Length && Digit(content[i]) < radix; i++)
        {
            magnitude = magnitude * (ulong)radix + (ulong)Digit(content[i]);
            if (magnitude > (ulong)long.MaxValue + 1)
                return null;
        }
        if (!negative && magnitude > long.MaxValue)
            return null;
        long value = negative ? (long)(0 - magnitude) : (long)magnitude;
        return value < int.MinValue || value > (long)int.MaxValue + 1 ? null : value;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';

    private static int Digit(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'z' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'Z' => b - 'A' + 10,
        _ => 99,
    };
}
