using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using Toolkit.XrdMon.Collector;
using static Toolkit.XrdMon.Tests.Packets;

namespace Toolkit.XrdMon.Tests;

/// <summary>
/// The <c>i</c> record names its user by identity text only (<c>prot/user.pid:sid@host</c>); the collector finds the
/// user through an index from that text (filled by <c>u</c> records) and its summaries carry the appinfo.
/// </summary>
public sealed class AppInfoTests
{
    private const int Stod = 1_700_000_000;
    private const string Crab = "162_https://glidein.cern.ch/162/190501:101553:heewon:crab:RPCEfficiency:SingleMuon:Run2018D-PromptReco-v2_0";

    /// <summary>Main-stream (map, t, r) packets of one server, numbered in order.</summary>
    private sealed class Server(CollectorHarness h, int stod = Stod, int sender = 0)
    {
        private int _main;
        private int _file;

        public Server Map(char code, uint dictid, string userId, string? payload = null)
        {
            h.Feed(sender, Packets.Map(code, _main++ & 0xFF, stod, dictid, userId, payload));
            return this;
        }

        /// <summary>Any main-stream packet, given its sequence number.</summary>
        public Server Raw(Func<int, byte[]> make)
        {
            h.Feed(sender, make(_main++ & 0xFF));
            return this;
        }

        public Server Login(uint dictid, string user, string host = "client.example.org") =>
            Map('u', dictid, UserId(user, host: host), "&p=gsi&n=" + user + "&o=cms");

        public Server Info(string userId, string appInfo) => Map('i', 9000 + (uint)_main, userId, appInfo);

        public Server Disconnect(uint userDictid)
        {
            h.Feed(sender, Trace(_main++ & 0xFF, stod, 100, Packets.Disconnect(userDictid, false, 1)));
            return this;
        }

        /// <summary>Opens and closes a file for a user (one f-stream packet each).</summary>
        public Server Access(uint fileId, uint userDictid)
        {
            h.Feed(sender, Fstat(_file++ & 0xFF, stod, 10, 11, Open(fileId, 100, false, userDictid, "/store/f" + fileId)));
            h.Feed(sender, Fstat(_file++ & 0xFF, stod, 11, 12, CloseWithOps(fileId, 0, 90, 0, 0, 3, 0, 2, 40, 60)));
            return this;
        }
    }

    private static Dictionary<string, string?> AppInfoByLfn(CollectorHarness h) => h.Events("summary").ToDictionary(
        s => s.GetProperty("lfn").GetString()!,
        s => s.TryGetProperty("appinfo", out JsonElement a) ? a.GetString() : null);

    [Fact]
    public void An_i_record_reaches_the_summaries_of_the_user_it_names_only()
    {
        using var h = new CollectorHarness();
        new Server(h)
            .Login(1, "alice").Login(2, "bob").Login(3, "carol", "other.example.org")
            .Info(UserId("bob"), Crab)
            .Access(10, 1).Access(11, 2).Access(12, 3);

        Dictionary<string, string?> app = AppInfoByLfn(h);
        Assert.Equal(new Dictionary<string, string?> { ["/store/f10"] = null, ["/store/f11"] = Crab, ["/store/f12"] = null }, app);

        // The user object and the other events are as before: appinfo is a summary field; the i record has its own event.
        Assert.All(h.Events(), e => Assert.False(e.TryGetProperty("user", out JsonElement u) && u.TryGetProperty("appinfo", out _)));
        Assert.Equal(Crab, h.Events("info").Single().GetProperty("info").GetString());
        Assert.Equal(3, h.Collector.IdentityCount);
        CollectorHarness.AssertCountersAddUp(h.Collector);
    }

    [Fact]
    public void A_later_i_record_replaces_the_text_and_a_session_opened_before_it_carries_it_at_close()
    {
        using var h = new CollectorHarness();
        var s = new Server(h).Login(1, "alice").Info(UserId("alice"), "first_a_b");
        h.Feed(Fstat(0, Stod, 10, 11, Open(10, 100, false, 1, "/store/f10")));
        s.Info(UserId("alice"), "second_a_b");
        h.Feed(Fstat(1, Stod, 11, 12, CloseWithOps(10, 0, 90, 0, 0, 3, 0, 2, 40, 60)));
        Assert.Equal("second_a_b", AppInfoByLfn(h)["/store/f10"]);
    }

    [Fact]
    public void A_reconnect_with_the_same_identity_text_takes_the_index_over()
    {
        // Same client process, same identity text, a new login (dictid 2) after the first session ended (dictid 1).
        using var h = new CollectorHarness();
        new Server(h)
            .Login(1, "alice").Access(10, 1).Disconnect(1)
            .Login(2, "alice").Info(UserId("alice"), Crab).Access(11, 2)
            .Access(12, 1); // the old session's dictid, still within its grace period

        Dictionary<string, string?> app = AppInfoByLfn(h);
        Assert.Null(app["/store/f10"]);
        Assert.Equal(Crab, app["/store/f11"]);
        Assert.Null(app["/store/f12"]);
        Assert.Equal(1, h.Collector.IdentityCount);
    }

