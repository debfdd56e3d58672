using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Toolkit.XrdMon.Collector;
using Toolkit.XrdMon.Streams;
using static Toolkit.XrdMon.Tests.Packets;

namespace Toolkit.XrdMon.Tests;

/// <summary>The stream layer (spec §2.1, §8): ordering per counter, dictid maps and their bounds, events, summaries, errors.</summary>
public class CollectorTests
{
    private const int Stod = 1_700_000_000;

    private static string Str(JsonElement e, string path)
    {
        foreach (string part in path.Split('.'))
        {
            e = e.GetProperty(part);
        }

        return e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();
    }

    [Fact]
    public void Map_trace_and_fstat_records_resolve_into_events_and_one_summary()
    {
        using var h = new CollectorHarness();
        h.Feed(
            Ident(0, Stod),
            Login(1, Stod, 1, "alice", "wn1.example.org"),
            PathMap(2, Stod, 2, "alice", "/store/data/f1.root"),
            Trace(3, Stod, 2000, Read(2, 0, 1000), TraceClose(2, 1000, 0), Disconnect(1, forced: true, 42)),
            Fstat(0, Stod, 1990, 2000, Open(2, 5000, readWrite: false, 1, "/store/data/f1.root")),
            Fstat(1, Stod, 2000, 2010, Close(2, 600, 400, 0), FileDisconnect(1)));

        JsonElement summary = Assert.Single(h.Events("summary"));
        Assert.Equal("/store/data/f1.root", Str(summary, "lfn"));
        Assert.Equal("alice", Str(summary, "user.name"));
        Assert.Equal("wn1.example.org", Str(summary, "client_host"));
        Assert.Equal("gsi", Str(summary, "user.auth.p"));
        Assert.Equal("5000", Str(summary, "file_size"));
        Assert.Equal("600", Str(summary, "read_bytes"));
        Assert.Equal("400", Str(summary, "readv_bytes"));
        Assert.Equal("2000", Str(summary, "open_time"));
        Assert.Equal("2010", Str(summary, "close_time"));
        Assert.Equal("10", Str(summary, "duration"));
        Assert.Equal("TEST_SITE", Str(summary, "server.site"));
        Assert.Equal("1094", Str(summary, "server.port"));
        Assert.False(summary.TryGetProperty("unresolved", out _));

        JsonElement read = Assert.Single(h.Events("read"));
        Assert.Equal("/store/data/f1.root", Str(read, "lfn"));
        Assert.Equal("1000", Str(read, "length"));
        JsonElement disconnect = Assert.Single(h.Events("disconnect"));
        Assert.Equal("alice", Str(disconnect, "user.name"));
        Assert.Equal("true", Str(disconnect, "forced"));
        Assert.Equal("42", Str(disconnect, "duration"));
        Assert.Equal(0, h.Collector.Counters.Unresolved);
        Assert.Equal(0, h.Collector.AccessCount);
        CollectorHarness.AssertCountersAddUp(h.Collector);
    }

    [Fact]
    public void Each_counter_is_ordered_separately_map_t_r_f_and_one_per_gstream_provider()
    {
        using var h = new CollectorHarness();

        // Main counter (map/t/r): the t packet (3) overtakes the login (2) it refers to; the reorder window puts it back.
        // f-stream counts 0, 1 on its own; g-stream providers P and C each count from 1 on their own.
        h.Feed(
            Ident(0, Stod),
            GStream(1, Stod, 'P', "{\"TPC\":\"xroot\",\"Size\":1}"),
            PathMap(1, Stod, 5, "bob", "/a"),
            Fstat(0, Stod, 10, 11, Open(5, 10, false, 0, "/a")),
            GStream(1, Stod, 'C', "{\"event\":\"file_close\"}"),
            Trace(3, Stod, 20, Disconnect(7, forced: false, 3)),
            GStream(2, Stod, 'P', "{\"TPC\":\"xroot\",\"Size\":2}"),
            Login(2, Stod, 7, "bob"),
            Fstat(1, Stod, 11, 12, Close(5, 10, 0, 0)));

        SequenceCounters s = h.Collector.SequenceTotals();
        Assert.Equal(0, s.Lost);
        Assert.Equal(0, s.Late);
        Assert.Equal(1, s.Reordered);
        Assert.Equal(9, s.Delivered);
        JsonElement disconnect = Assert.Single(h.Events("disconnect"));
        Assert.Equal("bob", Str(disconnect, "user.name"));
        Assert.Equal(2, h.Events("tpc").Count);
        Assert.Single(h.Events("cache"));
        CollectorHarness.AssertCountersAddUp(h.Collector);
    }

