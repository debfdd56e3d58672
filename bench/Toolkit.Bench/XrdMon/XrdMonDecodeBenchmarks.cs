using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using Toolkit.XrdMon;
using Toolkit.Runtime.Binary;
using Toolkit.Runtime.Capture;

namespace Toolkit.Bench.XrdMon;

/// <summary>
/// Issue 2 item 7: decode the real corpus repeated to ~200k datagrams. One operation = the whole corpus; divide
/// the corpus size by the mean for datagrams/s, MB/s and records/s (docs/benchmarks.md).
/// </summary>
[MemoryDiagnoser]
public class XrdMonDecodeBenchmarks
{
    private XrdMonCorpus _corpus = null!;

    [GlobalSetup]
    public void Setup()
    {
        _corpus = new XrdMonCorpus();
        var v = new XrdMonRecordCounter();
        foreach (byte[] d in _corpus.Datagrams)
        {
            XrdMonRecords.Dispatch(d, ref v, out _);
        }

        Console.WriteLine($"// corpus: {_corpus.Datagrams.Length} datagrams, {_corpus.Bytes} bytes, {v.Records} records");
    }

    /// <summary>The generated readers (via XrdMonRecords.Dispatch) over the capture container: what <c>xrdmon decode</c> and the collector use.</summary>
    [Benchmark]
    public long GeneratedReaders()
    {
        var v = new XrdMonRecordCounter();
        var r = new CaptureSpanReader(_corpus.Container);
        while (r.TryRead(out ReadOnlySpan<byte> d))
        {
            XrdMonRecords.Dispatch(d, ref v, out _);
        }

        return v.Records;
    }

    /// <summary>The naive BinaryReader decoder (baseline).</summary>
    [Benchmark(Baseline = true)]
    public long NaiveBinaryReader()
    {
        long n = 0;
        foreach (byte[] d in _corpus.Datagrams)
        {
            n += NaiveXrdMonDecoder.Decode(d).Count;
        }

        return n;
    }

    /// <summary>Decode to JSON lines (the <c>xrdmon decode</c> output path), written to a null stream.</summary>
    [Benchmark]
    public long JsonLines()
    {
        using var w = new XrdMonJsonWriter(Stream.Null);
        var r = new CaptureSpanReader(_corpus.Container);
        long i = 0;
        while (r.TryRead(out ReadOnlySpan<byte> d))
        {
            w.WriteDatagram(i++, d);
        }

        return w.Records;
    }
}
