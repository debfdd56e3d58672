using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Toolkit.XrdMon.Collector;
using Toolkit.XrdMon.Wlcg;

namespace Toolkit.XrdMon.Tests.Bus;

/// <summary>
/// A file access keeps its record id whichever collector closes it: the id is made from the close's own datagram (the
/// sender, the header's <c>stod</c>, the close record's file id, the packet's TOD time), never from state learnt earlier.
/// </summary>
public sealed class RecordIdFailoverTests
{
    private const string Sender = "192.0.2.20:1094";

    /// <summary>Runs datagrams through a fresh collector; <paramref name="flush"/> false is a collector that dies (waiting datagrams never come out).</summary>
    private static List<JsonElement> Summaries(IEnumerable<byte[]> datagrams, bool flush)
    {
        var output = new MemoryStream();
        using (var tap = new XrdMonRecordTapStream(output, null))
        {
            var c = new XrdMonCollector(new XrdMonCollectorOptions { Events = false, Summaries = true }, tap);
            int id = c.RegisterSender(Sender);
            foreach (byte[] d in datagrams)
            {
                c.Process(d, id, 1);
            }

            if (flush)
            {
                c.Flush();
            }
            else
            {
                c.FlushOutput();
            }
        }

        return Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    private static string Id(JsonElement summary) => summary.GetProperty("record_id").GetString()!;

    [Fact]
    public void Every_failover_point_gives_the_single_collectors_record_ids_though_the_survivor_lacks_the_dead_ones_state()
    {
        List<byte[]> stream = TestData.Datagrams("origin");
        List<JsonElement> reference = Summaries(stream, flush: true);
        var expected = reference.Select(Id).ToHashSet();
        Assert.True(expected.Count >= 10);
        Assert.Equal(reference.Count, expected.Count);
        bool sawUnresolved = false;
        for (int cut = 0; cut <= stream.Count; cut++)
        {
            // The dead collector processed datagrams before the cut; the survivor gets the stream from the cut, or from up to
            // 20 datagrams earlier (messages the dead one had not acknowledged are delivered again).
            List<JsonElement> dead = Summaries(stream.Take(cut), flush: false);
            foreach (int from in new[] { cut, cut - 1, cut - 5, cut - 20 }.Where(f => f >= 0).Distinct())
            {
                List<JsonElement> survivor = Summaries(stream.Skip(from), flush: true);
                var got = dead.Concat(survivor).Select(Id).ToHashSet();
                Assert.True(expected.SetEquals(got), $"cut {cut}, survivor from {from}: missing {string.Join(", ", expected.Except(got))}; not in the reference {string.Join(", ", got.Except(expected))}");
                sawUnresolved |= survivor.Any(s => s.TryGetProperty("unresolved", out _));
            }
        }

        // The survivor's summaries did lack state (user or file unresolved) at some cuts, and their ids still matched.
        Assert.True(sawUnresolved);
    }

    [Fact]
    public void A_redelivered_close_gets_the_same_id_in_another_collector()
    {
        List<byte[]> stream = TestData.Datagrams("origin");
        var reference = Summaries(stream, flush: true).ToDictionary(s => s.GetProperty("fileid").GetUInt32(), Id);
        foreach ((byte[] f, int i) in stream.Select((d, i) => (d, i)).Where(x => x.d[0] == (byte)'f'))
        {
            // Only the f-stream packet itself: no ident, no map records, no open: every close in it keeps its id.
            List<JsonElement> alone = Summaries([f], flush: true);
            Assert.All(alone, s => Assert.Equal(reference[s.GetProperty("fileid").GetUInt32()], Id(s)));
            Assert.All(alone, s => Assert.True(s.TryGetProperty("unresolved", out _) || s.TryGetProperty("lfn", out _), $"packet {i}"));
        }
    }
}
