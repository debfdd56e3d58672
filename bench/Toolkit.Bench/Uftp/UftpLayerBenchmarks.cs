using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using Toolkit.Unicore.Uftp;

namespace Toolkit.Bench.Uftp;

/// <summary>The UFTP data layers in memory: 1 MiB framed over 4 streams through no cipher, AES or Blowfish (one lane's share).</summary>
[MemoryDiagnoser]
public class UftpLayerBenchmarks
{
    private readonly byte[] _batch = new byte[1 << 20];
    private DataLane _lane = null!;

    [Params("plain", "aes", "blowfish")]
    public string Mode { get; set; } = "plain";

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_batch);
        var enc = Mode switch
        {
            "aes" => UftpEncryption.Generate(UftpCipherAlgorithm.Aes),
            "blowfish" => UftpEncryption.Generate(UftpCipherAlgorithm.Blowfish),
            _ => null,
        };
        _lane = new DataLane(Stream.Null, null, 0, write: true, enc, compress: false);
    }

    [GlobalCleanup]
    public void Cleanup() => _lane.Dispose();

    /// <summary>Encodes one stream's share (1/4) of a 1 MiB batch: 64 frames.</summary>
    [Benchmark]
    public void EncodeQuarterMiB() => _lane.WriteFrames(_batch, 0, 4);
}
