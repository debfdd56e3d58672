using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Toolkit.XrdMon.Collector;
using Toolkit.XrdMon.Wlcg;

namespace Toolkit.XrdMon.Tests.Bus;

/// <summary>WLCG GenericFileMonitoring records from the real capture's summaries.</summary>
public sealed class WlcgRecordTests
{
    private static (List<JsonElement> Lines, List<JsonElement> Wlcg) Run(WlcgOptions options, string sender = "192.0.2.10:1094")
    {
        var output = new MemoryStream();
        var wlcg = new MemoryStream();
        using (var tap = new XrdMonRecordTapStream(output, new WlcgFileSink(wlcg), options))
        using (var c = new XrdMonCollector(new XrdMonCollectorOptions(), tap))
        {
            int id = c.RegisterSender(sender);
            foreach (byte[] d in TestData.Datagrams("origin"))
            {
                c.Process(d, id, 1);
            }

            c.Flush();
            tap.FlushAsync(default).GetAwaiter().GetResult();
        }

        static List<JsonElement> Parse(MemoryStream s) => Encoding.UTF8.GetString(s.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        return (Parse(output), Parse(wlcg));
    }

    private static readonly string[] Required =
    [
        "site_name", "fallback", "user_dn", "client_host", "client_domain", "server_host", "server_domain", "server_ip", "unique_id",
        "file_lfn", "file_size", "read_bytes", "read_single_bytes", "read_vector_bytes", "ipv6", "start_time", "end_time",
        "operation_time", "operation", "server_site", "write_bytes", "metadata",
    ];

    [Fact]
    public void Summaries_under_a_routed_prefix_become_records_with_the_converters_field_set()
    {
        (List<JsonElement> lines, List<JsonElement> wlcg) = Run(new WlcgOptions { Vos = [], PathPrefixes = ["/up/"], Host = "collector.test" });
        List<JsonElement> summaries = lines.Where(l => l.GetProperty("event").GetString() == "summary").ToList();
        Assert.NotEmpty(summaries);
        Assert.Equal(summaries.Count(s => s.TryGetProperty("lfn", out var lfn) && lfn.GetString()!.StartsWith("/up/", StringComparison.Ordinal)), wlcg.Count);
        Assert.All(summaries, s => Assert.Equal("record_id", s.EnumerateObject().First().Name));
        foreach (JsonElement w in wlcg)
        {
            foreach (string f in Required)
            {
                Assert.True(w.TryGetProperty(f, out _), "missing " + f);
            }

            Assert.Equal("192.0.2.10", w.GetProperty("server_ip").GetString());
            Assert.Equal("vm", w.GetProperty("server_host").GetString());
            Assert.Equal("UNKNOWN", w.GetProperty("site_name").GetString());
            Assert.True(w.GetProperty("fallback").GetBoolean());
            Assert.Equal(w.GetProperty("unique_id").GetString(), w.GetProperty("metadata").GetProperty("_id").GetString());
            Assert.Equal("collector.test", w.GetProperty("metadata").GetProperty("host").GetString());
            Assert.Equal(w.GetProperty("read_single_bytes").GetInt64() + w.GetProperty("read_vector_bytes").GetInt64(), w.GetProperty("read_bytes").GetInt64());
            Assert.Equal(w.GetProperty("end_time").GetInt64() - w.GetProperty("start_time").GetInt64(), w.GetProperty("operation_time").GetInt64());
            string op = w.GetProperty("operation").GetString()!;
            Assert.Equal(w.GetProperty("read_bytes").GetInt64() > 0 ? "read" : w.GetProperty("write_bytes").GetInt64() > 0 ? "write" : "unknown", op);
            JsonElement summary = summaries.Single(s => s.GetProperty("record_id").GetString() == w.GetProperty("unique_id").GetString());
            Assert.Equal(summary.GetProperty("lfn").GetString(), w.GetProperty("file_lfn").GetString());
        }
    }

    [Fact]
    public void Record_ids_are_stable_across_runs_and_differ_per_server()
    {
        var opts = new WlcgOptions { Vos = [], PathPrefixes = ["/"] };
        var a = Run(opts).Wlcg.Select(w => w.GetProperty("unique_id").GetString()).ToList();
        var b = Run(opts).Wlcg.Select(w => w.GetProperty("unique_id").GetString()).ToList();
        var c = Run(opts, "192.0.2.11:1094").Wlcg.Select(w => w.GetProperty("unique_id").GetString()).ToList();
        Assert.NotEmpty(a);
        Assert.Equal(a, b);
        Assert.Equal(a.Count, a.Distinct().Count());
        Assert.Empty(a.Intersect(c));
        Assert.All(a, id => Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id));
    }

    [Fact]
    public void Experiment_and_activity_of_a_users_U_record_reach_its_wlcg_records()
    {
        // The real origin capture with a U record (experiment 2, activity 17) for a python client (dictid 34) right after its
        // login: the later main-stream packets are renumbered, as the server would have numbered them.
        List<byte[]> origin = TestData.Datagrams("origin");
        int login = origin.FindIndex(d => d[0] == (byte)'u' && System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(8)) == 34);
        Assert.True(login >= 0);
        string userId = Encoding.UTF8.GetString(origin[login].AsSpan(12)).Split('\n')[0];
        int stod = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(origin[login].AsSpan(4));
        var stream = new List<byte[]>();
        for (int i = 0; i < origin.Count; i++)
        {
            byte[] d = (byte[])origin[i].Clone();
            if (i > login && d[0] is not (byte)'f' and not (byte)'g')
            {
                d[1]++;
            }

            stream.Add(d);
            if (i == login)
            {
                stream.Add(Packets.Map('U', origin[login][1] + 1, stod, 900, userId, "&Uc=34&Ec=2&Ac=17"));
            }
        }

