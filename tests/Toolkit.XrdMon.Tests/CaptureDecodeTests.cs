using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Toolkit.XrdMon;
using Toolkit.Runtime.Binary;

namespace Toolkit.XrdMon.Tests;

/// <summary>Decodes every datagram of the real captures and checks facts from traffic.log.</summary>
public sealed class CaptureDecodeTests
{
    [Theory]
    [InlineData("origin", 99)]
    [InlineData("proxy", 16)]
    public void EveryDatagramDecodesWithoutError(string capture, int expected)
    {
        var datagrams = TestData.Datagrams(capture);
        Assert.Equal(expected, datagrams.Count);
        foreach (var d in datagrams)
        {
            Assert.True(PacketReader.TryRead(d, out var p, out var error), capture + ": " + error);
            Assert.NotEqual(PacketKind.UnknownPacket, p.Kind);
            Assert.Equal(d.Length, p.Plen);
            Assert.Equal(d.Length, p.Size);
            Assert.Equal(1795345916, capture == "origin" ? p.Stod : 1795345916);

            // The model round-trips to the same bytes.
            var model = p.ToModel();
            Assert.Equal(d, model.ToArray());
            Assert.Equal(model, Packet.Read(d));
        }
    }

    [Fact]
    public void PacketCountsPerCodeMatchTheCaptureNotes()
    {
        static string Counts(string capture) => string.Join(" ", TestData.Datagrams(capture)
            .GroupBy(d => (char)PacketReader.Read(d).Code)
            .OrderBy(g => g.Key)
            .Select(g => g.Key + ":" + g.Count()));

        Assert.Equal("=:5 d:19 f:6 g:1 i:1 r:2 t:34 u:31", Counts("origin"));
        Assert.Equal("=:5 d:3 f:3 g:1 t:2 u:2", Counts("proxy"));
    }

    [Fact]
    public void ServerIdentificationIsParsed()
    {
        var p = PacketReader.Read(TestData.Datagrams("origin")[0]);
        Assert.Equal(PacketKind.ServerIdentPacket, p.Kind);
        var s = p.AsServerIdentPacket();
        Assert.Equal(0u, s.Dictid);
        var info = s.InfoText;
        Assert.True(info.Userid.IsMatch);
        Assert.Equal("=", info.Userid.GetProtString());
        Assert.Equal("root", info.Userid.GetUserString());
        Assert.True(info.Userid.TryGetPid(out var pid));
        Assert.Equal(22800, pid);
        Assert.True(info.Userid.TryGetSid(out var sid));
        Assert.Equal(233262004701118, sid);
        Assert.Equal("vm", info.Userid.GetHostString());
        Assert.True(info.HasPayload);
        var srv = info.Payload;
        Assert.True(srv.HasSite);
        Assert.Equal(string.Empty, srv.GetSiteString());
        Assert.True(srv.TryGetPort(out var port));
        Assert.Equal(21094, port);
        Assert.Equal("origin", srv.GetInstString());
        Assert.Equal("xrootd", srv.GetPgmString());
        Assert.Equal("v5.5.3", srv.GetVerString());
    }

    [Fact]
    public void UserLoginCarriesTheClientCgi()
    {
        var u = TestData.Datagrams("origin").Select(d => d).First(d => d[0] == 'u');
        var login = PacketReader.Read(u).AsUserLoginPacket();
        var info = login.InfoText;
        Assert.Equal("xroot", info.Userid.GetProtString());
        Assert.Equal("[::ffff:127.0.0.1]", info.Userid.GetHostString());
        Assert.Equal("v5.5.3", info.Payload.GetReleaseString());
        Assert.Equal("xrdcp", info.Payload.GetExecutableString());
        Assert.True(info.Payload.HasY);
        Assert.True(info.Payload.TryGetIpVersion(out var ipv));
        Assert.Equal(4, ipv);
        Assert.False(info.Payload.HasProtocol);
        Assert.Null(info.Payload.GetProtocolString());
        var keys = new List<string>();
        foreach (var pair in info.Payload)
        {
            keys.Add(Encoding.ASCII.GetString(pair.Key));
        }

        Assert.Equal(new[] { "R", "x", "y", "I" }, keys);
    }

