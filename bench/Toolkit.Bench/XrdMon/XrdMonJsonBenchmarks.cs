using System;
using System.Diagnostics;
using System.IO;
using BenchmarkDotNet.Attributes;
using Toolkit.Runtime.Capture;
using Toolkit.XrdMon;
using Toolkit.XrdMon.Tests.Legacy;

namespace Toolkit.Bench.XrdMon;

/// <summary>
/// Issue 15 item 5: <c>xrdmon decode</c> to JSON lines over the 200,100-datagram corpus of
/// <see cref="XrdMonDecodeBenchmarks"/>, before (the <see cref="System.Text.Json.Utf8JsonWriter"/> writer, frozen in
/// tests/Toolkit.XrdMon.Tests/Legacy) and after, side by side; the readers alone as the floor. One operation = the
/// whole corpus to a null stream.
/// </summary>
[MemoryDiagnoser]
public class XrdMonJsonBenchmarks
{
    private XrdMonCorpus _corpus = null!;

    [GlobalSetup]
    public void Setup()
    {
        _corpus = new XrdMonCorpus();
        Console.WriteLine($"// corpus: {_corpus.Datagrams.Length} datagrams, {_corpus.Bytes} bytes, {Current(_corpus.Container, null)} records");
    }

    /// <summary>The readers alone (<c>XrdMonRecords.Dispatch</c> with a counting visitor): the floor.</summary>
    [Benchmark]
    public long ReadersOnly()
    {
        var v = new XrdMonRecordCounter();
        var r = new CaptureSpanReader(_corpus.Container);
        while (r.TryRead(out ReadOnlySpan<byte> d))
        {
            XrdMonRecords.Dispatch(d, ref v, out _);
        }

        return v.Records;
    }

    /// <summary>Before: the Utf8JsonWriter implementation.</summary>
    [Benchmark(Baseline = true)]
    public long JsonLinesBefore() => Before(_corpus.Container);

    /// <summary>After: UTF-8 straight into the line buffer.</summary>
    [Benchmark]
    public long JsonLinesAfter() => Current(_corpus.Container, null);

    /// <summary>A Stopwatch harness for quick A/B runs and profilers: <c>json-probe [passes]</c>.</summary>
    /// <param name="args">The number of timed passes per writer (default 10).</param>
    /// <returns>The exit code.</returns>
    public static int Probe(string[] args)
    {
        int passes = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10;
        string which = args.Length > 1 ? args[1] : "both";
        var corpus = new XrdMonCorpus();
        var sizer = new CountingStream();
        long records = Current(corpus.Container, sizer);
        Console.WriteLine($"corpus: {corpus.Datagrams.Length} datagrams, {corpus.Bytes} bytes, {records} records, {sizer.Length} bytes of JSON");
        for (int pass = 0; pass < passes; pass++)
        {
            foreach (string name in new[] { "before", "after" })
            {
                if (which != "both" && which != name)
                {
                    continue;
                }

                var clock = Stopwatch.StartNew();
                long n = name == "before" ? Before(corpus.Container) : Current(corpus.Container, null);
                double ms = clock.Elapsed.TotalMilliseconds;
                Console.WriteLine($"{name,-6} {ms,8:F1} ms  {corpus.Datagrams.Length / ms / 1000:F2} M datagrams/s  {sizer.Length / ms / 1000:F0} MB/s of JSON  ({n} records)");
            }
        }

        return 0;
    }

    private static long Before(byte[] container)
    {
        using var w = new LegacyXrdMonJsonWriter(Stream.Null);
        var r = new CaptureSpanReader(container);
        long i = 0;
        while (r.TryRead(out ReadOnlySpan<byte> d))
        {
            w.WriteDatagram(i++, d);
        }

        return w.Records;
    }

    private static long Current(byte[] container, Stream? output)
    {
        using var w = new XrdMonJsonWriter(output ?? Stream.Null);
        var r = new CaptureSpanReader(container);
        long i = 0;
        while (r.TryRead(out ReadOnlySpan<byte> d))
        {
            w.WriteDatagram(i++, d);
        }

        return w.Records;
    }

    /// <summary>Counts the bytes written to it.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;
    }
}
