using System;
using System.Diagnostics;
using System.IO;
using BenchmarkDotNet.Attributes;
using Toolkit.XrdMon.Collector;

namespace Toolkit.Bench.Collector;

/// <summary>
/// Issue 5 item 5: the stream layer (ordering, decode, dictid maps, events) over the real corpus replayed as 512
/// synthetic servers with dictid churn and restarts. One operation = one datagram (OperationsPerInvoke); the
/// records and events per datagram are printed at setup, the peak working set at cleanup.
/// </summary>
[MemoryDiagnoser]
public class XrdMonCollectorBenchmarks
{
    private const int Datagrams = 400_000;
    private CollectorCorpus _corpus = null!;
    private long _records;
    private long _events;

    [GlobalSetup]
    public void Setup()
    {
        _corpus = new CollectorCorpus(servers: 512, Datagrams);
        using var c = new XrdMonCollector(new XrdMonCollectorOptions(), Stream.Null);
        Feed(c);
        c.Flush();
        _records = c.Counters.Records;
        _events = c.Counters.Events;
        Console.WriteLine($"// collector corpus: {Datagrams} datagrams, {_corpus.Data.Length} bytes, {_records} records, {_events} events, " +
            $"{c.Counters.Summaries} summaries, lost {c.SequenceTotals().Lost}, unresolved {c.Counters.Unresolved}, restarts {c.Counters.Restarts}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        using var self = Process.GetCurrentProcess();
        Console.WriteLine($"// peak working set {self.PeakWorkingSet64 / (1 << 20)} MiB, GC heap {GC.GetTotalMemory(false) / (1 << 20)} MiB " +
            $"(corpus buffer {_corpus.Data.Length / (1 << 20)} MiB); records/datagram {(double)_records / Datagrams:F2}, events/datagram {(double)_events / Datagrams:F2}");
    }

    /// <summary>Ordering, decode and dictid maps only (no output): the stream layer itself.</summary>
    [Benchmark(OperationsPerInvoke = Datagrams)]
    public long StreamLayer()
    {
        using var c = new XrdMonCollector(new XrdMonCollectorOptions { Events = false, Summaries = false }, null);
        Feed(c);
        return c.Counters.Records;
    }

    /// <summary>Stream layer plus per-file-access summary records as JSON lines (to a null stream).</summary>
    [Benchmark(OperationsPerInvoke = Datagrams)]
    public long Summaries()
    {
        using var c = new XrdMonCollector(new XrdMonCollectorOptions { Events = false }, Stream.Null);
        Feed(c);
        return c.Counters.Summaries;
    }

    /// <summary>Stream layer plus every resolved event (traces included) and summaries as JSON lines (to a null stream).</summary>
    [Benchmark(OperationsPerInvoke = Datagrams)]
    public long Events()
    {
        using var c = new XrdMonCollector(new XrdMonCollectorOptions(), Stream.Null);
        Feed(c);
        return c.Counters.Events;
    }

    private void Feed(XrdMonCollector c)
    {
        for (int s = 0; s < _corpus.Servers; s++)
        {
            c.RegisterSender($"10.0.{s >> 8}.{s & 0xff}:1094");
        }

        CollectorCorpus corpus = _corpus;
        for (int i = 0; i < corpus.Count; i++)
        {
            c.Process(corpus[i], corpus.Senders[i], i);
        }
    }
}