    [Fact]
    public void PathRecordsNameTheFilesOfTrafficLog()
    {
        var paths = new List<string>();
        foreach (var d in TestData.Datagrams("origin"))
        {
            var p = PacketReader.Read(d);
            if (p.TryGetPathPacket(out var path))
            {
                Assert.True(path.InfoText.Userid.IsMatch);
                paths.Add(path.InfoText.GetPathString());
            }
        }

        foreach (var f in new[] { "/up/f0", "/up/f1", "/up/f2", "/up/f3", "/up/f4", "/tpc/f3copy", "/w/new.dat" })
        {
            Assert.Contains(f, paths);
        }

        // The failed open of /does/not/exist (traffic.log: xrdcp -> 54) never got a file dictid.
        Assert.DoesNotContain("/does/not/exist", paths);
        Assert.Contains("$ xrdcp -f -s root://127.0.0.1:21094//does/not/exist", File.ReadAllText(Path.Combine(TestData.Dir, "traffic.log")), StringComparison.Ordinal);
    }

    [Fact]
    public void FstreamReportsUploadSizesAndByteCounts()
    {
        var opens = new Dictionary<uint, string>();
        var closes = new List<(string Name, long Read, long Readv, long Write)>();
        var closeSizes = new HashSet<int>();
        foreach (var d in TestData.Datagrams("origin"))
        {
            var p = PacketReader.Read(d);
            if (!p.TryGetFstatPacket(out var f))
            {
                continue;
            }

            Assert.True(f.Tod.HasSid);
            Assert.Equal(233262004701118, f.Tod.Sid);
            foreach (var r in f.Records)
            {
                switch (r.Kind)
                {
                    case FstatRecordKind.FstatOpen:
                    {
                        var o = r.AsFstatOpen();
                        Assert.True(o.HasLfn);
                        opens[o.FileId] = o.Lfn.GetLfnString();
                        Assert.Equal(0, o.RecSize % 4);
                        break;
                    }

                    case FstatRecordKind.FstatClose:
                    {
                        var c = r.AsFstatClose();
                        closeSizes.Add(c.Size);
                        Assert.True(c.HasOps && c.HasSsq);
                        closes.Add((opens[c.FileId], c.Xfr.ReadBytes, c.Xfr.ReadvBytes, c.Xfr.WriteBytes));
                        break;
                    }

                    case FstatRecordKind.FstatUnknown:
                        Assert.Fail("unknown f-stream record");
                        break;
                }
            }
        }

        // CLS with OPS and SSQ is 112 bytes on the wire (the header comment says 96).
        Assert.Equal(new HashSet<int> { 112 }, closeSizes);
        // Uploads (xrdcp of client/f0..f4, 0 B, 1000 B, 100000 B, 1 MiB, 5 MB) are pgwrites: 4 CRC bytes per 4 KiB
        // page are counted as written; the downloads (xrdcp ... dl0..dl4) read exactly the file sizes.
        var sizes = new[] { 0L, 1000, 100000, 1048576, 5000000 };
        for (var i = 0; i < sizes.Length; i++)
        {
            var name = "/up/f" + i;
            Assert.Contains((name, 0L, 0L, sizes[i] + (4 * ((sizes[i] + 4095) / 4096))), closes);
            Assert.Contains((name, sizes[i], 0L, 0L), closes);
        }

        // The readv test on /up/f4 (readv 2, 5, 17, 64 segments) shows up as readv bytes.
        Assert.Contains(closes, c => c.Name == "/up/f4" && c.Readv > 0);
        Assert.Contains(closes, c => c.Name == "/tpc/f3copy");
    }

