using System;
using System.Diagnostics;
using System.IO;
using Toolkit.XrdMon.Collector;
using Toolkit.XrdMon.Streams;
using Xunit.Abstractions;

namespace Toolkit.XrdMon.Tests;

/// <summary>
/// Issue 5 item 6: millions of real datagrams from many fake servers (run1 replayed by <see cref="XrdMonReplay"/>
/// with dictid churn and restarts), mutated (bit flips, truncations, random bytes, forged senders), reordered,
/// duplicated and dropped, through the collector. No exception may escape, the maps stay within their configured
/// bounds, the managed heap stays within <see cref="HeapBoundBytes"/>, and every counter adds up.
/// </summary>
public class SoakTests(ITestOutputHelper output)
{
    /// <summary>The stated bound on the managed heap (after a full collection) while soaking with <see cref="Bounded"/>.</summary>
    private const long HeapBoundBytes = 64L << 20;

    private static XrdMonCollectorOptions Bounded(bool events) => new()
    {
        Events = events,
        Summaries = events,
        SortWindow = 16,
        MaxUsers = 50_000,
        MaxFiles = 50_000,
        MaxAccesses = 50_000,
        MaxInfo = 5_000,
        MaxServers = 1024,
        MaxPendingBytes = 4 << 20,
        TimeToLive = TimeSpan.FromMinutes(10),
        EndedGrace = TimeSpan.FromSeconds(30),
    };

    /// <summary>Datagrams of the count-only soak: 10 M (set XRDMON_SOAK_DATAGRAMS to change).</summary>
    private static long SoakDatagrams => long.TryParse(Environment.GetEnvironmentVariable("XRDMON_SOAK_DATAGRAMS"), out long n) && n > 0 ? n : 10_000_000;

    [Fact]
    public void Ten_million_hostile_datagrams_keep_the_collector_bounded_and_its_counters_consistent()
    {
        Soak(Bounded(events: false), null, SoakDatagrams, seed: 5);
    }

    [Fact]
    public void Hostile_datagrams_through_the_event_writer_never_throw_and_unresolved_events_are_counted()
    {
        XrdMonCollector c = Soak(Bounded(events: true), Stream.Null, 500_000, seed: 6);
        Assert.True(c.Counters.Events > 500_000);
        Assert.True(c.Counters.Summaries > 0);
        Assert.True(c.Counters.Unresolved > 0);
    }

