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

    /// <summary>
    /// The real origin capture with main-stream packets inserted right after the logins of some users (dictid -> the
    /// packets, made from their sequence number, the server start and the user's identity text); the later main-stream
    /// packets are renumbered, as the server would have numbered them.
    /// </summary>
    private static List<byte[]> OriginWith(Dictionary<uint, Func<int, int, string, byte[][]>> afterLogin)
    {
        List<byte[]> origin = TestData.Datagrams("origin");
        var stream = new List<byte[]>();
        int shift = 0;
        foreach (byte[] original in origin)
        {
            byte[] d = (byte[])original.Clone();
            bool main = d[0] is not (byte)'f' and not (byte)'g';
            if (main)
            {
                d[1] = (byte)(d[1] + shift);
            }

            stream.Add(d);
            if (d[0] == (byte)'u' && afterLogin.TryGetValue(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(8)), out var make))
            {
                string userId = Encoding.UTF8.GetString(d.AsSpan(12)).Split('\n')[0];
                byte[][] inserted = make(d[1] + 1, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(d.AsSpan(4)), userId);
                stream.AddRange(inserted);
                shift += inserted.Length;
            }
        }

        Assert.True(shift > 0, "no login to insert after");
        return stream;
    }

    private static (List<JsonElement> Summaries, List<JsonElement> Records) Collect(List<byte[]> stream, WlcgOptions options)
    {
        var output = new MemoryStream();
        var wlcgOut = new MemoryStream();
        using (var tap = new XrdMonRecordTapStream(output, new WlcgFileSink(wlcgOut), options))
        using (var c = new XrdMonCollector(new XrdMonCollectorOptions { Events = false }, tap))
        {
            int id = c.RegisterSender("192.0.2.10:1094");
            foreach (byte[] d in stream)
            {
                c.Process(d, id, 1);
            }

            c.Flush();
            Assert.Equal(0, c.SequenceTotals().Lost);
            Assert.Equal(0, c.Counters.DecodeErrors);
        }

        static List<JsonElement> Parse(MemoryStream s) => Encoding.UTF8.GetString(s.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        return (Parse(output).Where(l => l.GetProperty("event").GetString() == "summary").ToList(), Parse(wlcgOut));
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out JsonElement v) ? v.GetString() : null;

    [Fact]
    public void Crab_fields_of_an_i_records_appinfo_reach_the_users_wlcg_records()
    {
        // In the real origin capture: a CRAB appinfo for one python client (root.23103, dictid 34), an appinfo that is
        // not CRAB-shaped for another (root.23106, dictid 36), and one naming a client that never logged in. The
        // capture's own i record (root.23107, app=capture&job=1) is of a session that opened no file.
        const string crab = "162_https://glidein.cern.ch/162/190501:101553:heewon:crab:RPCEfficiency:SingleMuon:Run2018D-PromptReco-v2_0";
        List<byte[]> stream = OriginWith(new()
        {
            [34] = (seq, stod, user) => [Packets.Map('i', seq, stod, 901, user, crab)],
            [36] = (seq, stod, user) => [Packets.Map('i', seq, stod, 902, user, "cmsRun_job_with_more_parts_7"),
                                         Packets.Map('i', seq + 1, stod, 903, user.Replace("root.", "nobody.", StringComparison.Ordinal), crab)],
        });
        (List<JsonElement> summaries, List<JsonElement> records) = Collect(stream, new WlcgOptions { Vos = [], PathPrefixes = ["/"], Host = "h" });
        Assert.Equal(summaries.Count, records.Count);
        int crabs = 0, others = 0;
        foreach ((JsonElement s, JsonElement r) in summaries.Zip(records))
        {
            long pid = s.TryGetProperty("user", out JsonElement u) && u.TryGetProperty("pid", out JsonElement p) ? p.GetInt64() : 0;
            Assert.Equal(pid switch { 23103 => crab, 23106 => "cmsRun_job_with_more_parts_7", _ => null }, Text(s, "appinfo"));
            Assert.Equal(pid == 23103 ? "162" : null, Text(r, "CRAB_Id"));
            Assert.Equal(pid == 23103 ? "0" : null, Text(r, "CRAB_Retry"));
            Assert.Equal(pid == 23103 ? "190501:101553:heewon:crab:RPCEfficiency:SingleMuon:Run2018D-PromptReco-v2" : null, Text(r, "CRAB_Workflow"));
            crabs += pid == 23103 ? 1 : 0;
            others += pid == 23106 ? 1 : 0;
        }

        Assert.Equal(1, crabs);
        Assert.Equal(1, others);
    }

    [Fact]
    public void Read_vector_count_min_and_max_come_from_the_close_records_ops()
    {
        // The origin capture's one readv close: 4 readv calls of 2 to 64 segments (88 in all), as its oracle has it.
        (List<JsonElement> summaries, List<JsonElement> records) = Collect(TestData.Datagrams("origin"), new WlcgOptions { Vos = [], PathPrefixes = ["/"], Host = "h" });
        int withReadv = 0;
        foreach ((JsonElement s, JsonElement r) in summaries.Zip(records))
        {
            JsonElement ops = s.GetProperty("ops");
            if (ops.GetProperty("readv").GetInt64() > 0)
            {
                Assert.Equal((2, 64, 22.0), (r.GetProperty("read_vector_count_min").GetInt32(), r.GetProperty("read_vector_count_max").GetInt32(), r.GetProperty("read_vector_count_average").GetDouble()));
                withReadv++;
            }
            else
            {
                Assert.Equal((0, 0), (ops.GetProperty("rs_min").GetInt32(), ops.GetProperty("rs_max").GetInt32()));
                Assert.False(r.TryGetProperty("read_vector_count_min", out _));
                Assert.False(r.TryGetProperty("read_vector_count_max", out _));
            }
        }

        Assert.Equal(1, withReadv);
    }

    [Theory]
    [InlineData("162_https://glidein.cern.ch/162/190501:101553:heewon:crab:RPCEfficiency:SingleMuon:Run2018D-PromptReco-v2_0", "162", "0", "190501:101553:heewon:crab:RPCEfficiency:SingleMuon:Run2018D-PromptReco-v2")]
    [InlineData("7_workflow_3", "7", "3", "workflow")]
    [InlineData("7_a/b/c_3", "7", "3", "c")]
    [InlineData("_x/_", null, null, null)]
    [InlineData("_wf_", null, null, "wf")]
    [InlineData("1_https://a/b/_2", "1", "2", null)]
    [InlineData("ä_ö/ü_€", "ä", "€", "ü")]
    [InlineData("__", null, null, null)]
    [InlineData("a_b", null, null, null)]
    [InlineData("a_b_c_d", null, null, null)]
    [InlineData("no separators", null, null, null)]
    [InlineData("", null, null, null)]
    public void Crab_fields_split_the_appinfo_as_the_converter_does(string appInfo, string? id, string? retry, string? workflow)
    {
        JsonElement r = Record("\"appinfo\":" + JsonSerializer.Serialize(appInfo));
        Assert.Equal((id, retry, workflow), (Text(r, "CRAB_Id"), Text(r, "CRAB_Retry"), Text(r, "CRAB_Workflow")));
    }

    [Theory]
    [InlineData("\"appinfo\":17")]
    [InlineData("\"appinfo\":null")]
    [InlineData("\"appinfo\":{\"a\":\"1_2_3\"}")]
    [InlineData("\"user\":{\"appinfo\":\"1_2_3\"}")]
    public void An_appinfo_that_is_not_a_string_on_the_summary_gives_no_crab_fields(string member)
    {
        JsonElement r = Record(member);
        Assert.DoesNotContain(r.EnumerateObject(), p => p.Name.StartsWith("CRAB_", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\"readv\":2,\"rs_min\":3,\"rs_max\":9", 3, 9)]
    [InlineData("\"readv\":0,\"rs_min\":3,\"rs_max\":9", null, null)] // no readv call: no extremes, as the other _min/_max
    [InlineData("\"readv\":2", null, null)]                             // a summary written before the fields existed
    [InlineData("\"readv\":1,\"rs_min\":-32768,\"rs_max\":32767", -32768, 32767)]
    public void Read_vector_count_extremes_are_left_out_when_zero_or_without_readv(string ops, int? min, int? max)
    {
        JsonElement r = Record("\"readv_bytes\":10,\"ops\":{\"read\":0," + ops + ",\"write\":0,\"rsegs\":4}");
        Assert.Equal(min, r.TryGetProperty("read_vector_count_min", out JsonElement a) ? a.GetInt32() : null);
        Assert.Equal(max, r.TryGetProperty("read_vector_count_max", out JsonElement b) ? b.GetInt32() : null);
    }

    /// <summary>The WLCG record of a minimal summary with the given members added.</summary>
    private static JsonElement Record(string members)
    {
        JsonElement s = JsonDocument.Parse("{\"event\":\"summary\",\"server\":{\"sender\":\"192.0.2.1:1094\",\"stod\":5},\"fileid\":7,\"lfn\":\"/store/a\",\"close_time\":10," + members + "}").RootElement;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            WlcgRecord.Write(w, s, WlcgRecord.RecordId(s)!, new WlcgOptions { Host = "h" });
        }

        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
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
