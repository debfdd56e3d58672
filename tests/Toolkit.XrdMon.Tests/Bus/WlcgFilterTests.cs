using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Toolkit.XrdMon.Collector;
using Toolkit.XrdMon.Wlcg;

namespace Toolkit.XrdMon.Tests.Bus;

/// <summary>The record drop filter (the OSG collector's <c>filter.drop_vos</c> / <c>drop_path_prefixes</c>).</summary>
public sealed class WlcgFilterTests
{
    /// <summary>A summary line as the collector writes it, with the given VO and path.</summary>
    internal static string Summary(int fileid, string? vo, string lfn, string clientHost = "wn1.example.org", string sender = "192.0.2.10:1094", string? serverHost = "xrd1.cern.ch") =>
        "{\"event\":\"summary\",\"time\":1700000100,\"server\":{\"sender\":\"" + sender + "\",\"stod\":5,\"instance\":0" + (serverHost is null ? string.Empty : ",\"host\":\"" + serverHost + "\"") + "},"
        + "\"fileid\":" + fileid + ",\"lfn\":\"" + lfn + "\",\"user\":{\"prot\":\"xroot\",\"name\":\"u\",\"pid\":1,\"host\":\"wn1\",\"auth\":{\"n\":\"/DC=ch/CN=U\""
        + (vo is null ? string.Empty : ",\"o\":\"" + vo + "\"") + "}},\"client_host\":\"" + clientHost + "\",\"file_size\":100,\"rw\":false,\"open_time\":1700000000,"
        + "\"duration\":100,\"close_time\":1700000100,\"forced\":false,\"read_bytes\":60,\"readv_bytes\":0,\"write_bytes\":0,\"ops\":{\"read\":3,\"readv\":0,\"write\":0,\"rsegs\":0}}";

    internal static (List<JsonElement> Lines, List<JsonElement> Wlcg, XrdMonRecordTapStream Tap) Tap(WlcgOptions options, IEnumerable<string> lines, ReverseDnsCache? names = null)
    {
        var output = new MemoryStream();
        var wlcg = new MemoryStream();
        var tap = new XrdMonRecordTapStream(output, new WlcgFileSink(wlcg), options, names);
        foreach (string l in lines)
        {
            tap.Write(Encoding.UTF8.GetBytes(l + "\n"));
        }

        tap.FlushAsync(default).GetAwaiter().GetResult();
        return (Parse(output), Parse(wlcg), tap);
    }

    private static List<JsonElement> Parse(MemoryStream s) => Encoding.UTF8.GetString(s.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    [Fact]
    public void Dropped_vos_and_prefixes_reach_neither_output_and_are_counted_by_reason()
    {
        string[] lines =
        [
            "{\"event\":\"open\",\"fileid\":1}",
            Summary(1, "cms", "/store/a"),
            Summary(2, " ATLAS ", "/store/b"),
            Summary(3, "atlas atlas", "/atlas/c"),
            Summary(4, null, "/tmp/scratch/d"),
            Summary(5, "dteam", "/tmp/scratchy"),
            Summary(6, "dteam", "/tmp/e"),
        ];
        var options = new WlcgOptions { DropVos = ["Atlas", ""], DropPathPrefixes = [" /tmp/scratch", ""] };
        (List<JsonElement> kept, List<JsonElement> wlcg, XrdMonRecordTapStream tap) = Tap(options, lines);
        Assert.Equal(["open", "summary", "summary"], kept.Select(l => l.GetProperty("event").GetString()));
        Assert.Equal([1L, 6L], kept.Skip(1).Select(l => l.GetProperty("fileid").GetInt64()));
        Assert.Equal(2, tap.DroppedVo);
        Assert.Equal(2, tap.DroppedPathPrefix); // /tmp/scratch/d and /tmp/scratchy: a prefix of the text, as HasPrefix
        Assert.Equal(6, tap.Summaries);
        Assert.Equal(["/store/a"], wlcg.Select(w => w.GetProperty("file_lfn").GetString()));
    }

    [Fact]
    public void The_filter_runs_before_the_wlcg_routing_and_an_empty_filter_drops_nothing()
    {
        string[] lines = [Summary(1, "cms", "/store/a"), Summary(2, "cms", "/store/b")];
        (List<JsonElement> kept, List<JsonElement> wlcg, XrdMonRecordTapStream tap) = Tap(new WlcgOptions { DropPathPrefixes = ["/store/b"] }, lines);
        Assert.Single(kept);
        Assert.Single(wlcg);
        Assert.Equal(1, tap.DroppedPathPrefix);
        (kept, wlcg, tap) = Tap(new WlcgOptions(), lines);
        Assert.Equal(2, kept.Count);
        Assert.Equal(2, wlcg.Count);
        Assert.Equal(0, tap.DroppedVo + tap.DroppedPathPrefix);
        Assert.Equal(DropReason.None, WlcgRecord.Drop(JsonDocument.Parse(Summary(1, "", "")).RootElement, new WlcgOptions { DropVos = [""], DropPathPrefixes = [""] }));
    }

    [Fact]
    public void On_the_real_capture_a_dropped_prefix_removes_exactly_its_summaries()
    {
        List<JsonElement> Run(WlcgOptions o, out XrdMonRecordTapStream tap)
        {
            var output = new MemoryStream();
            tap = new XrdMonRecordTapStream(output, new WlcgFileSink(new MemoryStream()), o);
            using (var c = new XrdMonCollector(new XrdMonCollectorOptions(), tap))
            {
                int id = c.RegisterSender("192.0.2.10:1094");
                foreach (byte[] d in TestData.Datagrams("origin"))
                {
                    c.Process(d, id, 1);
                }

                c.Flush();
            }

            tap.FlushAsync(default).GetAwaiter().GetResult();
            return Parse(output).Where(l => l.GetProperty("event").GetString() == "summary").ToList();
        }

        List<JsonElement> all = Run(new WlcgOptions(), out _);
        List<JsonElement> kept = Run(new WlcgOptions { DropPathPrefixes = ["/up/"] }, out XrdMonRecordTapStream tap);
        int under = all.Count(s => s.GetProperty("lfn").GetString()!.StartsWith("/up/", StringComparison.Ordinal));
        Assert.InRange(under, 1, all.Count - 1);
        Assert.Equal(under, tap.DroppedPathPrefix);
        Assert.Equal(all.Count - under, kept.Count);
        Assert.DoesNotContain(kept, s => s.GetProperty("lfn").GetString()!.StartsWith("/up/", StringComparison.Ordinal));
    }
}
