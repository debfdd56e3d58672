using System;
using System.Diagnostics;
using Toolkit.Bench.XrdMon;
using Toolkit.XrdMon.Collector;
using Toolkit.TestSupport;

namespace Toolkit.Bench.Collector;

/// <summary>
/// <c>collector-memory [DATAGRAMS] [SERVERS]</c>: streams the replayed corpus (dictid churn, restarts) through one
/// count-only collector without pre-generating it and prints the working set as it goes: memory must stay flat.
/// </summary>
public static class CollectorMemoryRun
{
    public static int Run(string[] args)
    {
        long total = args.Length > 0 ? long.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20_000_000;
        int servers = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 512;
        byte[][][] captures = [XrdMonReplay.ReadCapture(XrdMonCorpus.Find("origin.xrdmon")), XrdMonReplay.ReadCapture(XrdMonCorpus.Find("proxy.xrdmon"))];
        var replay = new XrdMonReplay(captures, servers);
        var options = new XrdMonCollectorOptions { Events = false, Summaries = false };
        using var c = new XrdMonCollector(options, null);
        for (int s = 0; s < servers; s++)
        {
            c.RegisterSender($"10.0.{s >> 8}.{s & 0xff}:1094");
        }

        var buffer = new byte[65536];
        using var self = Process.GetCurrentProcess();
        var clock = Stopwatch.StartNew();
        long step = Math.Max(1, total / 10);
        TimeSpan collectorTime = TimeSpan.Zero;
        for (long i = 0; i < total; i++)
        {
            int n = replay.Next(buffer, out int sender);
            c.Process(buffer.AsSpan(0, n), sender, i);
            if ((i + 1) % step == 0)
            {
                long live = GC.GetTotalMemory(forceFullCollection: true);
                self.Refresh();
                Console.WriteLine($"{i + 1,12} datagrams {c.Counters.Records,14} records  working set {self.WorkingSet64 >> 20,5} MiB  live heap (after full GC) {live >> 20,5} MiB  " +
                    $"users {c.UserCount} paths {c.PathCount} accesses {c.AccessCount} servers {c.ServerCount}  {clock.Elapsed.TotalSeconds:F1} s");
            }
        }

        c.Flush();
        self.Refresh();
        Console.WriteLine($"peak working set {self.PeakWorkingSet64 >> 20} MiB; {c.Counters.Records / clock.Elapsed.TotalSeconds / 1e6:F1} M records/s including replay generation; " +
            $"lost {c.SequenceTotals().Lost}, decode errors {c.Counters.DecodeErrors}, restarts {c.Counters.Restarts}");
        return 0;
    }
}

/// <summary><c>collector-probe [ROUNDS]</c>: the pre-generated benchmark corpus through a count-only collector, timed (for profiling).</summary>
public static class CollectorProbe
{
    public static int Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10;
        bool events = args.Length > 1 && args[1] == "events";
        var corpus = new CollectorCorpus(512, 400_000);
        for (int r = 0; r < 3; r++)
        {
            var clock = Stopwatch.StartNew();
            var v = new Toolkit.XrdMon.XrdMonRecordCounter();
            for (int i = 0; i < corpus.Count; i++)
            {
                Toolkit.XrdMon.XrdMonRecords.Dispatch(corpus[i], ref v, out _);
            }

            Console.WriteLine($"decode only {r}: {corpus.Count / clock.Elapsed.TotalSeconds / 1e6:F2} M datagrams/s, {v.Records / clock.Elapsed.TotalSeconds / 1e6:F1} M records/s");
        }

        for (int r = 0; r < rounds; r++)
        {
            var clock = Stopwatch.StartNew();
            using var self = Process.GetCurrentProcess();
            TimeSpan cpu0 = self.TotalProcessorTime;
            TimeSpan pause0 = GC.GetTotalPauseDuration();
            int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
            using var c = events ? new XrdMonCollector(new XrdMonCollectorOptions(), System.IO.Stream.Null) : new XrdMonCollector(new XrdMonCollectorOptions { Events = false, Summaries = false }, null);
            for (int s = 0; s < corpus.Servers; s++)
            {
                c.RegisterSender($"10.0.{s >> 8}.{s & 0xff}:1094");
            }

            for (int i = 0; i < corpus.Count; i++)
            {
                c.Process(corpus[i], corpus.Senders[i], i);
            }

            self.Refresh();
            double cpu = (self.TotalProcessorTime - cpu0).TotalSeconds;
            Console.WriteLine($"round {r}: {corpus.Count / clock.Elapsed.TotalSeconds / 1e6:F2} M datagrams/s, {c.Counters.Records / clock.Elapsed.TotalSeconds / 1e6:F1} M records/s, {c.Counters.Events / clock.Elapsed.TotalSeconds / 1e6:F2} M events/s wall; " +
                $"per CPU second (all threads, GC included): {c.Counters.Records / cpu / 1e6:F1} M records/s, {c.Counters.Events / cpu / 1e6:F2} M events/s; " +
                $"GC pause {(GC.GetTotalPauseDuration() - pause0).TotalMilliseconds:F0} ms of {clock.ElapsedMilliseconds} ms, gen0/1/2 {GC.CollectionCount(0) - g0}/{GC.CollectionCount(1) - g1}/{GC.CollectionCount(2) - g2}, " +
                $"allocated {GC.GetTotalAllocatedBytes() >> 20} MiB total, users {c.UserCount} paths {c.PathCount}");
        }

        return 0;
    }
}
