using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Toolkit.Runtime.Capture;

namespace Toolkit.Cli.Tests;

public class XrdmonDecodeTests
{
    private static string Data(string relative) => Path.Combine(AppContext.BaseDirectory, "testdata", "xrdmon", relative);

    internal static List<JsonElement> Decode(params string[] files)
    {
        var output = new MemoryStream();
        var log = new StringWriter();
        int rc = XrdmonDecode.Run(files, "jsonl", output, log);
        Assert.Equal(0, rc);
        return ParseLines(output.ToArray());
    }

    internal static List<JsonElement> ParseLines(byte[] jsonl) =>
        Encoding.UTF8.GetString(jsonl).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();

    private static string S(JsonElement e, string name) => e.GetProperty(name).GetString()!;

    private static long L(JsonElement e, string name) => e.GetProperty(name).GetInt64();

    [Fact]
    public void Events_report_a_corrupt_capture_in_one_line_and_go_on_with_the_next_file()
    {
        // Issue 17, defect 3: --events let CaptureFormatException escape (stack trace, later files never read).
        // A length prefix of 0xFFFFFFFF at byte 0 is corrupt in a deterministic way.
        string dir = Directory.CreateTempSubdirectory("toolkit-corrupt-").FullName;
        try
        {
            string bad = Path.Combine(dir, "r");
            File.WriteAllBytes(bad, Enumerable.Repeat((byte)0xFF, 100).ToArray());
            string proxy = Data("run1/proxy.xrdmon");

            var plainLog = new StringWriter();
            int plainRc = XrdmonDecode.Run([bad, proxy], "jsonl", new MemoryStream(), plainLog);
            Assert.Equal(1, plainRc);

            var events = new MemoryStream();
            var log = new StringWriter();
            int rc = XrdmonDecode.RunEvents([bad, proxy], "jsonl", XrdmonCommands.CollectorOptions(summariesOnly: false, window: 0), events, log);
            Assert.Equal(plainRc, rc);
            string[] errors = log.ToString().Split('\n').Where(l => l.StartsWith("xrdmon decode: ", StringComparison.Ordinal)).ToArray();
            string error = Assert.Single(errors);
            Assert.StartsWith($"xrdmon decode: {bad}: capture corrupt at byte 0 ", error, StringComparison.Ordinal);
            Assert.NotEmpty(ParseLines(events.ToArray()));
            Assert.Equal(
                ParseLines(Events(proxy)).Select(e => e.GetRawText()),
                ParseLines(events.ToArray()).Select(e => e.GetRawText()));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static byte[] Events(string file)
    {
        var events = new MemoryStream();
        Assert.Equal(0, XrdmonDecode.RunEvents([file], "jsonl", XrdmonCommands.CollectorOptions(summariesOnly: false, window: 0), events, new StringWriter()));
        return events.ToArray();
    }

    [Fact]
    public void Embedded_capture_decodes_every_datagram_without_errors()
    {
        List<JsonElement> records = Decode();
        Assert.Equal(1966, records.Count);
        Assert.DoesNotContain(records, r => S(r, "kind") == "error");
        Assert.Equal(99, records.Select(r => L(r, "packet")).Distinct().Count());
        foreach (JsonElement r in records)
        {
            Assert.True(r.TryGetProperty("code", out _) && r.TryGetProperty("pseq", out _) && r.TryGetProperty("stod", out _));
        }

        JsonElement ident = records[0];
        Assert.Equal("ident", S(ident, "kind"));
        Assert.Equal("=", S(ident, "code"));
        Assert.Equal(21094, L(ident.GetProperty("payload"), "port"));
        Assert.Equal("origin", S(ident.GetProperty("payload"), "inst"));
        Assert.Equal(233262004701118, L(ident.GetProperty("userid"), "sid"));
    }

    [Fact]
    public void File_facts_match_the_traffic_log()
    {
        List<JsonElement> records = Decode(Data("run1/origin.xrdmon"));
        var opens = records.Where(r => S(r, "code") == "f" && S(r, "kind") == "open").ToList();
        var lfnById = opens.ToDictionary(r => L(r, "fileid"), r => (Lfn: S(r, "lfn"), Rw: r.GetProperty("rw").GetBoolean()));
        foreach (string lfn in new[] { "/up/f0", "/up/f1", "/up/f2", "/up/f3", "/up/f4", "/tpc/f3copy", "/w/new.dat" })
        {
            Assert.Contains(opens, o => S(o, "lfn") == lfn);
        }

        var closes = records.Where(r => S(r, "code") == "f" && S(r, "kind") == "close")
            .Select(r => (lfnById[L(r, "fileid")].Lfn, lfnById[L(r, "fileid")].Rw, Read: L(r, "read_bytes"), Write: L(r, "write_bytes"), Forced: r.GetProperty("forced").GetBoolean()))
            .ToList();

        // traffic.log: uploads (xrdcp -> kXR_pgwrite: 4-byte CRC per 4 KiB page) and downloads of 0, 1000, 100000, 1 MiB, 5000000 bytes.
        long[] sizes = [0, 1000, 100_000, 1_048_576, 5_000_000];
        for (int i = 0; i < sizes.Length; i++)
        {
            long n = sizes[i];
            Assert.Contains(closes, c => c.Lfn == $"/up/f{i}" && c.Rw && c.Write == n + (4 * ((n + 4095) / 4096)));
            Assert.Contains(closes, c => c.Lfn == $"/up/f{i}" && !c.Rw && c.Read == n);
        }

        // The SIGKILLed client held /up/f2 open after reading 100 bytes: forced close and forced disconnect.
        Assert.Contains(closes, c => c.Lfn == "/up/f2" && c.Forced && c.Read == 100);
        Assert.Contains(records, r => S(r, "code") == "t" && S(r, "kind") == "disc" && r.GetProperty("forced").GetBoolean());

        // t-stream close of the 1000-byte download carries the same byte count.
        var pathById = records.Where(r => S(r, "kind") == "path").ToDictionary(r => L(r, "dictid"), r => S(r, "path"));
        Assert.Contains(records, r => S(r, "code") == "t" && S(r, "kind") == "close" && pathById[L(r, "dictid")] == "/up/f1" && L(r, "read_bytes") == 1000);

        // Local redirects of /miss/... to the alt server (port 21096).
        var redirects = records.Where(r => S(r, "kind") == "redirect").ToList();
        Assert.Contains(redirects, r => S(r, "operation") == "stat" && S(r, "path") == "/miss/other" && L(r, "port") == 21096 && S(r, "server") == "127.0.0.1");
        Assert.Contains(redirects, r => S(r, "operation") == "openr" && S(r, "path") == "/miss/nothing.root");

        // readu (0x91) entries are not mislabelled as readv.
        Assert.Equal(4, records.Count(r => S(r, "kind") == "readu"));
        Assert.DoesNotContain(records, r => S(r, "kind") == "readv");

        // TPC g-stream: the pull of /src/f3 into /tpc/f3copy.
        JsonElement g = Assert.Single(records, r => S(r, "kind") == "gstream");
        Assert.Equal("P", S(g, "provider"));
        JsonElement tpc = g.GetProperty("lines")[0];
        Assert.EndsWith("/tpc/f3copy", S(tpc, "Dst"), StringComparison.Ordinal);
        Assert.Equal("pull", S(tpc.GetProperty("Xeq"), "Type"));

        // User logins by xrdcp/python clients are "root"; the caching proxy logs in as its own xrootd (executable xrootd).
        var users = records.Where(r => S(r, "kind") == "user").ToList();
        Assert.Equal(29, users.Count(u => S(u.GetProperty("userid"), "user") == "root"));
        Assert.Equal(2, users.Count(u => S(u.GetProperty("payload"), "executable") == "xrootd"));
        Assert.Contains(records, r => S(r, "kind") == "user" && r.TryGetProperty("payload", out JsonElement p) && p.TryGetProperty("executable", out JsonElement x) && x.GetString() == "xrdcp");
        Assert.Contains("app=capture", S(Assert.Single(records, r => S(r, "kind") == "info"), "info"), StringComparison.Ordinal);
    }

    [Fact]
    public void Proxy_capture_carries_the_cache_gstream()
    {
        List<JsonElement> records = Decode(Data("run1/proxy.xrdmon"));
        Assert.DoesNotContain(records, r => S(r, "kind") == "error");
        JsonElement cache = records.Where(r => S(r, "kind") == "gstream" && S(r, "provider") == "C").SelectMany(r => r.GetProperty("lines").EnumerateArray()).First();
        Assert.Equal("file_close", S(cache, "event"));
        Assert.Equal("/up/f3", S(cache, "lfn"));
        Assert.Equal(1_048_576, L(cache, "size"));
    }

    [Fact]
    public void Bad_datagrams_become_error_objects_and_decoding_continues()
    {
        byte[] origin = File.ReadAllBytes(Data("run1/origin.xrdmon"));
        var ms = new MemoryStream();
        using (var w = new CaptureWriter(ms, leaveOpen: true))
        {
            var span = new CaptureSpanReader(origin);
            span.TryRead(out ReadOnlySpan<byte> first);
            w.Write(first);
            w.Write("Z\0\0\u0008\0\0\0\0"u8);                       // unknown code
            w.Write([(byte)'t', 0, 0, 100, 0, 0, 0, 0]);         // plen beyond the datagram
            w.Write([(byte)'t', 0, 0, 12, 0, 0, 0, 0, 1, 2, 3, 4]); // not whole 16-byte entries
            w.Write([1, 2, 3]);                                   // shorter than a header
            span.TryRead(out ReadOnlySpan<byte> second);
            w.Write(second);
        }

        ms.Write([0, 0, 0, 50, 1, 2]); // truncated final frame
        string path = Path.Combine(Path.GetTempPath(), $"xrdmon-bad-{Guid.NewGuid():N}.xrdmon");
        File.WriteAllBytes(path, ms.ToArray());
        try
        {
            var output = new MemoryStream();
            int rc = XrdmonDecode.Run([path], "jsonl", output, new StringWriter());
            Assert.Equal(1, rc);
            List<JsonElement> records = ParseLines(output.ToArray());
            var errors = records.Where(r => S(r, "kind") == "error").ToList();
            Assert.Equal(5, errors.Count);
            Assert.Contains("unknown packet code", S(errors[0], "reason"), StringComparison.Ordinal);
            Assert.Equal(1, L(errors[0], "packet"));
            Assert.Equal(2, L(errors[1], "offset"));
            Assert.InRange(L(errors[2], "offset"), 8, 12);
            Assert.Contains("truncated", S(errors[2], "reason"), StringComparison.Ordinal);
            Assert.Equal(JsonValueKind.Null, errors[3].GetProperty("code").ValueKind);
            Assert.Contains(records, r => L(r, "packet") == 5 && S(r, "kind") == "user");
            Assert.Equal(6, L(errors[4], "packet"));
            Assert.Equal(ms.Length - 6, L(errors[4], "offset"));
            Assert.Contains("truncated", S(errors[4], "reason"), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_directory_is_said_to_be_a_directory_and_the_next_file_is_read()
    {
        // Issue 17: File.OpenRead on a directory says "Access to the path is denied", which sends users after permissions.
        string dir = Directory.CreateTempSubdirectory("toolkit-dir-").FullName;
        try
        {
            string proxy = Data("run1/proxy.xrdmon");
            var log = new StringWriter();
            var output = new MemoryStream();
            Assert.Equal(1, XrdmonDecode.Run([dir, proxy], "jsonl", output, log));
            Assert.Contains($"xrdmon decode: {dir}: is a directory, not a capture file", log.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("denied", log.ToString(), StringComparison.Ordinal);
            Assert.NotEmpty(ParseLines(output.ToArray()));

            var events = new StringWriter();
            Assert.Equal(1, XrdmonDecode.RunEvents([dir, proxy], "jsonl", XrdmonCommands.CollectorOptions(summariesOnly: false, window: 0), new MemoryStream(), events));
            Assert.Contains($"xrdmon decode: {dir}: is a directory, not a capture file", events.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    [Fact]
    public void A_datagram_longer_than_its_plen_is_counted_in_the_summary_line()
    {
        byte[] origin = File.ReadAllBytes(Data("run1/origin.xrdmon"));
        var span = new CaptureSpanReader(origin);
        span.TryRead(out ReadOnlySpan<byte> first);
        var ms = new MemoryStream();
        using (var w = new CaptureWriter(ms, leaveOpen: true))
        {
            w.Write([.. first, 0xAB, 0xCD]);
        }

        string path = Path.Combine(Path.GetTempPath(), $"xrdmon-long-{Guid.NewGuid():N}.xrdmon");
        File.WriteAllBytes(path, ms.ToArray());
        try
        {
            var log = new StringWriter();
            Assert.Equal(0, XrdmonDecode.Run([path], "jsonl", new MemoryStream(), log));
            Assert.Contains(", 1 datagrams longer than their plen (the bytes after plen ignored)", log.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Control_codes_from_a_sender_never_reach_the_terminal_tables_but_jsonl_keeps_them_exact()
    {
        // Issue 17 (control codes, as defect 7 for the REST tables): a UDP sender chooses user names and paths.
        const string path = "/x\u001b]0;owned\u0007\u001b[2J";
        static byte[] Map(char code, int pseq, uint dictid, string text)
        {
            byte[] body = Encoding.UTF8.GetBytes(text);
            var d = new byte[12 + body.Length];
            d[0] = (byte)code;
            d[1] = (byte)pseq;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(2), (ushort)d.Length);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(d.AsSpan(4), 1_700_000_000);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(8), dictid);
            body.CopyTo(d, 12);
            return d;
        }

        var ms = new MemoryStream();
        using (var w = new CaptureWriter(ms, leaveOpen: true))
        {
            w.Write(Map('u', 0, 7, "xroot/ev\u001bil.42:99@host\u0007\n&p=gsi&n=evil&h=host&o=&r=&g=&m="));
            w.Write(Map('d', 1, 8, "xroot/ev\u001bil.42:99@host\u0007\n" + path));
        }

        string file = Path.Combine(Path.GetTempPath(), $"xrdmon-ctl-{Guid.NewGuid():N}.xrdmon");
        File.WriteAllBytes(file, ms.ToArray());
        try
        {
            var table = new StringWriter();
            XrdmonDecode.Run([file], "table", new MemoryStream(), new StringWriter(), table);
            Assert.Contains("owned", table.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain('\u001b', table.ToString());
            Assert.DoesNotContain('\u0007', table.ToString());

            var events = new StringWriter();
            XrdmonDecode.RunEvents([file], "table", XrdmonCommands.CollectorOptions(summariesOnly: false, window: 0), new MemoryStream(), new StringWriter(), events);
            Assert.DoesNotContain('\u001b', events.ToString());
            Assert.DoesNotContain('\u0007', events.ToString());

            var jsonl = new MemoryStream();
            XrdmonDecode.Run([file], "jsonl", jsonl, new StringWriter());
            Assert.Contains(ParseLines(jsonl.ToArray()), r => r.TryGetProperty("path", out var p) && p.GetString() == path);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Decode_help_points_to_docs_that_exist()
    {
        var decode = XrdmonCommands.Create().Subcommands.Single(c => c.Name == "decode");
        var docs = System.Text.RegularExpressions.Regex.Matches(decode.Description!, @"docs/[\w.-]+\.md").Select(m => m.Value).ToList();
        Assert.NotEmpty(docs);
        Assert.All(docs, d => Assert.True(File.Exists(RepoPaths.Combine(d.Split('/'))), d + " does not exist"));
    }

    [Fact]
    public void Table_format_renders_one_row_per_record()
    {
        var table = new StringWriter();
        int rc = XrdmonDecode.Run([Data("run1/proxy.xrdmon")], "table", new MemoryStream(), new StringWriter(), table);
        Assert.Equal(0, rc);
        string text = table.ToString();
        Assert.Contains("gstream", text, StringComparison.Ordinal);
        Assert.Contains("ident", text, StringComparison.Ordinal);
        Assert.True(text.Split('\n').Length > 185);
    }

    [Fact]
    public void Command_line_parses_and_runs_decode_in_process()
    {
        var root = new System.CommandLine.RootCommand();
        root.Subcommands.Add(XrdmonCommands.Create());
        Assert.Empty(root.Parse(["xrdmon", "decode", "--format", "jsonl", "x.xrdmon"]).Errors);
        Assert.NotEmpty(root.Parse(["xrdmon", "decode", "--format", "yaml"]).Errors);
        Assert.NotEmpty(root.Parse(["xrdmon", "capture", "--udp", "nonsense", "--out", "x"]).Errors);
        Assert.Empty(root.Parse(["xrdmon", "capture", "--udp", "[::1]:9930", "--out", "x"]).Errors);
    }
}
