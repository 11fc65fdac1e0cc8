using System.Buffers.Binary;
using System.Diagnostics;

namespace KeepSharp.Tests.Vrrp;

/// <summary>Writes raw IPv4 datagrams to a classic pcap file and runs tshark's dissectors over it.</summary>
internal static class Tshark
{
    /// <summary>LINKTYPE_RAW: each record is an IP datagram without a link-layer header.</summary>
    private const uint LinkTypeRaw = 101;

    public static void WritePcap(string path, IReadOnlyList<byte[]> datagrams)
    {
        using var stream = File.Create(path);
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4); // magic, microsecond timestamps
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], 0); // thiszone
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0); // sigfigs
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 65535); // snaplen
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], LinkTypeRaw);
        stream.Write(header);
        Span<byte> record = stackalloc byte[16];
        for (int i = 0; i < datagrams.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(1_700_000_000 + i));
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)datagrams[i].Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)datagrams[i].Length);
            stream.Write(record);
            stream.Write(datagrams[i]);
        }
    }

    /// <summary>
    /// The verbose dissection of every frame of <paramref name="datagrams"/> that tshark recognises as
    /// VRRP, one string per frame, with IPv4 header checksum validation on.
    /// </summary>
    public static IReadOnlyList<string> DissectVrrp(IReadOnlyList<byte[]> datagrams)
    {
        string dir = Path.Combine(Path.GetTempPath(), "kssim-tshark-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string pcap = Path.Combine(dir, "vrrp.pcap");
            WritePcap(pcap, datagrams);
            var start = new ProcessStartInfo("tshark")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in new[] { "-n", "-r", pcap, "-V", "-o", "ip.check_checksum:TRUE", "-Y", "vrrp" })
                start.ArgumentList.Add(arg);
            // tshark wants a writable home for its profile; keep it out of the real one.
            start.Environment["HOME"] = dir;
            using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start tshark");
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(30_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("tshark did not finish in 30 s");
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"tshark exited with {process.ExitCode}: {stderr.Result}");
            return stdout.Split("\nFrame ", StringSplitOptions.RemoveEmptyEntries)
                .Where(frame => frame.Contains("Virtual Router Redundancy Protocol", StringComparison.Ordinal))
                .ToArray();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