    [Fact]
    public void Sequence_numbers_wrap_255_to_0_duplicates_are_dropped_and_gaps_counted_as_loss()
    {
        using var h = new CollectorHarness(new XrdMonCollectorOptions { SortWindow = 4 });
        var sent = new List<byte[]>();
        for (int i = 0; i < 600; i++)
        {
            sent.Add(Map('i', i & 0xff, Stod, (uint)(i + 1), UserId("u"), $"info {i}"));
        }

        h.Feed(sent.Take(300).ToArray());
        h.Feed(sent[299], sent[298]); // duplicates of delivered datagrams
        h.Feed(sent.Skip(300).Take(100).ToArray());
        h.Feed(sent.Skip(410).Take(10).ToArray()); // 400..409 never arrive in time: a gap wider than the window
        h.Feed(sent[405]); // arrives after the window gave up on it
        h.Feed(sent.Skip(420).ToArray());
        h.Collector.Flush();

        SequenceCounters s = h.Collector.SequenceTotals();
        Assert.Equal(590, s.Delivered);
        Assert.Equal(2, s.Duplicates);
        Assert.Equal(10, s.Lost);
        Assert.Equal(1, s.Late);
        List<JsonElement> info = h.Events("info");
        Assert.Equal(590, info.Count);
        Assert.Equal(info.Select(e => Str(e, "info_dictid")).Distinct().Count(), info.Count);
        CollectorHarness.AssertCountersAddUp(h.Collector);
    }

    [Fact]
    public void A_new_stod_is_a_restart_with_its_own_dictids_and_counters()
    {
        using var h = new CollectorHarness();
        h.Feed(Login(0, Stod, 1, "alice"));
        h.Feed(Login(0, Stod + 3600, 2, "bob"), Trace(1, Stod + 3600, 5000, Disconnect(1, false, 1), Disconnect(2, false, 1)));
        h.Feed(1, Trace(7, Stod, 5000, Disconnect(1, false, 1))); // another sender with the same stod is another server

        Assert.Equal(1, h.Collector.Counters.Restarts);
        Assert.Equal(3, h.Collector.ServerCount);
        List<JsonElement> d = h.Events("disconnect");
        Assert.Equal(3, d.Count);
        Assert.Equal("user", Str(d[0], "unresolved")); // dictid 1 belongs to the old instance
        Assert.Equal("bob", Str(d[1], "user.name"));
        Assert.Equal("user", Str(d[2], "unresolved"));
        Assert.Equal(0, h.Collector.SequenceTotals().Lost);
        Assert.Equal(2, h.Collector.Counters.Unresolved);
    }

    [Fact]
    public void Least_recently_used_servers_are_retired_beyond_the_bound_and_their_maps_freed()
    {
        using var h = new CollectorHarness(new XrdMonCollectorOptions { MaxServers = 3 });
        h.Feed(Login(0, Stod, 1, "busy"));
        for (int i = 1; i <= 10; i++)
        {
            h.Feed(Login(0, Stod + i, 1, "transient"));
            h.Feed(Trace(i, Stod, 100, Window(100, 100))); // the busy server stays recently used
        }

        Assert.Equal(3, h.Collector.ServerCount);
        Assert.Equal(3, h.Collector.UserCount);
        h.Feed(Trace(11, Stod, 200, Disconnect(1, false, 5)));
        Assert.Equal("busy", Str(h.Events("disconnect").Single(), "user.name"));
        CollectorHarness.AssertCountersAddUp(h.Collector);
    }

