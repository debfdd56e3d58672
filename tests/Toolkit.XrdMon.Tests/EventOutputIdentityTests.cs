using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.XrdMon.Collector;
using Toolkit.XrdMon.Tests.Legacy;

namespace Toolkit.XrdMon.Tests;

/// <summary>
/// The byte-writing collector event writer (<c>xrdmon listen</c>'s default output) writes exactly the bytes of the
/// <see cref="System.Text.Json.Utf8JsonWriter"/> writer it replaced (frozen as <see cref="LegacyXrdMonEventWriter"/>):
/// events and summaries of the real captures from several senders, damaged copies of them, and text of every byte
/// value. And it allocates nothing per event once a server, user and path have been written once.
/// </summary>
public sealed class EventOutputIdentityTests
{
    private static readonly byte[][] Origin = TestData.Datagrams("origin").ToArray();
    private static readonly byte[][] Proxy = TestData.Datagrams("proxy").ToArray();

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void The_real_captures_give_the_same_events_as_before(bool events, bool summaries)
    {
        var options = new XrdMonCollectorOptions { Events = events, Summaries = summaries };
        var feed = new List<(int, byte[])>();
        for (int sender = 0; sender < 3; sender++)
        {
            feed.AddRange(Origin.Select(d => (2 * sender, d)));
            feed.AddRange(Proxy.Select(d => ((2 * sender) + 1, d)));
        }

        (byte[] before, long beforeEvents) = Run(feed, options, legacy: true);
        (byte[] after, long afterEvents) = Run(feed, options, legacy: false);
        Assert.True(before.Length > 20_000, "the captures produced too little output to compare: " + before.Length);
        Assert.Equal(beforeEvents, afterEvents);
        AssertSameBytes(before, after);
    }

    [Fact]
    public void Damaged_real_datagrams_give_the_same_events_as_before()
    {
        byte[][] all = [.. Origin, .. Proxy];
        Prop.ForAll(
            Gen.ArrayOf(Gen.Zip(Gen.Choose(0, all.Length - 1), Gen.Zip(Gen.Choose(0, 1 << 16), ArbMap.Default.GeneratorFor<byte>()))).ToArbitrary(),
            edits =>
            {
                // The captures in order (so the maps fill), with some datagrams damaged in place.
                var damaged = all.Select(d => (byte[])d.Clone()).ToArray();
                foreach ((int index, (int at, byte value)) in edits)
                {
                    byte[] d = damaged[index];
                    d[8 + ((at % Math.Max(1, d.Length - 8)) % (d.Length - 8))] = value;
                }

                var feed = damaged.Select(d => (0, d)).ToList();
                AssertSameBytes(Run(feed, new XrdMonCollectorOptions(), legacy: true).Json, Run(feed, new XrdMonCollectorOptions(), legacy: false).Json);
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Text_of_every_byte_value_is_written_as_before()
    {
        var feed = new List<(int, byte[])>();
        int pseq = 0;
        for (int b = 0; b < 256; b++)
        {
            string s = Encoding.Latin1.GetString([(byte)'x', (byte)b, (byte)'y']);
            feed.Add((0, Packets.Map('u', pseq++ & 0xFF, 1, (uint)(100 + b), Packets.UserId("u" + s), "&p=gsi&n=" + s + "&h=h" + s)));
            feed.Add((0, Packets.Map('i', pseq++ & 0xFF, 1, (uint)(1000 + b), Packets.UserId("u" + b), "info" + s)));
            feed.Add((0, Packets.GStream((b + 1) & 0xFF, 1, (char)b, "{\"a\":1}\n" + s + "\n[1,2]\n")));
        }

        feed.Add((0, Packets.GStream(0, 1, 'P', "{\"a\":1}  \n not json \"quoted\"\n[1,2]\n{\"b\":\u00e9}\n\t\n/é/ü/\u2028/\U0001F600/\uFEFF/<a&b>'`+/\u00AD/\u0378")));
        AssertSameBytes(Run(feed, new XrdMonCollectorOptions(), legacy: true).Json, Run(feed, new XrdMonCollectorOptions(), legacy: false).Json);
    }

    [Fact]
    public void Writing_events_allocates_nothing_in_steady_state()
    {
        // Every event the captures produce is written once (which encodes the server, user and path objects once),
        // then 20 more times with the allocated bytes counted. As AllocationTests: the runtime may allocate while
        // tiering the code up, a writer that allocates per event does so in every window.
        var windows = new long[5];
        for (int w = 0; w < windows.Length; w++)
        {
            using var counting = new CountingOutput(new XrdMonEventWriter(Stream.Null, new XrdMonCollectorCounters()), repeats: 20);
            using var c = new XrdMonCollector(new XrdMonCollectorOptions(), _ => counting, null);
            c.RegisterSender("192.0.2.1:1094");
            c.RegisterSender("192.0.2.2:1094");
            foreach (byte[] d in Origin)
            {
                c.Process(d, 0, 1);
            }

            foreach (byte[] d in Proxy)
            {
                c.Process(d, 1, 1);
            }

            c.Flush();
            Assert.True(counting.Calls > 1_000, "too few events: " + counting.Calls);
            windows[w] = counting.Allocated;
            if (windows[w] == 0)
            {
                break;
            }
        }

        Assert.True(windows.Contains(0), "every window allocated: " + string.Join(", ", windows) + " bytes");
    }

    private static (byte[] Json, long Events) Run(List<(int Sender, byte[] Datagram)> feed, XrdMonCollectorOptions options, bool legacy)
    {
        var ms = new MemoryStream();
        using (var c = legacy
            ? new XrdMonCollector(options, counters => new LegacyXrdMonEventWriter(ms, counters), null)
            : new XrdMonCollector(options, ms, null))
        {
            for (int s = 0; s < 6; s++)
            {
                c.RegisterSender("192.0.2." + s + ":1094");
            }

            long now = TimeSpan.FromDays(1).Ticks;
            foreach ((int sender, byte[] d) in feed)
            {
                c.Process(d, sender, now);
                now += TimeSpan.TicksPerMillisecond;
            }

            c.Flush();
            return (ms.ToArray(), c.Counters.Events);
        }
    }

    private static void AssertSameBytes(byte[] expected, byte[] actual)
    {
        int n = Math.Min(expected.Length, actual.Length);
        int first = 0;
        while (first < n && expected[first] == actual[first])
        {
            first++;
        }

        if (first == n && expected.Length == actual.Length)
        {
            return;
        }

        int from = Math.Max(0, first - 160);
        string Show(byte[] b) => Encoding.UTF8.GetString(b, from, Math.Min(b.Length - from, 320));
        Assert.Fail($"output differs at byte {first} of {expected.Length} (before) / {actual.Length} (after)\nbefore: {Show(expected)}\nafter:  {Show(actual)}");
    }
}