    [Fact]
    public void TraceStreamDecodesReaduAndCloseTotals()
    {
        var kinds = new Dictionary<TraceEntryKind, int>();
        var readuFollowedByReads = 0;
        long closedReadBytes = 0;
        foreach (var d in TestData.Datagrams("origin"))
        {
            var p = PacketReader.Read(d);
            if (!p.TryGetTracePacket(out var t))
            {
                continue;
            }

            Assert.Equal(0, (d.Length - 8) % 16);
            Assert.Equal((d.Length - 8) / 16, t.Entries.Count());
            var first = true;
            TraceEntryReader last = default;
            uint pendingReaduDictid = 0;
            foreach (var e in t.Entries)
            {
                if (first)
                {
                    Assert.Equal(TraceEntryKind.TraceWindow, e.Kind);
                    first = false;
                }

                kinds[e.Kind] = kinds.GetValueOrDefault(e.Kind) + 1;
                if (e.Kind == TraceEntryKind.TraceReadu)
                {
                    Assert.Equal(0x91, e.Bytes[0]);
                    pendingReaduDictid = e.AsTraceReadu().Dictid;
                }
                else if (e.Kind == TraceEntryKind.TraceReadWrite && pendingReaduDictid != 0)
                {
                    Assert.Equal(pendingReaduDictid, e.AsTraceReadWrite().Dictid);
                    readuFollowedByReads++;
                    pendingReaduDictid = 0;
                }
                else if (e.Kind == TraceEntryKind.TraceClose)
                {
                    var c = e.AsTraceClose();
                    Assert.Equal((ulong)c.ReadTotal << c.ReadShift, c.ReadBytes);
                    closedReadBytes = Math.Max(closedReadBytes, (long)c.ReadBytes);
                }

                last = e;
            }

            Assert.Equal(TraceEntryKind.TraceWindow, last.Kind);
        }

        // "readv 2/5/17/64" in traffic.log: unwound (iov) readv records are 0x91 readu, each followed by its reads.
        Assert.Equal(4, kinds.GetValueOrDefault(TraceEntryKind.TraceReadu));
        Assert.Equal(4, readuFollowedByReads);
        Assert.Equal(0, kinds.GetValueOrDefault(TraceEntryKind.TraceReadv));
        Assert.True(kinds[TraceEntryKind.TraceOpen] > 0 && kinds[TraceEntryKind.TraceClose] > 0 && kinds[TraceEntryKind.TraceDisconnect] > 0);
        Assert.Equal(0, kinds.GetValueOrDefault(TraceEntryKind.TraceUnknown));
        Assert.Equal(5000000, closedReadBytes);
    }

    [Fact]
    public void RedirectStreamUsesDentAsSlotCount()
    {
        var redirects = new List<(RedirectOperation Op, ushort Port, string Host, string Path, uint User, bool Local)>();
        foreach (var d in TestData.Datagrams("origin"))
        {
            var p = PacketReader.Read(d);
            if (!p.TryGetRedirectPacket(out var r))
            {
                continue;
            }

            Assert.Equal(233262004701118UL, r.Server.Sid);
            var kinds = new List<RedirectEntryKind>();
            foreach (var e in r.Entries)
            {
                kinds.Add(e.Kind);
                if (e.TryGetRedirectRecord(out var rr))
                {
                    Assert.Equal((1 + rr.Dent) * 8, rr.Size);
                    var target = rr.TargetText;
                    Assert.True(target.IsMatch);
                    redirects.Add((rr.Operation, rr.Port, target.GetHostString(), target.GetPathString(), rr.UserDictid, rr.IsLocal));
                }
                else if (e.TryGetRedirectWindow(out var w))
                {
                    Assert.Equal(1u, w.Window);
                    Assert.InRange(w.Time, 1795345916, 1795346000);
                }
            }

            // window, redirect, window: xrootdlib sees four records here (it reads dent as the record size).
            Assert.Equal(new[] { RedirectEntryKind.RedirectWindow, RedirectEntryKind.RedirectRecord, RedirectEntryKind.RedirectWindow }, kinds);
        }

        Assert.Equal(2, redirects.Count);
        Assert.Contains((RedirectOperation.Stat, (ushort)21096, "127.0.0.1", "/miss/other", 42u, true), redirects);
        Assert.Contains((RedirectOperation.OpenRead, (ushort)21096, "127.0.0.1", "/miss/nothing.root", 42u, true), redirects);
    }