        var output = new MemoryStream();
        var wlcgOut = new MemoryStream();
        using (var tap = new XrdMonRecordTapStream(output, new WlcgFileSink(wlcgOut), new WlcgOptions { Vos = [], PathPrefixes = ["/"], Host = "h" }))
        using (var c = new XrdMonCollector(new XrdMonCollectorOptions { Events = false }, tap))
        {
            int id = c.RegisterSender("192.0.2.10:1094");
            foreach (byte[] d in stream)
            {
                c.Process(d, id, 1);
            }

            c.Flush();
            Assert.Equal(0, c.SequenceTotals().Lost);
        }

        List<JsonElement> summaries = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).Where(l => l.GetProperty("event").GetString() == "summary").ToList();
        List<JsonElement> records = Encoding.UTF8.GetString(wlcgOut.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.Equal(summaries.Count, records.Count);
        int tagged = 0;
        foreach ((JsonElement s, JsonElement r) in summaries.Zip(records))
        {
            bool ofUser = s.TryGetProperty("user", out JsonElement u) && u.TryGetProperty("pid", out JsonElement pid) && pid.GetInt64() == 23103;
            Assert.Equal(ofUser ? "2" : null, r.TryGetProperty("experiment", out JsonElement e) ? e.GetString() : null);
            Assert.Equal(ofUser ? "17" : null, r.TryGetProperty("activity", out JsonElement a) ? a.GetString() : null);
            if (ofUser)
            {
                Assert.Equal("2", u.GetProperty("experiment").GetString());
                tagged++;
            }
        }

        Assert.True(tagged > 0, "the user's accesses carry the codes");
        Assert.True(tagged < records.Count, "the other users' do not");
    }

    [Fact]
    public void The_default_rule_routes_cms_and_store_paths_only()
    {
        Assert.Empty(Run(new WlcgOptions()).Wlcg);
        static JsonElement S(string json) => JsonDocument.Parse(json).RootElement;
        var rules = new WlcgOptions();
        Assert.True(WlcgRecord.IsWlcg(S("{\"lfn\":\"/store/data/x.root\"}"), rules));
        Assert.True(WlcgRecord.IsWlcg(S("{\"lfn\":\"/user/dteam/x\"}"), rules));
        Assert.True(WlcgRecord.IsWlcg(S("{\"lfn\":\"/other\",\"user\":{\"auth\":{\"o\":\"CMS cms\"}}}"), rules));
        Assert.False(WlcgRecord.IsWlcg(S("{\"lfn\":\"/atlas/x\",\"user\":{\"auth\":{\"o\":\"atlas\"}}}"), rules));
    }

    [Fact]
    public void Dn_vo_ipv6_and_domains_follow_the_converter()
    {
        const string summary = "{\"event\":\"summary\",\"time\":1700000100,\"server\":{\"sender\":\"[2001:db8::1]:1094\",\"stod\":5,\"instance\":0,\"host\":\"xrd1.cern.ch\",\"site\":\"T2_CH_CERN\"},"
            + "\"fileid\":7,\"lfn\":\"/store/a.root\",\"user\":{\"prot\":\"xroot\",\"name\":\"u\",\"pid\":1,\"host\":\"wn1.example.org\",\"auth\":{\"n\":\"/DC=ch/CN=Some User::extra\",\"o\":\"cms cms\",\"I\":\"6\"}},"
            + "\"client_host\":\"wn1.example.org\",\"file_size\":100,\"rw\":false,\"open_time\":1700000000,\"duration\":100,\"close_time\":1700000100,\"forced\":false,"
            + "\"read_bytes\":60,\"readv_bytes\":40,\"write_bytes\":0,\"ops\":{\"read\":3,\"readv\":2,\"write\":0,\"rsegs\":8,\"rd_min\":10,\"rd_max\":30,\"rv_min\":15,\"rv_max\":25,\"wr_min\":0,\"wr_max\":0},"
            + "\"ssq\":{\"read\":1400,\"readv\":850,\"rsegs\":40,\"write\":0}}";
        JsonElement s = JsonDocument.Parse(summary).RootElement;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            WlcgRecord.Write(w, s, WlcgRecord.RecordId(s)!, new WlcgOptions { Host = "h" });
        }

        JsonElement r = JsonDocument.Parse(buffer.WrittenMemory).RootElement;
        Assert.Equal("/DC=ch/CN=Some User", r.GetProperty("user_dn").GetString());
        Assert.Equal("Some User", r.GetProperty("user").GetString());
        Assert.Equal("cms", r.GetProperty("vo").GetString());
        Assert.True(r.GetProperty("ipv6").GetBoolean());
        Assert.Equal("2001:db8::1", r.GetProperty("server_ip").GetString());
        Assert.Equal("cern.ch", r.GetProperty("server_domain").GetString());
        Assert.Equal("example.org", r.GetProperty("client_domain").GetString());
        Assert.Equal("T2_CH_CERN", r.GetProperty("site_name").GetString());
        Assert.Equal(100, r.GetProperty("read_bytes").GetInt64());
        Assert.Equal(20, r.GetProperty("read_average").GetInt64());
        Assert.Equal(3, r.GetProperty("read_operations").GetInt64());
        Assert.Equal(8, r.GetProperty("read_sigma").GetInt64()); // sqrt(1400/3 - 20^2) = 8.16
        Assert.Equal(4.0, r.GetProperty("read_vector_count_average").GetDouble());
        Assert.Equal("xroot", r.GetProperty("user_protocol").GetString());
        Assert.Equal("read", r.GetProperty("operation").GetString());
        Assert.Equal(1700000100000, r.GetProperty("metadata").GetProperty("timestamp").GetInt64());
        Assert.False(r.TryGetProperty("write_average", out _));
    }
}