    [Fact]
    public void An_i_record_for_an_unknown_or_gone_user_or_without_text_changes_nothing()
    {
        using var h = new CollectorHarness(new XrdMonCollectorOptions { EndedGrace = TimeSpan.FromMinutes(1) });
        var s = new Server(h).Login(1, "alice").Login(2, "bob");
        s.Info(UserId("nobody"), Crab)                                  // no such login (the collector took the shard over late)
         .Info(UserId("alice", pid: 4243), Crab)                        // another process of the same user
         .Info(UserId("alice", host: "other.example.org"), Crab)        // another host
         .Info(UserId("alice", prot: "https"), Crab)                    // another protocol
         .Map('i', 77, UserId("alice"))                                 // no newline: no appinfo at all
         .Map('i', 78, "garbage without separators", Crab)
         .Map('i', 79, "\u00ff\u0000/.:@", Crab)
         .Map('i', 80, string.Empty, Crab)
         .Raw(seq => Header('i', seq, Stod, 0))                          // shorter than its dictid: a decode error, counted
         .Disconnect(2);
        h.Now += TimeSpan.FromMinutes(2).Ticks;
        h.Collector.Expire(h.Now);
        s.Info(UserId("bob"), Crab)                                     // bob is gone: nothing to attach to
         .Access(10, 1);

        Assert.Null(AppInfoByLfn(h)["/store/f10"]);
        Assert.Equal(1, h.Collector.UserCount);
        Assert.Equal(1, h.Collector.IdentityCount);
        Assert.True(h.Collector.Counters.DecodeErrors > 0);
        CollectorHarness.AssertCountersAddUp(h.Collector);
    }

    [Fact]
    public void The_index_is_freed_with_the_user_by_disconnect_expiry_count_and_server_retirement()
    {
        var options = new XrdMonCollectorOptions { MaxUsers = 8, MaxServers = 1, EndedGrace = TimeSpan.FromMinutes(1), TimeToLive = TimeSpan.FromMinutes(10) };
        using var h = new CollectorHarness(options);
        var s = new Server(h);
        for (uint i = 0; i < 100; i++)
        {
            s.Login(i + 1, "u" + i);
        }

        Assert.Equal(8, h.Collector.UserCount);
        Assert.Equal(8, h.Collector.IdentityCount);

        // Disconnect: gone after the grace period.
        s.Disconnect(100).Disconnect(99);
        h.Now += TimeSpan.FromMinutes(2).Ticks;
        h.Collector.Expire(h.Now);
        Assert.Equal((6, 6), (h.Collector.UserCount, h.Collector.IdentityCount));

        // Time to live.
        h.Now += TimeSpan.FromMinutes(11).Ticks;
        h.Collector.Expire(h.Now);
        Assert.Equal((0, 0), (h.Collector.UserCount, h.Collector.IdentityCount));

        // A server retired (MaxServers = 1) takes its index entries with it.
        s.Login(200, "late");
        Assert.Equal(1, h.Collector.IdentityCount);
        new Server(h, Stod + 1).Login(1, "next");
        Assert.Equal((1, 1), (h.Collector.UserCount, h.Collector.IdentityCount));
    }

    [Fact]
    public void Identities_whose_hashes_meet_are_both_found()
    {
        // Two user names whose identity texts fall on the same index slot (32 bits of the 64-bit hash), found by search.
        var seen = new Dictionary<uint, string>();
        string a = string.Empty, b = string.Empty;
        for (int i = 0; ; i++)
        {
            string name = "n" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            ulong hash = XrdMonUser.HashIdentity(Encoding.UTF8.GetBytes(UserId(name)));
            uint slot = (uint)(hash ^ (hash >> 32));
            if (seen.TryGetValue(slot, out string? other))
            {
                (a, b) = (other, name);
                break;
            }

            seen.Add(slot, name);
        }

        using var h = new CollectorHarness();
        new Server(h)
            .Login(1, a).Login(2, b)
            .Info(UserId(a), "for_" + a + "_0").Info(UserId(b), "for_" + b + "_1")
            .Access(10, 1).Access(11, 2);
        Dictionary<string, string?> app = AppInfoByLfn(h);
        Assert.Equal("for_" + a + "_0", app["/store/f10"]);
        Assert.Equal("for_" + b + "_1", app["/store/f11"]);
        Assert.Equal(2, h.Collector.IdentityCount);
    }

    [Fact]
    public void Each_server_instance_has_its_own_index()
    {
        // The same identity text on two servers (and on a restarted one) names different sessions.
        using var h = new CollectorHarness();
        new Server(h).Login(1, "alice");
        new Server(h, sender: 1).Login(1, "alice").Info(UserId("alice"), Crab).Access(11, 1);
        new Server(h, Stod + 5).Login(1, "alice").Access(12, 1);
        h.Feed(Fstat(0, Stod, 10, 11, Open(10, 100, false, 1, "/store/f10")), Fstat(1, Stod, 11, 12, CloseWithOps(10, 0, 90, 0, 0, 3, 0, 2, 40, 60)));

        Dictionary<string, string?> app = AppInfoByLfn(h);
        Assert.Null(app["/store/f10"]);
        Assert.Equal(Crab, app["/store/f11"]);
        Assert.Null(app["/store/f12"]);
    }

    [Fact]
    public void The_summary_ops_carry_the_readv_segment_counts_and_the_close_event_does_not()
    {
        using var h = new CollectorHarness();
        new Server(h).Login(1, "alice").Access(10, 1);
        JsonElement ops = h.Events("summary").Single().GetProperty("ops");
        Assert.Equal((2, 40, 60), (ops.GetProperty("rs_min").GetInt32(), ops.GetProperty("rs_max").GetInt32(), ops.GetProperty("rsegs").GetInt32()));
        Assert.False(h.Events("file_close").Single().GetProperty("ops").TryGetProperty("rs_min", out _));
    }
}
