using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.XrdMon.Collector;
using Toolkit.XrdMon.Tests.Legacy;

namespace Toolkit.XrdMon.Tests;

/// <summary>
/// The byte-writing collector event writer (<c>xrdmon listen</c>'s default output) writes exactly the bytes of the
/// <see cref="System.Text.Json.Utf8JsonWriter"/> writer it replaced (frozen as <see cref="LegacyXrdMonEventWriter"/>):
/// events and summaries of the real captures from several senders, damaged copies of them, and text of every byte
/// value. The summary-only fields added since (<c>appinfo</c>, <c>ops.rs_min</c>, <c>ops.rs_max</c>) are taken out at
/// their exact places by <see cref="WithoutSummaryAdditions"/> before the comparison and checked on their own. And it allocates nothing per event once a server, user and path have been written once.
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
        (byte[] current, long afterEvents) = Run(feed, options, legacy: false);
        (byte[] after, List<(string Line, string Text)> appInfos, List<(long FileId, int RsMin, int RsMax)> segments) = WithoutSummaryAdditions(current);
        Assert.True(before.Length > 20_000, "the captures produced too little output to compare: " + before.Length);
        Assert.Equal(beforeEvents, afterEvents);
        AssertSameBytes(before, after);

        // What the mapping took out is checked on its own. rs_min/rs_max: one pair per close with ops, the values the
        // legacy Python decoder's oracle (run1/*.oracle.jsonl) has for those closes, once per sender.
        List<(long, int, int)> expected = summaries
            ? [.. Enumerable.Repeat(OracleReadvSegments("origin").Concat(OracleReadvSegments("proxy")), 3).SelectMany(x => x).Order()]
            : [];
        Assert.Equal(expected, segments.Order().ToList());
        Assert.True(!summaries || segments.Any(s => s.RsMax > s.RsMin), "no close with readv segments of different counts");

        // appinfo: the capture's one i record (app=capture&job=1) is root.23107's, a session that opened no file, so no
        // summary has one (WlcgRecordTests inserts i records for users that did).
        Assert.Empty(appInfos);
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
                AssertSameBytes(Run(feed, new XrdMonCollectorOptions(), legacy: true).Json, WithoutSummaryAdditions(Run(feed, new XrdMonCollectorOptions(), legacy: false).Json).Json);
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

    /// <summary>
    /// The frozen writer predates two fields that only summaries have (docs/xrdmon-json.md): <c>appinfo</c> (the text of
    /// the user's last <c>i</c> record), which follows <c>client_host</c> (or its <c>"unresolved":"file"</c>), and <c>rs_min</c>,
    /// <c>rs_max</c> in <c>ops</c>, which follow <c>write</c>. This takes exactly those out of the summary lines, at
    /// exactly those places, and nothing else, and returns them, so that the rest is compared byte for byte and the values
    /// are checked on their own. Bytes are handled as Latin-1 text, one char per byte, so nothing else changes.
    /// </summary>
    internal static (byte[] Json, List<(string Line, string Text)> AppInfos, List<(long FileId, int RsMin, int RsMax)> Segments) WithoutSummaryAdditions(byte[] json)
    {
        var appInfos = new List<(string, string)>();
        var segments = new List<(long, int, int)>();
        string[] lines = Encoding.Latin1.GetString(json).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (!line.StartsWith("{\"event\":\"summary\",", StringComparison.Ordinal))
            {
                Assert.DoesNotContain("\"appinfo\":", line, StringComparison.Ordinal);
                Assert.DoesNotContain("\"rs_min\":", line, StringComparison.Ordinal);
                continue;
            }

            Match app = AppInfoField.Match(line);
            if (app.Success)
            {
                string text = JsonSerializer.Deserialize<string>(Encoding.Latin1.GetBytes(app.Groups[1].Value))!;
                line = line.Remove(app.Index, app.Length);
                appInfos.Add((Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(line)), text));
            }

            Match rs = ReadvSegmentFields.Match(line);
            if (rs.Success)
            {
                long fileId = long.Parse(FileIdField.Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                segments.Add((fileId, int.Parse(rs.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(rs.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)));
                line = line.Remove(rs.Index, rs.Length);
            }

            Assert.True(rs.Success == line.Contains(",\"ops\":{", StringComparison.Ordinal), "a summary's ops object without rs_min/rs_max: " + line);
            Assert.DoesNotContain("\"appinfo\":", line, StringComparison.Ordinal);
            Assert.DoesNotContain("\"rs_min\":", line, StringComparison.Ordinal);
            lines[i] = line;
        }

        return (Encoding.Latin1.GetBytes(string.Join('\n', lines)), appInfos, segments);
    }

    /// <summary>The (fileid, rsmin, rsmax) of every close with ops in a capture's oracle (the legacy Python decoder's output).</summary>
    private static IEnumerable<(long FileId, int RsMin, int RsMax)> OracleReadvSegments(string capture)
    {
        foreach (string line in File.ReadLines(System.IO.Path.Combine(TestData.Dir, capture + ".oracle.jsonl")))
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.TryGetProperty("structs", out JsonElement structs) && structs.ValueKind == JsonValueKind.Object
                && structs.GetProperty("record").TryGetProperty("records", out JsonElement records) && records.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement r in records.EnumerateArray())
                {
                    if (r.GetProperty("_type").GetString() == "FileCLS" && r.TryGetProperty("ops", out JsonElement ops) && ops.ValueKind == JsonValueKind.Object)
                    {
                        yield return (r.GetProperty("fileid").GetInt64(), ops.GetProperty("rsmin").GetInt32(), ops.GetProperty("rsmax").GetInt32());
                    }
                }
            }
        }
    }

    private static readonly Regex AppInfoField = new(@"(?<=,""client_host"":""(?:[^""\\]|\\.)*""(?:,""unresolved"":""file"")?),""appinfo"":(""(?:[^""\\]|\\.)*"")(?=,""file_size"":)", RegexOptions.CultureInvariant);

    private static readonly Regex ReadvSegmentFields = new(@"(?<=,""ops"":\{""read"":-?\d+,""readv"":-?\d+,""write"":-?\d+),""rs_min"":(-?\d+),""rs_max"":(-?\d+)(?=,""rsegs"":)", RegexOptions.CultureInvariant);

    private static readonly Regex FileIdField = new(@"^\{""event"":""summary""(?:,""time"":-?\d+)?,""server"":\{[^{}]*\},""fileid"":(\d+),", RegexOptions.CultureInvariant);

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