    private XrdMonCollector Soak(XrdMonCollectorOptions options, Stream? sink, long datagrams, int seed)
    {
        byte[][][] captures = [XrdMonReplay.ReadCapture(TestData.Path("run1/origin.xrdmon")), XrdMonReplay.ReadCapture(TestData.Path("run1/proxy.xrdmon"))];
        var replay = new XrdMonReplay(captures, servers: 300) { RestartEvery = 5 };
        var random = new Random(seed);
        var log = new StringWriter();
        var c = new XrdMonCollector(options, sink, log);
        const int ForgedSenders = 2000;
        for (int id = 0; id < 300 + ForgedSenders; id++)
        {
            c.RegisterSender($"10.{id >> 16}.{(id >> 8) & 0xff}.{id & 0xff}:1094");
        }

        var current = new byte[65536];
        var held = new byte[65536];
        int heldLength = -1, heldSender = 0;
        long fed = 0, dropped = 0, now = TimeSpan.FromDays(1).Ticks, nextExpire = now;
        long heapStart = GC.GetTotalMemory(forceFullCollection: true), heapPeak = 0;
        long checkpoint = Math.Max(1, datagrams / 8);
        var clock = Stopwatch.StartNew();

        void Feed(ReadOnlySpan<byte> d, int sender)
        {
            try
            {
                c.Process(d, sender, now);
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException($"datagram {fed} (seed {seed}, sender {sender}) threw: {Convert.ToHexString(d)}\n{ex}");
            }

            fed++;
        }

        for (long i = 0; i < datagrams; i++)
        {
            now += 1000; // 100 µs per datagram: the time bounds (TTL, grace) come into play during the run
            int length = replay.Next(current, out int sender);
            Span<byte> d = current.AsSpan(0, length);
            int roll = random.Next(1000);
            if (roll < 10)
            {
                dropped++;
                continue; // UDP loss
            }

            if (roll < 50)
            {
                for (int flips = random.Next(1, 4); flips > 0; flips--)
                {
                    d[random.Next(length)] ^= (byte)(1 << random.Next(8));
                }
            }
            else if (roll < 70)
            {
                length = random.Next(length);
                d = d[..length];
                if (random.Next(2) == 0 && length >= 4)
                {
                    d[2] = (byte)(length >> 8); // a consistent plen: the body itself is cut short
                    d[3] = (byte)length;
                }
            }
            else if (roll < 80)
            {
                length = random.Next(0, 300);
                d = current.AsSpan(0, length);
                random.NextBytes(d);
                if (length > 0 && random.Next(2) == 0)
                {
                    d[0] = "=dfgiprtuUx"u8[random.Next(11)];
                }
            }
            else if (roll < 85)
            {
                sender = 300 + random.Next(ForgedSenders);
            }

            if (heldLength < 0 && random.Next(100) < 5)
            {
                d.CopyTo(held); // overtaken by the next datagram
                heldLength = d.Length;
                heldSender = sender;
                continue;
            }

            Feed(d, sender);
            if (random.Next(100) < 3)
            {
                Feed(d, sender); // duplicated
            }

            if (heldLength >= 0)
            {
                Feed(held.AsSpan(0, heldLength), heldSender);
                heldLength = -1;
            }

            if (now >= nextExpire)
            {
                c.Expire(now);
                nextExpire = now + TimeSpan.FromSeconds(60).Ticks;
            }

            if ((i + 1) % checkpoint == 0)
            {
                long heap = GC.GetTotalMemory(forceFullCollection: true) - heapStart;
                heapPeak = Math.Max(heapPeak, heap);
                output.WriteLine($"{i + 1,10} datagrams  heap +{heap >> 20} MiB  users {c.UserCount} paths {c.PathCount} accesses {c.AccessCount} info {c.InfoCount} servers {c.ServerCount} pending {c.PendingBytes} B  {clock.Elapsed.TotalSeconds:F1} s");
                AssertBounded(c, options);
                Assert.True(heap < HeapBoundBytes, $"managed heap grew by {heap >> 20} MiB (bound {HeapBoundBytes >> 20} MiB)");
                CollectorHarness.AssertCountersAddUp(c);
            }
        }

        if (heldLength >= 0)
        {
            Feed(held.AsSpan(0, heldLength), heldSender);
        }

        c.Flush();
        XrdMonCollectorCounters k = c.Counters;
        SequenceCounters s = c.SequenceTotals();
        output.WriteLine($"fed {fed} (dropped {dropped}); decoded {k.Decoded}, decode errors {k.DecodeErrors}, rejected {k.Rejected}, duplicates {s.Duplicates}, late {s.Late}, " +
            $"lost {s.Lost}, reordered {s.Reordered}, restarts {k.Restarts}, pending overflows {k.PendingOverflows}, records {k.Records}, events {k.Events}, unresolved {k.Unresolved}; " +
            $"peak heap +{heapPeak >> 20} MiB; {clock.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(log.ToString());

        // Every datagram in is accounted for exactly once, and nothing is left waiting after the flush.
        Assert.Equal(fed, k.Datagrams);
        Assert.Equal(0, c.Pending);
        Assert.Equal(0, c.PendingBytes);
        Assert.Equal(k.Datagrams, k.Rejected + k.Decoded + k.DecodeErrors + s.Duplicates + s.Late);
        CollectorHarness.AssertCountersAddUp(c);
        AssertBounded(c, options);

        // The hostile mix reached every path: rejection, decode errors, duplicates, loss, reordering, restarts.
        Assert.True(k.Rejected > 0 && k.DecodeErrors > 0 && s.Duplicates > 0 && s.Lost > 0 && s.Reordered > 0 && s.Late > 0 && k.Restarts > 0);
        Assert.True(k.Decoded > fed / 2, $"only {k.Decoded} of {fed} decoded");

        // Malformed datagrams are logged once per kind, not once per datagram.
        string[] lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(k.ErrorsByReason.Count, lines.Length);
        c.Dispose();
        return c;
    }

    private static void AssertBounded(XrdMonCollector c, XrdMonCollectorOptions o)
    {
        Assert.InRange(c.UserCount, 0, o.MaxUsers);
        Assert.InRange(c.PathCount, 0, o.MaxFiles);
        Assert.InRange(c.AccessCount, 0, o.MaxAccesses);
        Assert.InRange(c.InfoCount, 0, o.MaxInfo);
        Assert.InRange(c.ServerCount, 0, o.MaxServers);
        Assert.InRange(c.EndedWaiting, 0, Math.Max(1024, c.UserCount + c.PathCount));
        Assert.InRange(c.PendingBytes, 0, o.MaxPendingBytes + 65535);
    }
}