    [Fact]
    public void GStreamTpcAndPfcLinesAreJson()
    {
        var tpc = TestData.Datagrams("origin").Single(d => d[0] == 'g');
        var g = PacketReader.Read(tpc).AsGStreamPacket();
        Assert.Equal(GStreamProvider.Tpc, g.Provider);
        Assert.Equal(233262004701118UL, g.Sid);
        var lines = new List<string>();
        foreach (var line in g.BodyText)
        {
            lines.Add(Encoding.UTF8.GetString(line));
        }

        var json = Assert.Single(lines);
        using (var doc = JsonDocument.Parse(json))
        {
            Assert.Equal("xroot", doc.RootElement.GetProperty("TPC").GetString());
            Assert.Equal("xroot://[::ffff:127.0.0.1]:21096//src/f3", doc.RootElement.GetProperty("Src").GetString());
            Assert.Equal("xroot://vm:21094//tpc/f3copy", doc.RootElement.GetProperty("Dst").GetString());
            Assert.Equal("pull", doc.RootElement.GetProperty("Xeq").GetProperty("Type").GetString());
        }

        var pfc = TestData.Datagrams("proxy").Single(d => d[0] == 'g');
        var c = PacketReader.Read(pfc).AsGStreamPacket();
        Assert.Equal(GStreamProvider.Pfc, c.Provider);
        Assert.Equal(1, c.BodyText.Count);
        foreach (var line in c.BodyText)
        {
            using var doc = JsonDocument.Parse(line.ToArray());
            Assert.Equal("file_close", doc.RootElement.GetProperty("event").GetString());
            Assert.Equal("/up/f3", doc.RootElement.GetProperty("lfn").GetString());
            Assert.Equal(1048576, doc.RootElement.GetProperty("size").GetInt64());
            Assert.Equal("127.0.0.1:21094", doc.RootElement.GetProperty("remotes")[0].GetString());
        }
    }

    [Fact]
    public void WhereTheOracleIsWrongWeAreRight()
    {
        var oracle = File.ReadAllLines(Path.Combine(TestData.Dir, "origin.oracle.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var datagrams = TestData.Datagrams("origin");
        Assert.Equal(datagrams.Count, oracle.Count);
        var readuSeen = 0;
        for (var i = 0; i < datagrams.Count; i++)
        {
            var o = oracle[i];
            var p = PacketReader.Read(datagrams[i]);
            switch ((char)p.Code)
            {
                case 'g':
                    // xrootdlib: "unknown plugin type b'P'"; we decode it.
                    Assert.Equal(JsonValueKind.String, o.GetProperty("structs_error").ValueKind);
                    Assert.Equal(GStreamProvider.Tpc, p.AsGStreamPacket().Provider);
                    break;
                case 't':
                {
                    var records = o.GetProperty("structs").GetProperty("record").GetProperty("records").EnumerateArray().ToList();
                    var entries = new List<TraceEntryKind>();
                    foreach (var e in p.AsTracePacket().Entries)
                    {
                        entries.Add(e.Kind);
                    }

                    Assert.Equal(records.Count, entries.Count);
                    for (var k = 0; k < entries.Count; k++)
                    {
                        if (entries[k] == TraceEntryKind.TraceReadu)
                        {
                            // xrootdlib masks with 0xF0 and calls the unwound 0x91 entry "ReadV".
                            Assert.Equal("ReadV", records[k].GetProperty("_type").GetString());
                            readuSeen++;
                        }
                    }

                    break;
                }

                case 'r':
                {
                    var records = o.GetProperty("structs").GetProperty("record").GetProperty("records").EnumerateArray().ToList();
                    var redirect = records.First(r => r.GetProperty("_type").GetString() == "Redirect");
                    var ours = default(RedirectRecordReader);
                    var count = 0;
                    foreach (var e in p.AsRedirectPacket().Entries)
                    {
                        count++;
                        if (e.TryGetRedirectRecord(out var rr))
                        {
                            ours = rr;
                        }
                    }

                    // xrootdlib reads dent as the total size: it truncates the path and invents a window mark.
                    Assert.Equal(records.Count - 1, count);
                    Assert.StartsWith(redirect.GetProperty("path").GetString()!, ours.TargetText.GetPathString(), StringComparison.Ordinal);
                    Assert.NotEqual(redirect.GetProperty("path").GetString(), ours.TargetText.GetPathString());
                    break;
                }
            }
        }

        Assert.Equal(4, readuSeen);
    }
}
