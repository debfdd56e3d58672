using System;
using System.Diagnostics;
using System.IO;
using BenchmarkDotNet.Attributes;
using Toolkit.Bench.Collector;
using Toolkit.XrdMon.Collector;
using Toolkit.XrdMon.Tests.Legacy;

namespace Toolkit.Bench.XrdMon;

/// <summary>
/// Issue 15 item 5: <c>xrdmon listen</c>'s outputs, the collector over the replay corpus of
/// <see cref="XrdMonCollectorBenchmarks"/> (400,000 datagrams from 512 synthetic servers) writing to a null stream,
/// with the <see cref="System.Text.Json.Utf8JsonWriter"/> event writer (before, frozen in
/// tests/Toolkit.XrdMon.Tests/Legacy) and the line-buffer one (after). One operation = one datagram.
/// </summary>
[MemoryDiagnoser]
public class XrdMonEventWriterBenchmarks
{
    private const int Datagrams = 400_000;
    private CollectorCorpus _corpus = null!;

    [GlobalSetup]
    public void Setup() => _corpus = new CollectorCorpus(servers: 512, Datagrams);

    /// <summary>Before, <c>listen</c>'s default output: every event and summary, Utf8JsonWriter.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Datagrams)]
    public long EventsBefore() => Run(_corpus, events: true, legacy: true);

    /// <summary>After, <c>listen</c>'s default output: every event and summary, line buffer.</summary>
    [Benchmark(OperationsPerInvoke = Datagrams)]
    public long EventsAfter() => Run(_corpus, events: true, legacy: false);

    /// <summary>Before, <c>listen --summaries</c>.</summary>
    [Benchmark(OperationsPerInvoke = Datagrams)]
    public long SummariesBefore() => Run(_corpus, events: false, legacy: true);

    /// <summary>After, <c>listen --summaries</c>.</summary>
    [Benchmark(OperationsPerInvoke = Datagrams)]
    public long SummariesAfter() => Run(_corpus, events: false, legacy: false);

    /// <summary>A Stopwatch harness for perf and CPU-time A/B runs: <c>events-probe PASSES events|summaries before|after</c>.</summary>
    /// <param name="args">Passes, output, writer.</param>
    /// <returns>The exit code.</returns>
    public static int Probe(string[] args)
    {
        int passes = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
        bool events = args[1] == "events";
        bool legacy = args[2] == "before";
        var corpus = new CollectorCorpus(servers: 512, Datagrams);
        for (int pass = 0; pass < passes; pass++)
        {
            var clock = Stopwatch.StartNew();
            long n = Run(corpus, events, legacy);
            Console.WriteLine($"{args[1]} {args[2]}: {clock.Elapsed.TotalMilliseconds * 1000 / Datagrams:F3} µs per datagram ({n} lines)");
        }

        return 0;
    }

    private static long Run(CollectorCorpus corpus, bool events, bool legacy)
    {
        var options = new XrdMonCollectorOptions { Events = events, Summaries = true };
        using var c = legacy ? new XrdMonCollector(options, counters => new LegacyXrdMonEventWriter(Stream.Null, counters), null) : new XrdMonCollector(options, Stream.Null);
        for (int s = 0; s < corpus.Servers; s++)
        {
            c.RegisterSender($"10.0.{s >> 8}.{s & 0xff}:1094");
        }

        for (int i = 0; i < corpus.Count; i++)
        {
            c.Process(corpus[i], corpus.Senders[i], i);
        }

        c.Flush();
        return c.Counters.Events;
    }
}