    [Fact]
    public void Dictid_maps_are_bounded_by_count_and_by_time()
    {
        var options = new XrdMonCollectorOptions { MaxUsers = 10, MaxFiles = 10, TimeToLive = TimeSpan.FromMinutes(10) };
        using var h = new CollectorHarness(options);
        for (int i = 0; i < 100; i++)
        {
            h.Feed(Login((2 * i) & 0xff, Stod, (uint)(1000 + i), $"u{i}"), PathMap(((2 * i) + 1) & 0xff, Stod, (uint)(5000 + i), $"u{i}", $"/f/{i}"));
        }

        Assert.Equal(10, h.Collector.UserCount);
        Assert.Equal(10, h.Collector.PathCount);

        // The newest ten are the ones kept.
        h.Feed(Trace(200, Stod, 1, Disconnect(1099, false, 1), Disconnect(1000, false, 1)));
        List<JsonElement> d = h.Events("disconnect");
        Assert.Equal("u99", Str(d[0], "user.name"));
        Assert.Equal("user", Str(d[1], "unresolved"));

        h.Now += TimeSpan.FromMinutes(11).Ticks;
        h.Collector.Expire(h.Now);
        Assert.Equal(0, h.Collector.UserCount);
        Assert.Equal(0, h.Collector.PathCount);
    }

    [Fact]
    public void Disconnect_frees_the_user_and_close_frees_the_file_after_the_grace_period()
    {
        var options = new XrdMonCollectorOptions { EndedGrace = TimeSpan.FromMinutes(1) };
        using var h = new CollectorHarness(options);
        h.Feed(
            Login(0, Stod, 1, "carol"),
            PathMap(1, Stod, 2, "carol", "/x"),
            Fstat(0, Stod, 1, 2, Open(2, 1, false, 1, "/x")));
        Assert.Equal((1, 1, 1), (h.Collector.UserCount, h.Collector.PathCount, h.Collector.AccessCount));

        h.Feed(Trace(2, Stod, 3, TraceClose(2, 1, 0), Disconnect(1, false, 2)), Fstat(1, Stod, 2, 3, Close(2, 1, 0, 0)));
        Assert.Equal(0, h.Collector.AccessCount); // f-stream close frees the access at once

        // Within the grace period late f-stream records still resolve.
        h.Now += TimeSpan.FromSeconds(30).Ticks;
        h.Feed(Fstat(2, Stod, 3, 4, FileDisconnect(1)));
        Assert.Equal((1, 1), (h.Collector.UserCount, h.Collector.PathCount));

        h.Now += TimeSpan.FromSeconds(31).Ticks;
        h.Collector.Expire(h.Now);
        Assert.Equal((0, 0), (h.Collector.UserCount, h.Collector.PathCount));
        Assert.Equal("carol", Str(h.Events("summary").Single(), "user.name"));
    }

    [Fact]
    public void Ended_sessions_waiting_for_their_grace_stay_bounded_by_the_maps()
    {
        var options = new XrdMonCollectorOptions { MaxUsers = 500, MaxFiles = 500, EndedGrace = TimeSpan.FromDays(1), Events = false, Summaries = false };
        using var h = new CollectorHarness(options);
        int pseq = 0;
        for (uint i = 1; i <= 20_000; i++)
        {
            // A flood of short sessions that all end long before their grace period is over.
            h.Feed(Login(pseq++ & 0xff, Stod, i, "u"), Trace(pseq++ & 0xff, Stod, 1, Disconnect(i, false, 1)));
        }

        Assert.InRange(h.Collector.UserCount, 1, 500);
        Assert.InRange(h.Collector.EndedWaiting, 1, 1024);
        CollectorHarness.AssertCountersAddUp(h.Collector);
    }

