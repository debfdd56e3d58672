using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Unicore.Uftp;

namespace Toolkit.Unicore.Tests.Uftp;

/// <summary>Runs the engine's data channel over memory streams: what each connection would carry, and back.</summary>
internal static class DataWire
{
    public static async Task<byte[][]> EncodeAsync(byte[] data, int streams, UftpEncryption? encryption, bool gzip, int writeSize = 100_000)
    {
        var ms = Enumerable.Range(0, streams).Select(_ => new MemoryStream()).ToArray();
        var lanes = ms.Select((m, i) => new DataLane(m, null, i, write: true, encryption, gzip)).ToArray();
        using var channel = new UftpDataChannel(lanes, TimeSpan.FromSeconds(10), CancellationToken.None);
        for (int off = 0; off < data.Length; off += writeSize)
        {
            await channel.WriteAsync(data.AsMemory(off, Math.Min(writeSize, data.Length - off)));
        }

        await channel.CompleteWriteAsync();
        return ms.Select(m => m.ToArray()).ToArray();
    }

    public static async Task<byte[]> DecodeAsync(byte[][] wire, UftpEncryption? encryption, bool gzip)
    {
        var lanes = wire.Select((w, i) => new DataLane(new MemoryStream(w), null, i, write: false, encryption, gzip)).ToArray();
        using var channel = new UftpDataChannel(lanes, TimeSpan.FromSeconds(10), CancellationToken.None);
        var output = new MemoryStream();
        var buffer = new byte[77_777];
        int n;
        while ((n = await channel.ReadAsync(buffer)) > 0)
        {
            output.Write(buffer, 0, n);
        }

        return output.ToArray();
    }

    /// <summary>Blocking forms for FsCheck properties (which are synchronous).</summary>
    public static byte[][] Encode(byte[] data, int streams, UftpEncryption? encryption, bool gzip)
        => Task.Run(() => EncodeAsync(data, streams, encryption, gzip)).GetAwaiter().GetResult();

    public static byte[] Decode(byte[][] wire, UftpEncryption? encryption, bool gzip)
        => Task.Run(() => DecodeAsync(wire, encryption, gzip)).GetAwaiter().GetResult();
}