    [Fact]
    public void Unresolved_dictids_give_events_with_a_counted_marker()
    {
        using var h = new CollectorHarness();
        h.Feed(
            Trace(0, Stod, 1, Read(77, 0, 10), Disconnect(78, false, 1)),
            Fstat(0, Stod, 1, 2, Open(79, 100, false, 80, "/known/lfn"), Close(81, 1, 0, 0)));

        Assert.Equal("file", Str(h.Events("read").Single(), "unresolved"));
        Assert.Equal("user", Str(h.Events("disconnect").Single(), "unresolved"));
        Assert.Equal("user", Str(h.Events("file_open").Single(), "unresolved")); // lfn known from OPN, user not
        JsonElement summary = h.Events("summary").Single();
        Assert.Equal("file", Str(summary, "unresolved"));
        Assert.Equal("1", Str(summary, "read_bytes"));
        long markers = h.Events().Count(e => e.TryGetProperty("unresolved", out _));
        Assert.Equal(markers, h.Collector.Counters.Unresolved);
        Assert.Equal(5, markers); // read, disconnect, file_open, file_close, summary
    }

    [Fact]
    public void Malformed_datagrams_are_counted_and_logged_once_per_kind()
    {
        using var h = new CollectorHarness();
        byte[] good = Login(0, Stod, 1, "x");
        byte[] plenTooLong = (byte[])good.Clone();
        plenTooLong[2] = 0x7f;
        byte[] unknownCode = (byte[])good.Clone();
        unknownCode[0] = (byte)'Z';
        byte[] badTrace = Header('t', 0, Stod, 20); // not a whole number of 16-byte entries
        for (int round = 0; round < 3; round++)
        {
            h.Feed(new byte[3], plenTooLong, unknownCode, Header('g', round, Stod, 4), badTrace);
            badTrace[1]++;
        }

        XrdMonCollectorCounters k = h.Collector.Counters;
        Assert.Equal(15, k.Datagrams);
        Assert.Equal(12, k.Rejected);
        Assert.Equal(3, k.DecodeErrors);
        Assert.Equal(5, k.ErrorsByReason.Count);
        Assert.All(k.ErrorsByReason.Values, n => Assert.Equal(3, n));
        string[] logged = h.Log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, logged.Length);
        Assert.Equal(5, logged.Distinct().Count());
        CollectorHarness.AssertCountersAddUp(h.Collector);
    }

    [Fact]
    public void Reorder_buffers_are_bounded_in_bytes_and_gstream_providers_in_number()
    {
        var options = new XrdMonCollectorOptions { SortWindow = 100, MaxPendingBytes = 10_000 };
        using var h = new CollectorHarness(options);
        h.Feed(Map('i', 0, Stod, 1, UserId("u"), new string('x', 500)));
        long peak = 0;
        for (int i = 2; i < 250; i += 2)
        {
            // Every other number is missing: everything waits until the byte bound gives the gaps up.
            h.Feed(Map('i', i, Stod, (uint)i, UserId("u"), new string('x', 500)));
            peak = Math.Max(peak, h.Collector.PendingBytes);
        }

        Assert.InRange(peak, 1, 10_000);
        Assert.True(h.Collector.Counters.PendingOverflows > 0);
        Assert.True(h.Collector.SequenceTotals().Lost > 0);

        for (int p = 0; p < 12; p++)
        {
            h.Feed(GStream(1, Stod, (char)('A' + p), "{}"));
        }

        Assert.Equal(4, h.Collector.Counters.ErrorsByReason["more g-stream providers than a server has"]);
        CollectorHarness.AssertCountersAddUp(h.Collector);
    }
}
